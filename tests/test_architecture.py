"""The core is a pure library: only the MkDocs adapter may import MkDocs."""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
from pathlib import Path

from conftest import FIXED_TODAY, PROJECT, copy_project

PACKAGE = PROJECT / "generator"
ADAPTER = PACKAGE / "mkdocs_adapter"


def imported_modules(source: str) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
    return names


def test_no_module_outside_the_adapter_imports_mkdocs() -> None:
    offenders = []
    for module in sorted(PACKAGE.rglob("*.py")):
        if ADAPTER in module.parents:
            continue
        imports = imported_modules(module.read_text("utf-8"))
        if any(name == "mkdocs" or name.startswith("mkdocs.") for name in imports):
            offenders.append(module.relative_to(PROJECT).as_posix())
    assert offenders == []


def test_checking_and_generating_pages_loads_no_mkdocs() -> None:
    code = (
        "import sys, pathlib\n"
        "from generator.checks.project import check_project\n"
        "from generator.generate.pages import generate_docs\n"
        "from generator.content.visibility import Visibility\n"
        "import datetime\n"
        f"result = check_project(pathlib.Path({str(PROJECT)!r}), use_cache=False)\n"
        "generate_docs(result.site, Visibility(datetime.date(2026, 1, 1)))\n"
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
