"""Reading one content file: bytes to text, then front matter and body with their lines."""

from __future__ import annotations

import errno
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path

from frontmatter.default_handlers import YAMLHandler

from ..basics.diagnostics import Diagnostic, error
from ..basics.yamlread import YamlDocument, YamlProblem, read_yaml, read_yaml_by_field

MAX_FILE_BYTES = 2_000_000
# A longer line is never prose a reader can follow, and line-based checks would take time
# that grows with the square of a line's length; so a file with one is refused.
MAX_LINE_CHARS = 10_000
# Characters XML (and so the feeds) cannot hold: C0 controls other than tab and line ends.
_CONTROL = re.compile("[\x01-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_CHARACTER_REFERENCE = re.compile(r"&#(?:[xX]([0-9a-fA-F]{1,8})|([0-9]{1,10}));")

_FRONT_MATTER = YAMLHandler()


@dataclass(frozen=True)
class SourceText:
    """A content file split into front matter and body.

    `body_first_line` is the file line on which the body's first line stands, so that a
    line `n` (0-based) of `body` is file line `body_first_line + n`. `text` is the whole
    file as decoded.
    """

    path: str
    meta: YamlDocument
    body: str
    body_first_line: int
    text: str
    #: Front-matter fields whose lines are not valid YAML (already reported): not in `meta`.
    unreadable: frozenset[str] = frozenset()


def decode(raw: bytes, path: str) -> tuple[str | None, list[Diagnostic]]:
    """Decode UTF-8 (with or without a byte-order mark), normalising line endings."""
    if len(raw) > MAX_FILE_BYTES:
        return None, [
            error(
                path,
                0,
                "file.too-large",
                f"the file is larger than {MAX_FILE_BYTES // 1_000_000} MB, the limit for a "
                "content file: move large material out or split it",
            )
        ]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        bad = raw[exc.start : exc.start + 1]
        guess = bad.decode("cp1252", errors="replace")
        return None, [
            error(
                path,
                line,
                "file.encoding",
                f"the file is not saved as UTF-8 (byte 0x{bad.hex()} on this line, "
                f"probably {guess!r} pasted from Word); save the file with UTF-8 encoding",
            )
        ]
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        return None, [error(path, line, "file.binary", "the file contains a NUL byte; is it a text file?")]
    control = _control_character(text)
    if control:
        line = text[: control[0]].count("\n") + 1
        return None, [
            error(
                path,
                line,
                "file.control-character",
                f"the line contains {control[1]}, which web pages, feeds and emails cannot carry "
                "(it often comes with text pasted from another program); delete it",
            )
        ]
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if len(text) > MAX_LINE_CHARS:
        for number, long_line in enumerate(text.split("\n"), start=1):
            if len(long_line) > MAX_LINE_CHARS:
                return None, [
                    error(
                        path,
                        number,
                        "file.line-too-long",
                        f"this line is {len(long_line):,} characters long; lines must be under "
                        f"{MAX_LINE_CHARS:,}: break it into paragraphs (leave a blank line between them)",
                    )
                ]
    return text, []


def _control_character(text: str) -> tuple[int, str] | None:
    """Where the first character that XML cannot hold is, written or as `&#...;`, and what it is."""
    found = _CONTROL.search(text)
    first = (found.start(), f"the invisible control character U+{ord(found.group()):04X}") if found else None
    for reference in _CHARACTER_REFERENCE.finditer(text, 0, first[0] if first else len(text)):
        hexadecimal, decimal = reference.groups()
        code = int(hexadecimal, 16) if hexadecimal else int(decimal)
        if _CONTROL.match(chr(code)) if code <= 0x10FFFF else False:
            return (
                reference.start(),
                f"{reference.group()}, a reference to the control character U+{code:04X}",
            )
    return first


def split_front_matter(text: str, path: str) -> tuple[SourceText | None, list[Diagnostic]]:
    """Split text into front matter (parsed, with key lines) and body."""
    if not text.strip():
        return None, [
            error(
                path,
                0,
                "file.empty",
                "the file is empty; add front matter between two `---` lines, or delete it",
            )
        ]
    if not _FRONT_MATTER.detect(text):
        return None, [
            error(
                path,
                1,
                "front-matter.missing",
                "the file does not start with front matter; its first line must be `---`, "
                "followed by fields like `title: ...` and another `---` line",
            )
        ]
    boundaries = list(_FRONT_MATTER.FM_BOUNDARY.finditer(text))[:2]
    if len(boundaries) < 2:
        return None, [
            error(
                path,
                1,
                "front-matter.unclosed",
                "the front matter is never closed; add a line `---` after the last field",
            )
        ]
    opening, closing = boundaries
    yaml_text = text[opening.end() : closing.start()]
    body = text[closing.end() :]
    first_line = text[: opening.end()].count("\n") + 1
    body_first_line = text[: closing.end()].count("\n") + 1
    try:
        meta = read_yaml(yaml_text, first_line=first_line)
    except YamlProblem:
        # Read the fields one by one: every broken one is reported, the others still count.
        fields = read_yaml_by_field(yaml_text, first_line)
        problems = [error(path, p.line, "front-matter.yaml", p.message) for p in fields.problems]
        return SourceText(path, fields.document, body, body_first_line, text, fields.unreadable), problems
    return SourceText(path, meta, body, body_first_line, text), []


def _read_regular_file(file: Path) -> bytes:
    """The file's bytes, or just over `MAX_FILE_BYTES` of them when it is larger (enough for
    `decode` to refuse it). Links are not followed, and anything that is not a regular file
    is refused without waiting on it (opening a pipe would otherwise block)."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    descriptor = os.open(file, flags)
    with os.fdopen(descriptor, "rb") as handle:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            raise OSError(errno.EINVAL, "it is not an ordinary file", str(file))
        return handle.read(MAX_FILE_BYTES + 1)


def read_source(file: Path, path: str) -> tuple[SourceText | None, list[Diagnostic]]:
    """Read and split one content file; problems come back as diagnostics, never raised."""
    try:
        raw = _read_regular_file(file)
    except OSError as exc:
        return None, [error(path, 0, "file.unreadable", f"the file cannot be read ({exc.strerror})")]
    text, problems = decode(raw, path)
    if text is None:
        return None, problems
    return split_front_matter(text, path)
