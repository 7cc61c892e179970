"""The layers hold: each stage folder imports only from below, no circles, no MkDocs in the
core, no module-level mutable state. Read from the source (every import, even one inside a
function or under TYPE_CHECKING), so an import that runs only sometimes still counts."""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from itertools import pairwise
from pathlib import Path

import pytest
from conftest import FIXED_TODAY, PROJECT, copy_project

PACKAGE = PROJECT / "generator"

#: The stage folders bottom-up, as the pipeline runs. Folders on one floor sit side by side
#: and neither imports the other; a folder may import its own modules and those of every
#: folder on a lower floor. So generate cannot import checks, mail and site_build do not
#: see each other, and only cli sees mkdocs_adapter and zensical_adapter.
FLOORS: tuple[tuple[str, ...], ...] = (
    ("basics",),
    ("settings",),
    ("content",),
    ("cache",),
    ("generate",),
    ("checks",),
    ("mail", "site_build"),
    ("mkdocs_adapter", "zensical_adapter", "publish"),
    ("cli",),
)
ALLOWED: dict[str, frozenset[str]] = {
    folder: frozenset({folder, *(below for lower in FLOORS[:level] for below in lower)})
    for level, floor in enumerate(FLOORS)
    for folder in floor
}
STAGES = tuple(ALLOWED)


@dataclass(frozen=True)
class Import:
    """One import in a module: the dotted name it reaches and the line it stands on."""

    target: str
    line: int


