"""Writing a file in one step, so a reader sees the old bytes or the new ones, never half.

Every file sofs writes whole (the site's files, the publication state, an issue's status
line, a cached result) goes through `write_atomically`: the bytes go to a temporary file
in the same folder, which is then renamed over the target. A rename within one folder is
atomic, so the target is never half written, and writing never follows a link that stands
at the target (the link itself is replaced). When anything fails, the temporary file is
removed and the target is as it was.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path
from typing import Literal

#: The mode the process's umask gives a new file (0644 under umask 022).
UMASK_MODE: Literal["umask"] = "umask"
#: The mode of the file being replaced (which must exist).
KEEP_MODE: Literal["keep"] = "keep"

FileMode = int | Literal["umask", "keep"]

#: What a temporary file's name starts with, unless the caller chooses another prefix.
TEMPORARY_PREFIX = ".sofs-new-"


def umask_modes() -> tuple[int, int]:
    """The modes (folder, file) that the process's umask gives new folders and files."""
    try:  # Linux shows the umask; setting it to read it back would race other threads
        status = Path("/proc/self/status").read_text(encoding="ascii", errors="replace")
        mask = next(int(line.split()[1], 8) for line in status.splitlines() if line.startswith("Umask:"))
    except (OSError, StopIteration, IndexError, ValueError):
        mask = os.umask(0o022)
        os.umask(mask)
    return 0o777 & ~mask, 0o666 & ~mask


def _resolved_mode(path: Path, mode: FileMode) -> int:
    if mode == UMASK_MODE:
        return umask_modes()[1]
    if mode == KEEP_MODE:
        return stat.S_IMODE(os.stat(path).st_mode)
    assert isinstance(mode, int)
    return mode


def write_atomically(
    path: Path,
    data: bytes,
    *,
    mode: FileMode = UMASK_MODE,
    durable: bool = False,
    prefix: str = TEMPORARY_PREFIX,
) -> None:
    """Replace `path` with `data` in one step; its folder must exist.

    `mode` is an exact mode (such as 0o600 for private data), `UMASK_MODE` (what the umask
    gives a new file) or `KEEP_MODE` (the mode of the file replaced; FileNotFoundError
    when there is none); the temporary file is private (0600) until it is given that mode.
    With `durable` the bytes, and then the rename, are flushed to disk before this
    returns, so a crash right after leaves the new file. `prefix` starts the temporary file's name (a half-written file left by a killed
    process is recognised by it). On any failure the temporary file is removed."""
    wanted = _resolved_mode(path, mode)
    handle, temporary = tempfile.mkstemp(prefix=prefix, dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fchmod(stream.fileno(), wanted)  # after writing, which would clear set-id bits
            if durable:
                os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    if durable:
        _sync_folder(path.parent)


def _sync_folder(folder: Path) -> None:
    """Flush a folder's entries (the rename just made) to disk, where the system allows it."""
    with contextlib.suppress(OSError):  # some file systems cannot; the file itself is on disk
        descriptor = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
