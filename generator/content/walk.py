"""Finding the content files: every real file under the content folder, and nothing reached
through a link.

Markdown files (`.md`) are read by the loader; every other regular file is listed in
`others` for the rule of what may be copied to the site (`content.assets`).

Symbolic links are never followed. A link (to a file or a folder) could bring in, and
publish, files from anywhere on the computer, so each one is a located error. Anything that
is not a regular file (a pipe, a device) is refused too: reading one could block forever.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

from ..basics.diagnostics import Diagnostic, error


@dataclass(frozen=True)
class ContentTree:
    """The Markdown files found, the other regular files (both sorted) and the problems met
    while looking."""

    markdown: tuple[Path, ...]
    problems: tuple[Diagnostic, ...]
    others: tuple[Path, ...] = ()


def walk_content(root: Path, display_root: str) -> ContentTree:
    """Every regular file under `root` (`.md` files apart), without following links; links
    and special files anywhere under `root` are reported as errors (paths shown under
    `display_root`)."""
    markdown: list[Path] = []
    others: list[Path] = []
    problems: list[Diagnostic] = []
    real_root = root.resolve()

    def shown(path: Path) -> str:
        return f"{display_root}/{path.relative_to(root).as_posix()}"

    def unreadable(exc: OSError) -> None:
        where = Path(exc.filename) if exc.filename else root
        where = where if where.is_relative_to(root) else root
        label = shown(where) if where != root else display_root
        problems.append(error(label, 0, "file.unreadable", f"the folder cannot be read ({exc.strerror})"))

    for folder, dirnames, filenames in os.walk(root, onerror=unreadable, followlinks=False):
        base = Path(folder)
        dirnames.sort()
        for name in list(dirnames):
            path = base / name
            if path.is_symlink():
                dirnames.remove(name)
                problems.append(_link_problem(path, shown(path), real_root, "folder"))
        for name in sorted(filenames):
            path = base / name
            try:
                mode = path.lstat().st_mode
            except OSError as exc:
                problems.append(
                    error(shown(path), 0, "file.unreadable", f"the file cannot be read ({exc.strerror})")
                )
                continue
            if stat.S_ISLNK(mode):
                problems.append(_link_problem(path, shown(path), real_root, "file"))
            elif not stat.S_ISREG(mode):
                problems.append(
                    error(
                        shown(path),
                        0,
                        "file.special",
                        "this is not an ordinary file (it may be a pipe or a device); remove it "
                        "from the content folder",
                    )
                )
            elif name.endswith(".md"):
                markdown.append(path)
            else:
                others.append(path)
    return ContentTree(tuple(sorted(markdown)), tuple(problems), tuple(sorted(others)))


def _link_problem(path: Path, shown: str, real_root: Path, noun: str) -> Diagnostic:
    try:
        inside = path.resolve().is_relative_to(real_root)
    except (OSError, RuntimeError):
        inside = False
    fix = "copy the file in instead" if noun == "file" else "copy its files in instead"
    if inside:
        return error(
            shown,
            0,
            "file.link",
            f"the {noun} is a link to another place in the content folder; links are not followed, so {fix}",
        )
    return error(shown, 0, "file.outside", f"the {noun} links to a place outside the content folder; {fix}")
