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

KeyPath = tuple[str | int, ...]

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
        problems.append(error("mkdocs.yml", line_of(path), "config.path", message))

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
    for other in ("docs_dir", "templates_dir"):
        folder = folders.get(other)
        if (
            site is not None
            and folder is not None
            and (site.is_relative_to(folder) or folder.is_relative_to(site))
        ):
            fail(
                key_paths["site_dir"],
                f'"site_dir" {values.get("site_dir", "site")!r} overlaps the {other} folder; every build '
                "replaces the site folder whole, so keep it separate, like `site`",
            )
            values.pop("site_dir", None)
            break
    site = folders.get("site_dir")
    for own in (".git", ".cache"):
        folder = root.resolve() / own
        if site is not None and (site.is_relative_to(folder) or folder.is_relative_to(site)):
            fail(
                key_paths["site_dir"],
                f'"site_dir" {values.get("site_dir")!r} overlaps {own}/, which is not the site\'s; '
                "every build replaces the site folder whole, so use a folder of its own, like `site`",
            )
            values.pop("site_dir", None)
            break
    site = folders.get("site_dir")
    private = (root / values.get("subscribers_db", "data/subscribers.sqlite")).resolve().parent
    if site is not None and site != private and site.is_relative_to(private):
        fail(
            key_paths["site_dir"],
            f'"site_dir" {values.get("site_dir")!r} is inside {_shown(root, private)}, which holds the '
            "subscriber list, send ledgers and publication log and is kept private; use a folder of "
            "its own, like `site`",
        )
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
