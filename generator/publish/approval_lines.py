"""Writing an approval into an issue's front matter: only its own lines change.

`sofs approve` sets `approved_by`, `approved_on` and `approved_sha256`. A line that holds
one of them (at the left margin of the front matter, with any indented lines continuing
it) is replaced by one line; a missing one is added after the approval lines already
there, or else just before the closing `---`. Every other byte of the file, line endings
included, stays as it was, so the change reads as those lines in version control, and the
approval's own SHA-256 (which leaves exactly those lines out, see
`checks.approval_digest`) is the same before and after.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from ..basics.files import KEEP_MODE, write_atomically

FIELDS = ("approved_by", "approved_on", "approved_sha256")
_DELIMITER = re.compile(rb"-{3,}[ \t]*")
_KEY = re.compile(rb"""^(["']?)(approved_by|approved_on|approved_sha256)\1[ \t]*:(?:[ \t]|$)""")


class SignOffLinesError(Exception):
    """The front matter cannot be changed as asked; the message says what to do."""


@dataclass(frozen=True)
class SignOffChange:
    """The file after the change, and each field's line as it read before (None: added) and after."""

    path: Path
    data: bytes
    lines: tuple[tuple[str, str | None, str], ...]  # (field, before, after)

    @property
    def needed(self) -> bool:
        return any(before != after for _, before, after in self.lines)


def field_line(name: str, value: str) -> str:
    """One front-matter line: text in double quotes (escaped as YAML reads it), a date or
    digest as written."""
    if name == "approved_by":
        return f"{name}: {json.dumps(value, ensure_ascii=False)}"
    if name == "approved_sha256":
        return f'{name}: "{value}"'
    return f"{name}: {value}"


def plan_sign_off(path: Path, shown: str, values: Mapping[str, str]) -> SignOffChange:
    """Work out `path`'s bytes with each of `values` (field name to value, in `FIELDS`) set."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SignOffLinesError(f"{shown} cannot be read ({exc.strerror})") from None
    lines = data.splitlines(keepends=True)
    first = lines[0].removeprefix(b"\xef\xbb\xbf").rstrip(b"\r\n") if lines else b""
    closing = next((i for i in range(1, len(lines)) if _DELIMITER.fullmatch(lines[i].rstrip(b"\r\n"))), None)
    if not _DELIMITER.fullmatch(first) or closing is None:
        raise SignOffLinesError(
            f"{shown}: the front matter between the two `---` lines at the top cannot be found; "
            "run `sofs check`, fix what it says, and try again"
        )
    spans = _field_spans(lines, closing)
    default_ending = _ending(lines[0]) or b"\n"
    replacement: dict[int, list[bytes]] = {}  # index of a line -> what stands there instead
    added: list[bytes] = []
    changes: list[tuple[str, str | None, str]] = []
    for name in FIELDS:
        if name not in values:
            continue
        after = field_line(name, values[name])
        span = spans.get(name)
        if span is None:
            ending = default_ending
            added.append(after.encode("utf-8") + ending)
            changes.append((name, None, after))
            continue
        start, end = span
        ending = _ending(lines[end]) or default_ending
        before = b"".join(lines[start : end + 1]).decode("utf-8", "replace").rstrip("\r\n")
        replacement[start] = [after.encode("utf-8") + ending]
        for index in range(start + 1, end + 1):
            replacement[index] = []
        changes.append((name, before, after))
    # New lines go after the approval lines already there, or else before the closing `---`.
    present = [end for start, end in spans.values()]
    insert_after = max(present) if present else closing - 1
    result: list[bytes] = []
    for index, line in enumerate(lines):
        result += replacement.get(index, [line])
        if index == insert_after:
            result += added
    return SignOffChange(path, b"".join(result), tuple(changes))


def apply_sign_off(change: SignOffChange) -> None:
    """Write the changed file in one step (a temporary file renamed over it), keeping its mode."""
    if change.needed:
        write_atomically(
            change.path, change.data, mode=KEEP_MODE, durable=True, prefix=f".{change.path.name}."
        )


def _ending(line: bytes) -> bytes:
    return line[len(line.rstrip(b"\r\n")) :]


def _field_spans(lines: list[bytes], closing: int) -> dict[str, tuple[int, int]]:
    """Each approval field's first line and its last continuation line (0-based, inclusive)."""
    spans: dict[str, tuple[int, int]] = {}
    current: str | None = None
    for index in range(1, closing):
        line = lines[index]
        if line[:1] in (b" ", b"\t") and current is not None:
            start, _ = spans[current]
            spans[current] = (start, index)
            continue
        match = _KEY.match(line)
        current = None
        if match is not None:
            name = match.group(2).decode("ascii")
            if name not in spans:
                spans[name] = (index, index)
                current = name
    return spans
