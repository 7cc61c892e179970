"""Replacing the built site as a whole, so a reader never sees half of a build.

A build writes into a staging folder beside `site/`. When it is complete, the staging
folder and `site/` trade names in one step (Linux's `renameat2` with `RENAME_EXCHANGE`), so
`site/` is always either the old tree or the new one, even if the process is killed. Where
that call is missing, two renames are used: the old site becomes `.site.previous`, then the
staging folder becomes `site/`. A run killed between the two leaves no `site/` for a moment;
`prepare` (called at the start of every build) puts the previous one back.

Folders being deleted are first renamed to a staging name, so a deletion cut short leaves
only a folder that the next build removes, never a half-deleted `site/` or backup.
"""

from __future__ import annotations

import ctypes
import errno
import os
import shutil
import sys
import tempfile
from pathlib import Path

STAGING_PREFIX = ".sofs-build-"

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def backup_of(target: Path) -> Path:
    """Where the previous site waits while the new one is renamed into place."""
    return target.with_name(f".{target.name}.previous")


def leftovers(target: Path) -> list[Path]:
    """Staging folders (and retired sites) that an interrupted build left beside `target`."""
    return sorted(target.parent.glob(f"{STAGING_PREFIX}{target.name}-*"))


def recover(target: Path) -> None:
    """Put back the previous site if an earlier run stopped between its two renames."""
    backup = backup_of(target)
    if backup.exists() and not target.exists():
        os.replace(backup, target)


def prepare(target: Path) -> None:
    """Undo what an interrupted build left behind: restore `target`, remove staging folders."""
    recover(target)
    for stale in leftovers(target):
        discard(stale)


def staging_dir(target: Path) -> Path:
    """A new empty folder beside `target` (same file system, so the swap is a rename)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    prepare(target)
    return Path(tempfile.mkdtemp(prefix=f"{STAGING_PREFIX}{target.name}-", dir=target.parent))


def discard(staging: Path) -> None:
    """Delete a staging folder (or a link that stands in its place)."""
    if staging.is_symlink():
        staging.unlink(missing_ok=True)
    else:
        shutil.rmtree(staging, ignore_errors=True)


def exchange(first: Path, second: Path) -> bool:
    """Swap the names of two existing paths in one atomic step.

    Returns False, having changed nothing, when the system or file system cannot do it.
    """
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    renameat2.restype = ctypes.c_int
    if renameat2(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(first), None, str(second))


def _retire(folder: Path, target: Path) -> None:
    """Delete `folder` after renaming it to a staging name, so a cut-short delete is cleaned later."""
    if folder.is_symlink():
        folder.unlink()
        return
    if not folder.exists():
        return
    doomed = Path(tempfile.mkdtemp(prefix=f"{STAGING_PREFIX}{target.name}-old-", dir=target.parent))
    os.replace(folder, doomed)
    discard(doomed)


def swap_in(staging: Path, target: Path) -> None:
    """Make `staging` the new `target`; at every moment `target` is the old or the new tree."""
    recover(target)
    if target.exists() and exchange(staging, target):
        discard(staging)  # it now holds the previous site
        return
    backup = backup_of(target)
    _retire(backup, target)
    if target.exists() or target.is_symlink():
        os.replace(target, backup)
    os.replace(staging, target)
    _retire(backup, target)
