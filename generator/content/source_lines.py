"""The lines of each loaded content file, as written, for checks that scan raw text.

The model keeps parsed values; line-based checks (privacy, unsafe HTML, link and image
text) need the file's own lines, front matter and comments included, so that every
finding points at the real file line and per-line suppression markers can be read.
"""

from __future__ import annotations

import bisect
import functools
import hashlib
import re
import weakref
from collections.abc import Iterator
from dataclasses import dataclass, fields
from pathlib import Path

from .model import Origin, Site
from .source_file import decode

_BACKTICKS = re.compile(r"`+")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")


def fenced_code_lines(markdown: str) -> set[int]:
    """0-based indexes of the lines of `markdown` inside fenced code, fences included."""
    inside: set[int] = set()
    fence: str | None = None
    for index, line in enumerate(markdown.split("\n")):
        opener = _FENCE.match(line)
        if fence is not None:
            inside.add(index)
            if opener and opener.group(1)[0] == fence[0] and len(opener.group(1)) >= len(fence):
                fence = None
        elif opener:
            fence = opener.group(1)
            inside.add(index)
    return inside


@dataclass(frozen=True)
class SourceLines:
    """One content file split into lines, with where its body starts and its code lines.

    `lines[0]` is file line 1. `body_start` is the 1-based line of the body's first line;
    lines before it are front matter. `code` holds the 1-based lines inside fenced code.
    """

    path: str
    lines: tuple[str, ...]
    body_start: int
    code: frozenset[int]

    @classmethod
    def from_text(cls, path: str, text: str, body_start: int) -> SourceLines:
        """Split `text` (the whole file) into lines; `body_start` is 1-based."""
        lines = tuple(text.split("\n"))
        body = lines[body_start - 1 :] if body_start >= 1 else lines
        code = frozenset(body_start + index for index in fenced_code_lines("\n".join(body)))
        return cls(path, lines, body_start, code)

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


def code_spans(line: str) -> Iterator[tuple[int, int]]:
    """Where each inline code span (`like this`) of `line` starts and ends.

    A run of backticks opens a span that the next run of the same length closes; a run
    with no such partner is plain text. The runs are read once and each opener finds its
    closer by a binary search, so a line of thousands of unmatched runs stays cheap."""
    runs = [(match.start(), match.end()) for match in _BACKTICKS.finditer(line)]
    by_length: dict[int, list[int]] = {}
    for index, (start, end) in enumerate(runs):
        by_length.setdefault(end - start, []).append(index)
    index = 0
    while index < len(runs):
        start, end = runs[index]
        same = by_length[end - start]
        after = bisect.bisect_right(same, index)
        if after < len(same):
            closer = same[after]
            yield start, runs[closer][1]
            index = closer + 1
        else:
            index += 1


def without_code_spans(line: str) -> str:
    """The line with each inline code span (`like this`) replaced by spaces."""
    if "`" not in line:
        return line
    pieces: list[str] = []
    position = 0
    for start, end in code_spans(line):
        pieces += [line[position:start], " " * (end - start)]
        position = end
    return "".join([*pieces, line[position:]])


_LAST_READ: list[tuple[weakref.ref[Site], list[SourceLines]]] = []


def site_sources(site: Site) -> list[SourceLines]:
    """The lines of every loaded item's file, whatever its kind; files that cannot be read again are skipped
    (the loader has already reported them). Several checks scan the same site in turn, so
    the files are read once per site."""
    if _LAST_READ and _LAST_READ[0][0]() is site:
        return _LAST_READ[0][1]
    sources = _read_sources(site)
    _LAST_READ[:] = [(weakref.ref(site), sources)]
    return sources


def _read_sources(site: Site) -> list[SourceLines]:
    origins: list[Origin] = [
        origin
        for group in (getattr(site, f.name) for f in fields(site))
        if isinstance(group, tuple)
        for item in group
        if isinstance(origin := getattr(item, "origin", None), Origin)
    ]
    sources = []
    for origin in sorted({o.path: o for o in origins}.values(), key=lambda o: o.path):
        file = Path(site.settings.root) / origin.path
        try:
            raw = file.read_bytes()
        except OSError:
            continue
        text, _ = decode(raw, origin.path)
        if text is not None:
            sources.append(SourceLines.from_text(origin.path, text, origin.body_first_line))
    return sources
