"""Marking an issue published in its file: one line changed, every other byte kept.

Only the front matter's `status:` line is rewritten, so the change is one reviewable line
in version control. Its comment (if any) and line ending stay as they were.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..basics.files import KEEP_MODE, write_atomically

_STATUS = re.compile(rb"^(status[ \t]*:[ \t]*)([\"']?)([A-Za-z]+)\2([ \t]*(?:#.*)?)(\r?\n)?$")


class StatusLineError(Exception):
    """The status line cannot be found or changed; the message says what to do."""


@dataclass(frozen=True)
class StatusChange:
    """The change to make: which line, and how it reads before and after."""

    path: Path
    line: int
    before: str
    after: str
    data: bytes  # the whole file after the change

    @property
    def needed(self) -> bool:
        return self.before != self.after


def plan_status_change(path: Path, shown: str, line: int, new_status: str) -> StatusChange:
    """Work out the change of line `line` (1-based) of `path` to `status: new_status`."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise StatusLineError(f"{shown} cannot be read ({exc.strerror})") from None
    lines = data.splitlines(keepends=True)
    if not 1 <= line <= len(lines):
        raise StatusLineError(f"{shown}:{line}: there is no status line here; run `sofs check`")
    match = _STATUS.match(lines[line - 1])
    if match is None:
        raise StatusLineError(
            f"{shown}:{line}: this line should read `status: draft` (or ready) on its own; "
            "put the status on one line and try again"
        )
    prefix, _, _, comment, ending = match.groups()
    changed = prefix + new_status.encode("ascii") + comment + (ending or b"")
    before = lines[line - 1].decode("utf-8").rstrip("\r\n")
    after = changed.decode("utf-8").rstrip("\r\n")
    result = b"".join([*lines[: line - 1], changed, *lines[line:]])
    return StatusChange(path, line, before, after, result)


def apply_status_change(change: StatusChange) -> None:
    """Write the changed file in one step (a temporary file renamed over it), keeping its mode."""
    if change.needed:
        write_atomically(
            change.path, change.data, mode=KEEP_MODE, durable=True, prefix=f".{change.path.name}."
        )
