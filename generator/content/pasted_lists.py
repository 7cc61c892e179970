"""Bullet points pasted from Word, read as the list they were meant to be.

Word's bullets arrive as characters at the start of a line ("•", "◦", "▪", "–", Symbol's
private-use bullets, or "o" for a second-level point) rather than Markdown's "- ", and
Markdown would run such lines together into one paragraph. `pasted_items` finds them (not
in fenced code or comments), and `PastedListsExtension`, one of the Markdown extensions
every page, feed entry and email is made with, turns them into "- " items first, so all
three show the same list. `sofs check` names them too, with the Markdown way to write them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from markdown import Markdown
from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor

from .markdown_scan import LineKind, scan_markdown

#: Each bullet character Word pastes, with the list level it stands for (0 = top).
BULLETS = {
    "•": 0,
    "·": 0,
    "‣": 0,
    "⁃": 0,
    "–": 0,
    "\uf0b7": 0,  # Symbol font bullet
    "◦": 1,
    "o": 1,  # Word's second level, in Courier New
    "\uf06f": 1,
    "▪": 2,
    "▫": 2,
    "\uf0a7": 2,  # Wingdings square
}
_ITEM = re.compile("^[ \t]*(" + "|".join(re.escape(mark) for mark in BULLETS) + ")[ \t\u00a0]+(\\S.*)$")


@dataclass(frozen=True)
class PastedItem:
    """One line that starts with a pasted bullet: its index, bullet, level and text."""

    index: int
    bullet: str
    level: int
    text: str
    #: Whether it starts a new list (the line before it is not part of the same list).
    starts_list: bool


def pasted_items(lines: Sequence[str], kinds: Sequence[LineKind] | None = None) -> list[PastedItem]:
    """The lines of `lines` that start with a bullet pasted from Word, with the level each
    stands at. "o " counts only right under another pasted bullet ("o dear" starts no list); a
    level is counted from the list's first bullet and is at most one deeper than the item
    before it. `kinds` are the lines' kinds
    (`scan_markdown`'s), worked out here when not given."""
    if kinds is None:
        kinds = scan_markdown("\n".join(lines)).kinds
    items: list[PastedItem] = []
    level = -1  # the level of the item before, -1 outside a list
    base = 0  # the bullet level the list started at
    blank_before = False
    for index, line in enumerate(lines):
        if kinds[index] is not LineKind.TEXT:
            level, blank_before = -1, False
            continue
        found = _ITEM.match(line)
        if found and (found.group(1) != "o" or (level >= 0 and not blank_before)):
            bullet = found.group(1)
            if level < 0:
                base = BULLETS[bullet]  # a list of "◦" alone is a list, not one nested in nothing
            new_level = max(0, min(BULLETS[bullet] - base, level + 1))
            items.append(PastedItem(index, bullet, new_level, found.group(2), level < 0))
            level, blank_before = new_level, False
        elif not line.strip():
            blank_before = True
        elif blank_before or line.lstrip().startswith(("- ", "* ", "+ ", "#")):
            level, blank_before = -1, False  # a new paragraph ends the list
    return items


def as_markdown_list(lines: Sequence[str], kinds: Sequence[LineKind] | None = None) -> list[str]:
    """`lines` with each pasted bullet written as a Markdown item ("- ", indented four spaces
    a level), and a blank line before each list that follows text, as Markdown needs."""
    items = {item.index: item for item in pasted_items(lines, kinds)}
    if not items:
        return list(lines)
    written: list[str] = []
    for index, line in enumerate(lines):
        item = items.get(index)
        if item is None:
            written.append(line)
            continue
        if item.starts_list and written and written[-1].strip():
            written.append("")
        written.append("    " * item.level + "- " + item.text)
    return written


class _PastedLists(Preprocessor):
    def run(self, lines: list[str]) -> list[str]:
        return as_markdown_list(lines)


class PastedListsExtension(Extension):
    """Python-Markdown extension: bullets pasted from Word become a list."""

    def extendMarkdown(self, md: Markdown) -> None:
        # After whitespace is normalised (30), before fenced code is taken out (25).
        md.preprocessors.register(_PastedLists(md), "sofs_pasted_lists", 27)


def makeExtension(**kwargs: Any) -> PastedListsExtension:
    """The extension, as Python-Markdown loads it by its module name."""
    return PastedListsExtension(**kwargs)
