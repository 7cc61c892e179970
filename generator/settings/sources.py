"""Where `mkdocs.yml` takes values from besides itself: `INHERIT` and `!ENV`.

sofs reads `mkdocs.yml` alone, as plain YAML. A setting MkDocs fills in from another
file (`INHERIT`) or from the environment (`!ENV`) is one sofs never sees, so its checks
would pass on values that differ from what is built; and an environment value that
reaches the pages (the site's name, `extra:`, the copyright line) would publish whatever
the variable holds on that machine, secrets included. So:

- `INHERIT` is refused: the settings must all be in this one file.
- `!ENV` is allowed only in the options of a plugin other than sofs (plugins take tokens
  that way) and in `dev_addr` and `strict`, which change how MkDocs runs, not what it
  writes. Anywhere else it is a located error.
- A local tag MkDocs does not know (only `!ENV` and `!relative` are) is an error too.
- MkDocs reads `mkdocs.yml` with PyYAML's full loader, so `!!python/object/apply:...` and
  its kin run code as the file is read; every `!!python/` tag but `!!python/name:` is refused.
"""

from __future__ import annotations

from pathlib import Path

from ..basics.diagnostics import Diagnostic, error
from ..basics.yamlread import Path as KeyPath
from ..basics.yamlread import YamlDocument
from .model import CONFIG_FILE

#: Top-level settings that may come from the environment: they are never published.
ENV_ALLOWED = frozenset({"dev_addr", "strict"})
_KNOWN_TAGS = frozenset({"!ENV", "!relative"})
#: Names a Python function or class (Material's emoji settings use it); it runs nothing.
_PYTHON_NAME = "!!python/name:"


def source_problems(root: Path, document: YamlDocument, plugin_path: KeyPath) -> list[Diagnostic]:
    """Located errors for `INHERIT` and for `!ENV` or unknown tags where they are not allowed."""
    problems: list[Diagnostic] = []
    data = document.data if isinstance(document.data, dict) else {}
    if "INHERIT" in data:
        problems.append(_inherit_problem(root, data["INHERIT"], document.line_of(("INHERIT",))))
    for path, (tag, line) in sorted(document.tags.items(), key=lambda item: item[1][1]):
        if found := _tag_problem(path, tag, plugin_path):
            problems.append(error(CONFIG_FILE, line, *found))
    return problems


def _tag_problem(path: KeyPath, tag: str, plugin_path: KeyPath) -> tuple[str, str] | None:
    """The code and message for a tag not allowed at `path`, or None when it is allowed."""
    if tag.startswith("!!python/"):
        return None if tag.startswith(_PYTHON_NAME) else ("config.tag", _python_message(tag))
    if tag not in _KNOWN_TAGS:
        return (
            "config.tag",
            f"the tag {tag} is not one MkDocs knows (only !ENV and !relative are); "
            "remove it and write the value itself",
        )
    if tag == "!ENV" and not _env_allowed(path, plugin_path):
        return "config.env", _env_message(path, plugin_path)
    if tag == "!relative" and not (len(path) >= 3 and path[0] in ("markdown_extensions", "plugins")):
        name = ".".join(str(part) for part in path)
        return (
            "config.tag",
            f'"{name}" uses !relative, which MkDocs accepts only in the options of a Markdown '
            "extension or a plugin, so the build would stop; write the value itself",
        )
    return None


def _python_message(tag: str) -> str:
    shown = tag if len(tag) <= 60 else tag[:57] + "..."
    return (
        f"the tag {shown} makes MkDocs run Python code when it reads mkdocs.yml (it could run any "
        "command on this computer), so sofs will not build with it; remove it and write the value "
        "itself (only !!python/name: is allowed, as Material's emoji settings use it)"
    )


def _inherit_problem(root: Path, value: object, line: int) -> Diagnostic:
    where = ""
    if isinstance(value, str):
        try:
            target = (root / value).resolve()
            outside = not target.is_relative_to(root.resolve())
        except (OSError, RuntimeError, ValueError):
            outside = True
        if outside:
            where = f" {value!r} is outside the project, so the build would read settings from elsewhere;"
    return error(
        CONFIG_FILE,
        line,
        "config.inherit",
        f"`INHERIT` takes settings from another file:{where} sofs checks only mkdocs.yml, so "
        "those settings would be built unchecked; copy the ones you need into mkdocs.yml and remove "
        "the `INHERIT` line",
    )


def _env_allowed(path: KeyPath, plugin_path: KeyPath) -> bool:
    if len(path) == 1 and path[0] in ENV_ALLOWED:
        return True
    in_plugin_options = len(path) >= 4 and path[0] == "plugins" and isinstance(path[1], int)
    return in_plugin_options and (not plugin_path or path[:3] != plugin_path)


def _env_message(path: KeyPath, plugin_path: KeyPath) -> str:
    name = ".".join(str(part) for part in path[len(plugin_path) :]) if _under(path, plugin_path) else ""
    name = name or ".".join(str(part) for part in path)
    if _under(path, plugin_path):
        return (
            f'"{name}" takes its value from the environment (!ENV), which sofs does not read, so its '
            "checks would not see the value that is used; write the value itself"
        )
    return (
        f'"{name}" takes its value from the environment (!ENV); environment values are not allowed '
        "here because this setting can reach the published site (a secret would be published, and "
        "each machine would build a different site); write the value itself. !ENV is allowed only "
        "in dev_addr, strict and the options of plugins other than sofs"
    )


def _under(path: KeyPath, plugin_path: KeyPath) -> bool:
    return bool(plugin_path) and path[: len(plugin_path)] == plugin_path
