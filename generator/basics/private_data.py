"""Modes of private data: the subscriber list, send ledgers, publish state and the publication log.

Each file is readable and writable by its owner only (0600) and lives in a folder only its
owner can open (0700), whatever the umask. SQLite's side files (`-journal`, `-wal`,
`-shm`) are narrowed with their database; SQLite itself gives new ones the database's
mode. A file or folder left with a looser mode by an older version of sofs is narrowed
the next time it is opened, with one note on standard error saying so (after that its
mode is right, so the note is not repeated).

The folder of the project itself is never narrowed (a folder holding `mkdocs.yml`), nor
an existing folder outside the project: those belong to people, not to sofs.
"""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Callable
from pathlib import Path

PRIVATE_FILE = 0o600
PRIVATE_FOLDER = 0o700
SQLITE_SIDE_FILES = ("-journal", "-wal", "-shm")
_PROJECT_MARKER = "mkdocs.yml"


def private_folder(folder: Path) -> None:
    """Make `folder` and any missing parents 0700; narrow an existing folder inside the project."""
    missing: list[Path] = []
    current = folder
    while not current.exists():
        missing.append(current)
        if current.parent == current:
            break
        current = current.parent
    for made in reversed(missing):
        made.mkdir(mode=PRIVATE_FOLDER, exist_ok=True)
        os.chmod(made, PRIVATE_FOLDER)  # mkdir's mode is cut by the umask; say it exactly
    if not missing and _inside_project(folder):
        _narrow(folder, PRIVATE_FOLDER)


def private_file(path: Path, *, create: bool = True) -> None:
    """Make `path` 0600 in a private folder; with `create`, make it (empty) when it is missing.

    A file that does not exist and is not to be created is left alone (nothing is made).
    SQLite's side files beside it, when there are any, are narrowed too.
    """
    if not create and not path.exists():
        return
    if path.is_dir():  # not ours to narrow as a file; opening it reports the problem
        return
    private_folder(path.parent)
    if create:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT, PRIVATE_FILE))
    for candidate in (path, *(path.with_name(path.name + side) for side in SQLITE_SIDE_FILES)):
        _narrow(candidate, PRIVATE_FILE)


def narrow_descriptor(descriptor: int, path: Path) -> None:
    """`private_file` for a file that is already open (as the publication log is while locked)."""
    mode = stat.S_IMODE(os.fstat(descriptor).st_mode)
    _narrow_mode(path, mode, PRIVATE_FILE, lambda narrowed: os.fchmod(descriptor, narrowed))


def _inside_project(folder: Path) -> bool:
    """Whether `folder` is below a project's folder (and is not a project's folder itself)."""
    resolved = folder.resolve()
    if (resolved / _PROJECT_MARKER).exists():
        return False
    return any((parent / _PROJECT_MARKER).exists() for parent in resolved.parents)


def _narrow(path: Path, allowed: int) -> None:
    try:
        mode = stat.S_IMODE(os.stat(path).st_mode)
    except FileNotFoundError:
        return
    _narrow_mode(path, mode, allowed, lambda narrowed: os.chmod(path, narrowed))


def _narrow_mode(path: Path, mode: int, allowed: int, change: Callable[[int], None]) -> None:
    """Take from `mode` what `allowed` does not give, with `change`, and say so once."""
    if not mode & ~allowed:
        return
    try:
        change(mode & allowed)
    except OSError as exc:
        _cannot_narrow(path, mode, exc)
        return
    _narrowed(path, mode, mode & allowed)


def _shown(path: Path) -> str:
    try:
        return path.resolve().relative_to(Path.cwd()).as_posix()
    except ValueError:
        return str(path)


def _narrowed(path: Path, before: int, after: int) -> None:
    kind = "folder" if path.is_dir() else "file"
    print(
        f"note: {_shown(path)} could be read by other people using this computer (mode {before:04o}); "
        f"this private {kind} is now mode {after:04o}, for you only",
        file=sys.stderr,
    )


def _cannot_narrow(path: Path, before: int, exc: OSError) -> None:
    print(
        f"warning: {_shown(path)} can be read by other people using this computer (mode {before:04o}) "
        f"and could not be made private ({exc.strerror}); ask its owner to run `chmod go= {_shown(path)}`",
        file=sys.stderr,
    )
