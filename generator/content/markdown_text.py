"""Small, dependable readings of Markdown source: headings, sections and visible text."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from .markdown_scan import LineKind, scan_markdown

_ATX = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_ATTR_LIST = re.compile(r"\s*\{[:#.][^}]*\}\s*$")


@dataclass(frozen=True)
class Heading:
    """An ATX heading (`## Title`) found outside code: level, text and 0-based body line."""

    level: int
    text: str
    index: int


def headings(body: str) -> list[Heading]:
    """Every ATX heading in `body` that is not inside fenced code or an HTML comment."""
    found: list[Heading] = []
    scan = scan_markdown(body)
    for index, (line, kind) in enumerate(zip(scan.lines, scan.kinds, strict=True)):
        if kind is not LineKind.TEXT:
            continue
        match = _ATX.match(line)
        if match:
            text = _ATTR_LIST.sub("", (match.group(2) or "").strip())
            found.append(Heading(len(match.group(1)), text, index))
    return found


def split_sections(body: str, level: int = 2) -> list[tuple[Heading, str]]:
    """Split `body` at headings of `level`; each section runs to the next heading of that
    level or higher."""
    lines = body.split("\n")
    marks = [h for h in headings(body) if h.level <= level]
    sections: list[tuple[Heading, str]] = []
    for position, heading in enumerate(marks):
        if heading.level != level:
            continue
        end = marks[position + 1].index if position + 1 < len(marks) else len(lines)
        sections.append((heading, "\n".join(lines[heading.index + 1 : end])))
    return sections


def visible_text(markdown: str) -> str:
    """The text a reader would see: without HTML comments (used for guidance notes); a
    comment never closed hides the rest, as it does in a browser."""
    return scan_markdown(markdown).visible_text()


def normalise_heading(text: str) -> str:
    """Fold a heading for comparison: case, accents, quotes, dashes and punctuation."""
    folded = unicodedata.normalize("NFKD", text).casefold()
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch))
    folded = folded.replace("&", " and ")
    folded = re.sub(r"[^\w\s]", " ", folded)
    return " ".join(folded.split())
