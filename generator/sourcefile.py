"""Reading one content file: bytes to text, then front matter and body with their lines."""

from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from frontmatter.default_handlers import YAMLHandler

from .diagnostics import Diagnostic, error
from .yamlread import YamlDocument, YamlProblem, read_yaml

MAX_FILE_BYTES = 2_000_000
# A longer line is never prose a reader can follow, and line-based checks would take time
# that grows with the square of a line's length; so a file with one is refused.
MAX_LINE_CHARS = 10_000

_FRONT_MATTER = YAMLHandler()


@dataclass(frozen=True)
class SourceText:
    """A content file split into front matter and body.

    `body_first_line` is the file line on which the body's first line stands, so that a
    line `n` (0-based) of `body` is file line `body_first_line + n`.
    """

    path: str
    meta: YamlDocument
    body: str
    body_first_line: int


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
    try:
        meta = read_yaml(yaml_text, first_line=text[: opening.end()].count("\n") + 1)
    except YamlProblem as problem:
        return None, [error(path, problem.line, "front-matter.yaml", problem.message)]
    body_first_line = text[: closing.end()].count("\n") + 1
    return SourceText(path, meta, body, body_first_line), []


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
