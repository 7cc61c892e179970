"""Knowing which files in an output folder sofs wrote, so it never deletes anyone else's.

Every folder sofs writes as a whole (`site/`, a `--docs-out` folder) carries a marker file
that says what the folder is and lists, one a line, every file sofs wrote there. A file
not on the list is someone else's ("foreign"): sofs never deletes or overwrites it. A
folder with no marker is sofs's only when it is empty.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable, Mapping
from pathlib import Path, PurePosixPath

from ..basics.files import write_atomically

SITE_MARKER = ".sofs-site"
DOCS_MARKER = ".sofs-docs-out"

SITE_EXPLANATION = (
    "This folder was built by `sofs build`, which replaces it whole on every build.\n"
    "It lists the files the build wrote. If a file not listed here is found in this folder,\n"
    "the next build stops rather than delete it."
)

#: Files every MkDocs build writes at the top of the site: a site folder holding them but
#: no marker was built by a sofs version before markers (or by `mkdocs build`).
BUILT_SITE_FILES = ("index.html", "404.html", "sitemap.xml")

#: Shown when a refusal lists the files in the way.
_SHOWN = 5


class OutputRefused(Exception):
    """Writing the output would delete or overwrite files sofs did not write; the message
    names the folder, the files and what to do instead."""


def _safe(relative: str) -> bool:
    """A marker line that names a file inside the folder (never `..`, `/abs` or empty)."""
    path = PurePosixPath(relative)
    return bool(relative) and not path.is_absolute() and ".." not in path.parts and "." not in path.parts


def read_marker(folder: Path, marker: str) -> frozenset[str] | None:
    """The files the marker in `folder` lists, or None when there is no (readable) marker."""
    try:
        text = (folder / marker).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    return frozenset(line for line in text.splitlines() if line and not line.startswith("#") and _safe(line))


def built_before_markers(folder: Path) -> bool:
    """Whether `folder` is plainly an earlier build made without a marker: it holds the
    files every MkDocs build writes at the top of a site."""
    return all((folder / name).is_file() for name in BUILT_SITE_FILES)


def looks_built(folder: Path) -> bool:
    """Whether `folder` is a site a build made: it has sofs's marker, or was built before
    markers. (Only a marked folder's files are all known to be sofs's: see `foreign_files`.)"""
    return (folder / SITE_MARKER).is_file() or built_before_markers(folder)


def write_marker(folder: Path, marker: str, explanation: str, files: Iterable[str]) -> None:
    """Write the marker of `folder` (atomically): `explanation` as comments, then `files`."""
    header = "".join(f"# {line}\n" if line else "#\n" for line in explanation.splitlines())
    body = "".join(f"{name}\n" for name in sorted(set(files)) if name != marker)
    write_file(folder / marker, (header + body).encode("utf-8"))


def write_file(path: Path, data: bytes) -> bool:
    """Replace `path` in an output folder with `data` in one step (`write_atomically`),
    making its folders, with the mode the umask gives new files. A file that already holds
    exactly `data` is left alone, its time of change too, so a renderer watching the folder
    sees only the files that changed. Returns whether the file was written."""
    if same_bytes(path, data):
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(path, data)
    return True


def same_bytes(path: Path, data: bytes) -> bool:
    """Whether `path` is a plain file (not a link) holding exactly `data`."""
    try:
        if path.is_symlink() or not path.is_file() or path.stat().st_size != len(data):
            return False
        return path.read_bytes() == data
    except OSError:
        return False


def entries(folder: Path) -> list[str]:
    """Every file (and link) under `folder` as a relative POSIX path; links are not followed."""
    found: list[str] = []
    for current, folders, files in os.walk(folder):
        base = Path(current)
        links = [name for name in folders if (base / name).is_symlink()]
        folders[:] = [name for name in folders if name not in links]
        for name in [*files, *links]:
            found.append((base / name).relative_to(folder).as_posix())
    return sorted(found)


def foreign_files(folder: Path, marker: str) -> list[str]:
    """Files under `folder` that its marker does not list (all of them without a marker)."""
    if not folder.is_dir():
        return []
    listed = read_marker(folder, marker) or frozenset()
    return [name for name in entries(folder) if name != marker and name not in listed]


def add_to_marker(folder: Path, marker: str, explanation: str, files: Iterable[str]) -> None:
    """Add `files`, which a later command wrote, to the marker of `folder`; a folder with no
    marker gets one only if it holds nothing else (it was made for these files)."""
    listed = read_marker(folder, marker)
    if listed is None:
        if foreign_files(folder, marker) != sorted(set(files)):
            return
        listed = frozenset()
    write_marker(folder, marker, explanation, listed | set(files))


def shown(names: list[str]) -> str:
    """A short list of file names for a message."""
    listed = ", ".join(names[:_SHOWN])
    return listed + (f" and {len(names) - _SHOWN} more" if len(names) > _SHOWN else "")


def in_the_way(folder: Path, marker: str, outputs: Iterable[str]) -> list[str]:
    """Foreign files in `folder` at (or above) a path sofs is about to write, and links
    standing where sofs would make a folder (writing through one would reach files outside
    `folder`, whatever the marker says), and folders where sofs would write a file."""
    wanted = set(outputs)
    prefixes = {str(PurePosixPath(name).parent) for name in wanted}
    prefixes = {p for name in prefixes for p in _ancestors(name)}
    foreign = [name for name in foreign_files(folder, marker) if name in wanted or name in prefixes]
    links = [name for name in sorted(prefixes) if name not in foreign and (folder / name).is_symlink()]
    folders = [
        name for name in sorted(wanted) if (folder / name).is_dir() and not (folder / name).is_symlink()
    ]
    return foreign + links + folders


def _ancestors(relative: str) -> list[str]:
    parts = PurePosixPath(relative).parts
    return ["/".join(parts[: end + 1]) for end in range(len(parts)) if parts != (".",)]


def rewrite(folder: Path, marker: str, explanation: str, outputs: Mapping[str, bytes | Path]) -> list[str]:
    """Make `folder` hold `outputs` (bytes, or a file to copy), deleting the files an earlier
    run wrote that are no longer made; files sofs did not write are left alone. Files whose
    bytes are already right are not written again. Returns the files written or deleted.

    The marker lists old and new files while the work is under way, so a run cut short
    leaves nothing that the next run would not recognise as its own."""
    before = read_marker(folder, marker) or frozenset()
    folder.mkdir(parents=True, exist_ok=True)
    if not before >= set(outputs):
        write_marker(folder, marker, explanation, before | set(outputs))
    changed: list[str] = []
    gone = sorted(before - set(outputs))
    made_folders = {p for name in outputs for p in _ancestors(str(PurePosixPath(name).parent))}
    for relative in gone:  # an old file where a folder now goes (an image became a folder)
        if relative in made_folders:
            _remove(folder, relative)
    for relative, data in sorted(outputs.items()):
        if write_file(folder / relative, data.read_bytes() if isinstance(data, Path) else data):
            changed.append(relative)
    for relative in gone:
        _remove(folder, relative)
    write_marker(folder, marker, explanation, outputs)
    return changed + gone


def _remove(folder: Path, relative: str) -> None:
    """Delete the file `relative` that sofs wrote in `folder`, and its folders left empty;
    never a folder, nor anything a link leads to outside `folder`."""
    path = folder / relative
    if not path.parent.resolve().is_relative_to(folder.resolve()) or (
        path.is_dir() and not path.is_symlink()
    ):
        return
    path.unlink(missing_ok=True)
    for parent in PurePosixPath(relative).parents:
        if str(parent) == ".":
            break
        with contextlib.suppress(OSError):
            (folder / parent).rmdir()  # only when empty
