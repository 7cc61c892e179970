"""One sofs run at a time per project.

Every run that writes into the project (`sofs build`, `sofs publish`, `sofs email render`
and `send`, each rebuild of `sofs serve`, and a plain `mkdocs build` through the plugin)
holds an exclusive `flock` on `.sofs.lock` beside `mkdocs.yml` while it works. The file
holds the pid and command of the run that has the project, for those that wait, and is
deleted when the run ends (git ignores it). A second run waits for
it, saying on stderr which run holds the project; the system releases the lock when its
holder ends, even if it was killed, so a lock is never left behind.

The holder deletes the file before it lets go; a run that was waiting on the deleted file
sees that the name no longer leads to it and locks the file the name leads to now, so two
runs never hold two different files.

A run takes the lock once, where it starts: the command line for each command, the
plugin when MkDocs runs on its own (and for each rebuild of `sofs serve`). Steps inside a
run (the build inside `sofs publish`, the plugin inside `sofs build`) are told it is held
and do not ask again; a run that did would find its own note in the file and stop with a
`ProjectLockError` rather than wait for itself.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import fcntl
import os
import stat
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

LOCK_FILE = Path(".sofs.lock")


class ProjectLockError(Exception):
    """The lock file could not be made or opened; the message says where and why."""


def _say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def _written_in(path: Path) -> str | None:
    try:
        text = path.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return None
    return text or None


def _open(path: Path) -> int:
    """Open (or make) the lock file; never through a link, and never anything but a plain
    file, since its holder truncates it and writes its name in it."""
    flags = os.O_CLOEXEC | os.O_NOFOLLOW | os.O_NONBLOCK
    try:
        try:
            handle = os.open(path, os.O_RDWR | os.O_CREAT | flags, 0o644)
        except PermissionError:
            # Left by a colleague's run that was killed: a lock needs no write access, only
            # the note of who holds it does, and that note is skipped.
            handle = os.open(path, os.O_RDONLY | flags)
    except OSError as exc:
        why = "it is a link, which sofs does not follow" if exc.errno == errno.ELOOP else exc.strerror
        raise ProjectLockError(
            f"cannot open the lock file {path} ({why}); sofs needs to write it in the project's "
            "folder to keep two runs from working on the project at once. Remove it and run again"
        ) from None
    if not stat.S_ISREG(os.fstat(handle).st_mode):
        os.close(handle)
        raise ProjectLockError(
            f"{path} is not a plain file; sofs needs to write its lock file there to keep two runs "
            "from working on the project at once. Remove it and run again"
        )
    os.set_blocking(handle, True)  # O_NONBLOCK was only so that a named pipe cannot hang the open
    return handle


def _still_named(path: Path, handle: int) -> bool:
    """True if `path` is still the file `handle` locked (nobody deleted it meanwhile)."""
    try:
        named, opened = os.stat(path), os.fstat(handle)
    except OSError:
        return False
    return (named.st_dev, named.st_ino) == (opened.st_dev, opened.st_ino)


def _acquire(path: Path, command: str, say: Callable[[str], None]) -> int:
    told = False
    while True:
        handle = _open(path)
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            who = _written_in(path) or "another sofs run"
            if who.startswith(f"sofs run {os.getpid()} ("):
                os.close(handle)
                raise ProjectLockError(
                    f"this run already holds the project's lock ({who}) and asked for it again"
                ) from None
            if not told:
                say(
                    f"Waiting: {who} is working on this project. This run ({command}) starts "
                    "as soon as it ends; press Ctrl+C to stop waiting."
                )
                told = True
            try:
                fcntl.flock(handle, fcntl.LOCK_EX)
            except BaseException:
                os.close(handle)
                raise
        if _still_named(path, handle):
            break
        os.close(handle)  # the file was removed while we waited: lock the new one
    started = dt.datetime.now().astimezone().strftime("%H:%M:%S")
    note = f"sofs run {os.getpid()} ({command}, started {started})\n".encode()
    with contextlib.suppress(OSError):
        os.ftruncate(handle, 0)
        os.pwrite(handle, note, 0)
    return handle


@contextlib.contextmanager
def project_lock(root: Path, command: str, *, say: Callable[[str], None] = _say) -> Iterator[None]:
    """Hold the lock of the project in `root` for the `with` block, waiting for another
    run to finish first. `command` (like "sofs build") names this run to the ones that wait."""
    path = root.resolve() / LOCK_FILE
    handle = _acquire(path, command, say)
    try:
        yield
    finally:
        with contextlib.suppress(OSError):
            if _still_named(path, handle):
                path.unlink()
        os.close(handle)