@dataclass(frozen=True)
class Module:
    """A module of the package, read from its file."""

    name: str
    path: Path

    @property
    def shown(self) -> str:
        return self.path.relative_to(PROJECT).as_posix()

    @property
    def folder(self) -> str | None:
        """The stage folder the module is in (None for the package's own `__init__`)."""
        parts = self.name.split(".")
        return parts[1] if len(parts) > 1 else None

    @cached_property
    def tree(self) -> ast.Module:
        return ast.parse(self.path.read_text("utf-8"), filename=str(self.path))

    @property
    def package(self) -> str:
        """The package relative imports start from."""
        return self.name if self.path.name == "__init__.py" else self.name.rpartition(".")[0]

    @cached_property
    def imports(self) -> tuple[Import, ...]:
        """Every module name this one imports, relative imports resolved, wherever they stand;
        `importlib.import_module("...")` and `__import__("...")` with a written name count too."""
        found: list[Import] = []
        for node in ast.walk(self.tree):
            if isinstance(node, ast.Import):
                found += [Import(alias.name, node.lineno) for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = self._absolute(node.level, node.module)
                found.append(Import(base, node.lineno))
                # `from . import staging` imports the module generator.<folder>.staging
                found += [
                    Import(f"{base}.{alias.name}", node.lineno)
                    for alias in node.names
                    if f"{base}.{alias.name}" in MODULES
                ]
            elif isinstance(node, ast.Call) and _is_dynamic_import(node.func):
                argument = node.args[0] if node.args else None
                if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
                    found.append(Import(argument.value, node.lineno))
        return tuple(found)

    def _absolute(self, level: int, module: str | None) -> str:
        if level == 0:
            return module or ""
        parts = self.package.split(".")
        base = ".".join(parts[: len(parts) - (level - 1)])
        return f"{base}.{module}" if module else base


def _is_dynamic_import(function: ast.expr) -> bool:
    if isinstance(function, ast.Name):
        return function.id in ("__import__", "import_module")
    return isinstance(function, ast.Attribute) and function.attr == "import_module"


def _module_name(path: Path) -> str:
    parts = path.relative_to(PROJECT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES: dict[str, Module] = {
    _module_name(path): Module(_module_name(path), path) for path in sorted(PACKAGE.rglob("*.py"))
}


def folder_of(target: str) -> str | None:
    """The stage folder an imported name lies in; None for the package root or outside it."""
    parts = target.split(".")
    return parts[1] if parts[0] == PACKAGE.name and len(parts) > 1 else None


def modules_in(folder: str) -> list[Module]:
    return [m for m in MODULES.values() if m.folder == folder]


def test_imports_are_read_wherever_they_stand(tmp_path: Path) -> None:
    file = tmp_path / "builder.py"
    file.write_text(
        "from typing import TYPE_CHECKING\n"
        "from .. import content\n"
        "from . import staging\n"
        "from ..generate.pages import generate_docs\n"
        "if TYPE_CHECKING:\n"
        "    from generator.checks import project\n"
        "def render():\n"
        "    from ..mkdocs_adapter import render\n"
        "    import importlib\n"
        "    return importlib.import_module('mkdocs.commands.build')\n",
        encoding="utf-8",
    )
    module = Module("generator.site_build.builder", file)
    assert sorted((i.target, i.line) for i in module.imports) == [
        ("generator", 2),
        ("generator.checks", 6),
        ("generator.checks.project", 6),
        ("generator.content", 2),
        ("generator.generate.pages", 4),
        ("generator.mkdocs_adapter", 8),
        ("generator.mkdocs_adapter.render", 8),
        ("generator.site_build", 3),
        ("generator.site_build.staging", 3),
        ("importlib", 9),
        ("mkdocs.commands.build", 10),
        ("typing", 1),
    ]
    assert {folder_of(i.target) for i in module.imports} - {None} == {
        "checks",
        "content",
        "generate",
        "mkdocs_adapter",
        "site_build",
    }


def test_every_folder_of_the_package_is_a_stage_on_a_floor() -> None:
    folders = {p.parent.name for p in PACKAGE.glob("*/__init__.py")}
    assert folders == set(STAGES)
    assert {m.folder for m in MODULES.values()} - {None} == set(STAGES)


def test_the_floors_say_what_the_layers_promise() -> None:
    assert "checks" not in ALLOWED["generate"] and "generate" in ALLOWED["checks"]
    assert "site_build" not in ALLOWED["mail"] and "mail" not in ALLOWED["site_build"]
    assert "publish" not in ALLOWED["mkdocs_adapter"] and "mkdocs_adapter" not in ALLOWED["publish"]
    assert [f for f in STAGES if "mkdocs_adapter" in ALLOWED[f]] == ["mkdocs_adapter", "cli"]
    assert [f for f in STAGES if "zensical_adapter" in ALLOWED[f]] == ["zensical_adapter", "cli"]
    assert ALLOWED["cli"] == frozenset(STAGES)


@pytest.mark.parametrize("folder", STAGES)
def test_a_stage_imports_only_its_own_folder_and_those_below(folder: str) -> None:
    assert modules_in(folder), f"no modules found in generator/{folder}"
    upward = [
        f"{module.shown}:{found.line}: imports {found.target}"
        for module in modules_in(folder)
        for found in module.imports
        if (target := folder_of(found.target)) is not None and target not in ALLOWED[folder]
    ]
    allowed = ", ".join(sorted(ALLOWED[folder]))
    assert not upward, f"generator/{folder} may import only from {allowed}:\n" + "\n".join(upward)


def import_graph() -> dict[str, dict[str, int]]:
    """Module -> the package modules it imports, each with the line of its first import."""
    graph: dict[str, dict[str, int]] = {name: {} for name in MODULES}
    for name, module in MODULES.items():
        for found in module.imports:
            target = found.target
            while target and target not in MODULES:  # `from .model import Issue` names a module's member
                target = target.rpartition(".")[0]
            if target and target != name:
                graph[name].setdefault(target, found.line)
    return graph


def strongly_connected(graph: dict[str, dict[str, int]]) -> list[list[str]]:
    """The groups of modules that reach each other (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    lowest: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = lowest[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for successor in graph[node]:
            if successor not in index:
                visit(successor)
                lowest[node] = min(lowest[node], lowest[successor])
            elif successor in on_stack:
                lowest[node] = min(lowest[node], index[successor])
        if lowest[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            groups.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return groups


def one_cycle(graph: dict[str, dict[str, int]], group: list[str]) -> str:
    """A shortest circle through the group's first module, each step with its import line."""
    start = group[0]
    members = set(group)
    paths: dict[str, list[str]] = {start: [start]}
    queue = [start]
    while queue:
        node = queue.pop(0)
        for successor in sorted(graph[node]):
            if successor == start:
                cycle = [*paths[node], start]
                return " -> ".join(f"{a} (line {graph[a][b]})" for a, b in pairwise(cycle)) + f" -> {start}"
            if successor in members and successor not in paths:
                paths[successor] = [*paths[node], successor]
                queue.append(successor)
    raise AssertionError(f"no cycle through {start}")


def test_the_cycle_finder_finds_a_circle() -> None:
    graph = {"a": {"b": 1}, "b": {"c": 2}, "c": {"a": 3}, "d": {"a": 4}}
    groups = [g for g in strongly_connected(graph) if len(g) > 1]
    assert groups == [["a", "b", "c"]]
    assert one_cycle(graph, groups[0]) == "a (line 1) -> b (line 2) -> c (line 3) -> a"


def test_no_import_cycle_between_modules() -> None:
    graph = import_graph()
    cycles = [one_cycle(graph, group) for group in strongly_connected(graph) if len(group) > 1]
    assert not cycles, "import circles:\n" + "\n".join(cycles)


def test_no_module_outside_the_adapter_imports_mkdocs() -> None:
    offenders = [
        f"{module.shown}:{found.line}: imports {found.target}"
        for module in MODULES.values()
        if module.folder != "mkdocs_adapter"
        for found in module.imports
        if found.target == "mkdocs" or found.target.startswith("mkdocs.")
    ]
    assert not offenders, "only generator/mkdocs_adapter may import MkDocs:\n" + "\n".join(offenders)


def test_the_core_never_imports_the_adapter() -> None:
    """Only the command line, which wires the stages together, may hand the build the MkDocs
    renderer; every other stage works without it, so not even a lazy import is allowed."""
    offenders = [
        f"{module.shown}:{found.line}: imports {found.target}"
        for module in MODULES.values()
        if module.folder not in ("mkdocs_adapter", "cli")
        for found in module.imports
        if folder_of(found.target) == "mkdocs_adapter"
    ]
    assert not offenders, "the core may not import generator.mkdocs_adapter:\n" + "\n".join(offenders)


_MUTABLE_CALLS = {"dict", "list", "set", "defaultdict", "OrderedDict", "Counter", "deque", "bytearray"}
_MUTATING_METHODS = {
    "append",
    "extend",
    "add",
    "update",
    "pop",
    "popitem",
    "clear",
    "setdefault",
    "remove",
    "discard",
    "insert",
    "sort",
    "reverse",
    "appendleft",
    "extendleft",
    "popleft",
    "difference_update",
    "intersection_update",
    "symmetric_difference_update",
}
_CACHE_DECORATORS = {"cache", "lru_cache"}


def _is_mutable_value(value: ast.expr | None) -> bool:
    if isinstance(value, ast.Dict | ast.List | ast.Set | ast.DictComp | ast.ListComp | ast.SetComp):
        return True
    if isinstance(value, ast.Call):
        function = value.func
        name = function.id if isinstance(function, ast.Name) else getattr(function, "attr", None)
        return name in _MUTABLE_CALLS
    return False


def _module_level(statements: list[ast.stmt]) -> Iterator[ast.stmt]:
    """The statements that run at import, looking inside `if`, `try` and `with` but not into
    functions or classes."""
    for statement in statements:
        yield statement
        if isinstance(statement, ast.If | ast.Try | ast.With):
            for block in ("body", "orelse", "finalbody", "handlers"):
                for inner in getattr(statement, block, []):
                    yield from _module_level(inner.body if isinstance(inner, ast.ExceptHandler) else [inner])


def _mutable_globals(tree: ast.Module) -> dict[str, int]:
    """Module-level names bound to a dict, list or set (display, comprehension or call), with lines."""
    bound: dict[str, int] = {}
    for statement in _module_level(tree.body):
        if isinstance(statement, ast.Assign) and _is_mutable_value(statement.value):
            targets = statement.targets
        elif isinstance(statement, ast.AnnAssign) and _is_mutable_value(statement.value):
            targets = [statement.target]
        else:
            continue
        for target in targets:
            if isinstance(target, ast.Name):
                bound.setdefault(target.id, statement.lineno)
    return bound


def _scope_nodes(body: list[ast.stmt]) -> Iterator[ast.AST]:
    """Every node of a function's own scope: nested functions and classes are not entered."""
    pending: list[ast.AST] = list(body)
    while pending:
        node = pending.pop()
        yield node
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda | ast.ClassDef):
            pending.extend(ast.iter_child_nodes(node))


def _local_names(function: ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda) -> set[str]:
    arguments = function.args
    names = {
        a.arg
        for a in (
            *arguments.posonlyargs,
            *arguments.args,
            *arguments.kwonlyargs,
            arguments.vararg,
            arguments.kwarg,
        )
        if a is not None
    }
    declared: set[str] = set()
    body = function.body if isinstance(function.body, list) else [ast.Expr(function.body)]
    for node in _scope_nodes(body):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store | ast.Del):
            names.add(node.id)
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.Global | ast.Nonlocal):
            declared.update(node.names)
    return names - declared


