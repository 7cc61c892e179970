"""Replacing the built site as a whole, so a reader never sees half of a build.

A build writes into a staging folder beside `site/`. When it is complete, the staging
folder and `site/` trade names in one step (Linux's `renameat2` with `RENAME_EXCHANGE`), so
`site/` is always either the old tree or the new one, even if the process is killed. Where
that call is missing, two renames are used: the old site becomes `.site.previous`, then the
staging folder becomes `site/`. A run killed between the two leaves no `site/` for a moment;
`prepare` (called at the start of every build) puts the previous one back.

Folders being deleted are first renamed to a staging name, so a deletion cut short leaves
only a folder that the next build removes, never a half-deleted `site/` or backup.

A staging folder's name carries its owner: the process id and that process's start time
(`.sofs-build-site-p4242.918273-k2j4h1x0`). Clean-up removes only folders whose owner has
ended, so a build never deletes the folder another live build is writing. Names without an
owner come from sofs versions before this scheme; they are removed as before.

The staging folder is made with the permissions the umask gives (0755 under umask 022),
not the private 0700 of a temporary folder, so a web server running as another user can
read the site.
"""

from __future__ import annotations

import ctypes
import errno
import os
import re
import shutil
import sys
import tempfile
from pathlib import Path

from ..basics.files import umask_modes
from .owned_folder import looks_built

STAGING_PREFIX = ".sofs-build-"

#: What follows `.sofs-build-NAME-`: an owner `p<pid>.<start>-` (absent in older versions),
#: `old-` for a retired tree, and the eight characters `tempfile.mkdtemp` adds.
_STAGING_TAIL = re.compile(r"(?:p(?P<pid>[0-9]+)\.(?P<start>[0-9]+)-)?(?:old-)?[a-z0-9_]{8}")

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def backup_of(target: Path) -> Path:
    """Where the previous site waits while the new one is renamed into place."""
    return target.with_name(f".{target.name}.previous")


def _start_time(pid: int) -> int | None:
    """When process `pid` started, in clock ticks since boot (None: no such process).

    Without /proc (not Linux) a live process is reported with start time 0."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii", errors="replace")
    except FileNotFoundError:
        if Path("/proc/self/stat").exists():
            return None
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return None
        except PermissionError:
            return 0
        return 0
    except OSError:
        return None
    # The command name (field 2) is in parentheses and may hold spaces; field 22 is the start.
    fields = stat[stat.rfind(")") + 2 :].split()
    if len(fields) < 20 or not fields[19].isdigit() or fields[0] in ("Z", "X"):
        return None  # a zombie has ended: only its parent has not yet noticed
    return int(fields[19])


def _own_tag() -> str:
    return f"p{os.getpid()}.{_start_time(os.getpid()) or 0}-"


def owner_alive(staging: Path, target: Path) -> bool:
    """Whether the process that made `staging` (a staging folder of `target`) still runs."""
    match = _STAGING_TAIL.fullmatch(staging.name.removeprefix(f"{STAGING_PREFIX}{target.name}-"))
    if match is None or match["pid"] is None:
        return False
    started = _start_time(int(match["pid"]))
    if started is None:
        return False
    recorded = int(match["start"])
    return started == recorded or 0 in (started, recorded)


def staging_folders(target: Path) -> list[Path]:
    """Every staging folder (and retired site) beside `target`, its owner running or not."""
    prefix = f"{STAGING_PREFIX}{target.name}-"
    return sorted(
        p for p in target.parent.glob(f"{prefix}*") if _STAGING_TAIL.fullmatch(p.name.removeprefix(prefix))
    )


def leftovers(target: Path) -> list[Path]:
    """Staging folders (and retired sites) of `target` whose owner has ended: what an
    interrupted build left. Folders of a build still running are not listed."""
    return [path for path in staging_folders(target) if not owner_alive(path, target)]


def discard_own(target: Path) -> None:
    """Delete every staging folder of `target` that this process made: what a run stopped
    at any moment (even between making a folder and naming it) leaves behind."""
    own = f"{STAGING_PREFIX}{target.name}-{_own_tag()}"
    for folder in staging_folders(target):
        if folder.name.startswith(own):
            discard(folder)


def _make_staging(target: Path, kind: str = "") -> Path:
    folder = Path(
        tempfile.mkdtemp(prefix=f"{STAGING_PREFIX}{target.name}-{_own_tag()}{kind}", dir=target.parent)
    )
    os.chmod(folder, umask_modes()[0])
    return folder


def recover(target: Path) -> None:
    """Put back the previous site if an earlier run stopped between its two renames."""
    backup = backup_of(target)
    if looks_built(backup) and not backup.is_symlink() and not target.exists() and not target.is_symlink():
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
    return _make_staging(target)


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
    doomed = _make_staging(target, "old-")
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
