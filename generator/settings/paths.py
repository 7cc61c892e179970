"""Folders named in `mkdocs.yml` must stay inside the project.

A build reads the content, templates and theme overrides, and replaces the site folder
whole. If any of these pointed elsewhere (`site_dir: ..`, `docs_dir: /home/me`), a build
could read private files or replace a folder that is not the site's. Each such setting is
a located error, and the bad value is dropped so no later step uses it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from ..basics.diagnostics import Diagnostic, error
from ..basics.yamlread import Path as KeyPath
from .model import CONFIG_FILE

_DEFAULTS = {"docs_dir": "content", "site_dir": "site", "templates_dir": "templates"}


def _inside(root: Path, value: str) -> Path | None:
    """The resolved folder, or None when it is not inside `root` (or is `root` itself)."""
    try:
        resolved = (root / value).resolve()
    except (OSError, RuntimeError, ValueError):
        return None
    real_root = root.resolve()
    if resolved == real_root or not resolved.is_relative_to(real_root):
        return None
    return resolved


def _shown(root: Path, folder: Path) -> str:
    return (
        folder.relative_to(root.resolve()).as_posix() + "/"
        if folder.is_relative_to(root.resolve())
        else str(folder)
    )


def _overlap(one: Path, other: Path) -> bool:
    return one.is_relative_to(other) or other.is_relative_to(one)


def _site_clashes(
    root: Path, site: Path, folders: Mapping[str, Path], values: Mapping[str, Any]
) -> list[str]:
    """What the site folder must stay apart from and does not: the first of the folders a
    build reads, the first of the folders that are not the site's, and the private data."""
    replaced = "every build replaces the site folder whole, so"
    apart = (
        (
            {f"the {key} folder": folders[key] for key in ("docs_dir", "templates_dir") if key in folders},
            f"{replaced} keep it separate, like `site`",
        ),
        (
            {f"{own}/, which is not the site's": root.resolve() / own for own in (".git", ".cache")},
            f"{replaced} use a folder of its own, like `site`",
        ),
    )
    clashes = []
    for named, advice in apart:
        clash = next((name for name, folder in named.items() if _overlap(site, folder)), None)
        if clash:
            clashes.append(f"overlaps {clash}; {advice}")
    private = (root / values.get("subscribers_db", "data/subscribers.sqlite")).resolve().parent
    if site != private and site.is_relative_to(private):
        clashes.append(
            f"is inside {_shown(root, private)}, which holds the subscriber list, send ledgers and "
            "publication log and is kept private; use a folder of its own, like `site`"
        )
    return clashes


def confine_paths(
    root: Path,
    data: Mapping[str, Any],
    values: dict[str, Any],
    line_of: Callable[[KeyPath], int],
    plugin_path: KeyPath,
) -> list[Diagnostic]:
    """Problems with folders that leave the project; bad entries are removed from `values`."""
    problems: list[Diagnostic] = []

    def fail(path: KeyPath, message: str) -> None:
        problems.append(error(CONFIG_FILE, line_of(path), "config.path", message))

    key_paths: dict[str, KeyPath] = {
        "docs_dir": ("docs_dir",),
        "site_dir": ("site_dir",),
        "templates_dir": (*plugin_path, "templates_dir"),
    }
    folders: dict[str, Path] = {}
    for key, path in key_paths.items():
        value = values.get(key, _DEFAULTS[key])
        resolved = _inside(root, value)
        if resolved is None:
            fail(
                path,
                f'"{key}" {value!r} is not a folder inside the project; use one inside it, '
                f"like `{_DEFAULTS[key]}`",
            )
            values.pop(key, None)
        else:
            folders[key] = resolved
    site = folders.get("site_dir")
    if site is not None:
        shown = repr(values.get("site_dir", _DEFAULTS["site_dir"]))
        for clash in _site_clashes(root, site, folders, values):
            fail(key_paths["site_dir"], f'"site_dir" {shown} {clash}')
            values.pop("site_dir", None)
    theme = data.get("theme")
    custom_dir = theme.get("custom_dir") if isinstance(theme, dict) else None
    if isinstance(custom_dir, str) and _inside(root, custom_dir) is None:
        fail(
            ("theme", "custom_dir"),
            f'"custom_dir" {custom_dir!r} is not a folder inside the project; use one inside it, like `templates/theme`',
        )
    hooks = data.get("hooks")
    for index, hook in enumerate(hooks if isinstance(hooks, list) else []):
        if isinstance(hook, str) and _inside(root, hook) is None:
            fail(("hooks", index), f"the hook {hook!r} is not a file inside the project; copy it in")
    return problems