def _mutations(node: ast.AST, watched: set[str]) -> Iterator[tuple[int, str]]:
    """Where a watched module-level name is changed inside a function (a local of the same
    name hides it), and every `global` statement."""
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
        watched = watched - _local_names(node)
    if isinstance(node, ast.Global):
        yield node.lineno, f"`global {', '.join(node.names)}`"
    elif isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Store | ast.Del):
        if isinstance(node.value, ast.Name) and node.value.id in watched:
            yield node.lineno, f"{node.value.id}[...] is assigned"
    elif (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in _MUTATING_METHODS
        and isinstance(node.func.value, ast.Name)
        and node.func.value.id in watched
    ):
        yield node.lineno, f"{node.func.value.id}.{node.func.attr}() changes it"
    for child in ast.iter_child_nodes(node):
        yield from _mutations(child, watched)


def _decorator_name(decorator: ast.expr) -> str | None:
    target = decorator.func if isinstance(decorator, ast.Call) else decorator
    if isinstance(target, ast.Name):
        return target.id
    return target.attr if isinstance(target, ast.Attribute) else None


def _cached_functions(tree: ast.Module) -> Iterator[tuple[int, str]]:
    """Functions and methods at module level whose results a cache decorator keeps for the process."""
    for statement in _module_level(tree.body):
        functions = [statement]
        if isinstance(statement, ast.ClassDef):
            functions = list(statement.body)
        for function in functions:
            if isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                for decorator in function.decorator_list:
                    name = _decorator_name(decorator)
                    if name in _CACHE_DECORATORS:
                        yield decorator.lineno, f"@{name} on {function.name}()"


