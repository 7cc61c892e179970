"""The lines of each loaded content file, as written, for checks that scan raw text.

The model keeps parsed values; line-based checks (privacy, unsafe HTML, link and image
text) need the file's own lines, front matter and comments included, so that every
finding points at the real file line and per-line suppression markers can be read. The
loader makes one for each file it loads, from the text it read (`Site.sources`).
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass

from .markdown_scan import LineKind, Link, MarkdownScan, scan_markdown, without_code_spans


@dataclass(frozen=True)
class SourceLines:
    """One content file split into lines, with where its body starts and its code lines.

    `lines[0]` is file line 1. `body_start` is the 1-based line of the body's first line;
    lines before it are front matter. `code` holds the 1-based lines inside fenced code.
    `scan` is the file read as Markdown once (its line indexes are 0-based).
    """

    path: str
    lines: tuple[str, ...]
    body_start: int
    code: frozenset[int]
    scan: MarkdownScan = dataclasses.field(repr=False, compare=False)

    @classmethod
    def from_text(cls, path: str, text: str, body_start: int) -> SourceLines:
        """Split `text` (the whole file) into lines; `body_start` is 1-based."""
        scan = scan_markdown(text, max(body_start - 1, 0))
        code = frozenset(index + 1 for index, kind in enumerate(scan.kinds) if kind is LineKind.CODE)
        return cls(path, scan.lines, body_start, code, scan)

    @functools.cached_property
    def text_digest(self) -> str:
        """The SHA-256 of the file's text, worked out once (build-cache keys use it)."""
        return hashlib.sha256("\n".join(self.lines).encode("utf-8", "surrogatepass")).hexdigest()

    def numbered(self) -> Iterator[tuple[int, str]]:
        """Every line with its 1-based number."""
        return enumerate(self.lines, start=1)

    def is_front_matter(self, number: int) -> bool:
        return number < self.body_start

    def body_lines(self) -> Iterator[tuple[int, str]]:
        """Body lines outside fenced code, with inline code spans blanked out."""
        for number, line in self.numbered():
            if number >= self.body_start and number not in self.code:
                yield number, without_code_spans(line)

    def body_links(self) -> list[Link]:
        """The links and images of the body, in text and comments, with 1-based file lines."""
        return [
            dataclasses.replace(link, line=link.line + 1, target_line=link.target_line + 1)
            for link in self.scan.links(max(self.body_start - 1, 0))
        ]