def module_level_state(tree: ast.Module) -> list[tuple[int, str]]:
    """Module-level mutable state in a module: (line, what)."""
    watched = _mutable_globals(tree)
    found: list[tuple[int, str]] = []
    for statement in tree.body:
        if isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            found += list(_mutations(statement, set(watched)))
        else:  # filling a table while the module is imported builds a constant; a `global` still counts
            found += [
                (line, what) for line, what in _mutations(statement, set()) if what.startswith("`global")
            ]
            for node in ast.walk(statement):
                if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
                    found += list(_mutations(node, set(watched)))
    found += list(_cached_functions(tree))
    return sorted(set(found))


def test_the_state_finder_finds_what_it_should() -> None:
    source = (
        "import functools\n"
        "_SEEN = {}\n"
        "_LAST: list[int] = []\n"
        "TABLE = {n: n for n in range(3)}\n"
        "TABLE[5] = 5\n"
        "_COUNT = 0\n"
        "def remember(key, value):\n"
        "    _SEEN[key] = value\n"
        "    _LAST[:] = [value]\n"
        "def bump():\n"
        "    global _COUNT\n"
        "    _COUNT += 1\n"
        "def local(TABLE):\n"
        "    TABLE.update(a=1)\n"
        "    _LAST = []\n"
        "    _LAST.append(1)\n"
        "@functools.lru_cache(maxsize=2)\n"
        "def slow(n):\n"
        "    return n\n"
        "class Holder:\n"
        "    @functools.cache\n"
        "    def value(self):\n"
        "        return TABLE.get(1)\n"
    )
    assert module_level_state(ast.parse(source)) == [
        (8, "_SEEN[...] is assigned"),
        (9, "_LAST[...] is assigned"),
        (11, "`global _COUNT`"),
        (17, "@lru_cache on slow()"),
        (21, "@cache on value()"),
    ]


def test_no_module_keeps_mutable_state_at_module_level() -> None:
    offenders = [
        f"{module.shown}:{line}: {what}"
        for module in MODULES.values()
        for line, what in module_level_state(module.tree)
    ]
    assert not offenders, "module-level mutable state:\n" + "\n".join(offenders)


def test_checking_and_generating_pages_loads_no_mkdocs() -> None:
    code = (
        "import sys, pathlib\n"
        "from generator.checks.project import check_project\n"
        "from generator.generate.pages import generate_docs\n"
        f"result = check_project(pathlib.Path({str(PROJECT)!r}), use_cache=False)\n"
        "generate_docs(result.context)\n"
        "print(sorted(m for m in sys.modules if m == 'mkdocs' or m.startswith('mkdocs.')))\n"
    )
    output = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert output.stdout.strip() == "[]"


def test_the_adapter_is_registered_as_a_mkdocs_plugin() -> None:
    from importlib.metadata import entry_points

    plugins = {e.name: e.value for e in entry_points(group="mkdocs.plugins")}
    assert plugins.get("sofs") == "generator.mkdocs_adapter.plugin:SofsPlugin"


def test_the_plugin_declares_every_setting_the_settings_reader_knows() -> None:
    from generator.mkdocs_adapter.plugin import SofsPluginConfig
    from generator.settings.schema import PLUGIN_KEYS

    assert [name for name, _ in SofsPluginConfig._schema] == list(PLUGIN_KEYS)


def test_plain_mkdocs_build_uses_the_plugin(tmp_path: Path) -> None:
    """The README promises that `mkdocs build` works on its own, through the plugin."""
    root = copy_project(tmp_path / "plain")
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q"],
        cwd=root,
        env={**os.environ, "SOFS_TODAY": FIXED_TODAY},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert (root / "site/issues/010-meaningful-measures/index.html").is_file()
    assert not (root / "site/issues/011-signs-of-wellbeing").exists()
    assert not list((root / "content").rglob("index.md")), "nothing is written into content/"


def test_plain_mkdocs_build_stops_on_content_errors(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "broken")
    (root / "content/tools/harm-matrix.md").write_text("---\nname: [\n---\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q"], cwd=root, capture_output=True, text=True, timeout=300
    )
    assert result.returncode != 0
    assert re.search(
        r"content/tools/harm-matrix\.md:\d+: error: the front matter is not valid YAML", result.stderr
    )
