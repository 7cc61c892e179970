"""One reading of Markdown source for every stage: what kind each line is (text, fenced
code, HTML comment, front matter), where the inline code spans of a line are, and which
links and images the text holds, with their lines.

Fences follow CommonMark: an opener is three or more backticks or tildes indented at most
three spaces (a backtick fence's info string has no backtick); its closer is a run of the
same character at least as long, indented at most three spaces, with nothing after it but
spaces; a fence never closed runs to the end. A comment runs from `<!--` to the next `-->`,
or to the end when there is none (a browser hides the rest). Neither is read inside the
other, nor inside a code span. Links and images are read as CommonMark reads them:
bracketed text (brackets may nest) followed at once by `(address "title")` or by a
`[label]`; code spans bind more tightly than brackets, and a link holds no other link.
Every reading takes time in proportion to the text, whatever it holds.
"""

from __future__ import annotations

import bisect
import enum
import functools
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass

_OPENER = re.compile(r" {0,3}(`{3,}|~{3,})(.*)")
_CLOSER = re.compile(r" {0,3}(`{3,}|~{3,})[ \t]*")
_BACKTICKS = re.compile(r"`+")
_COMMENT_START = "<!--"
_COMMENT_END = "-->"
# Lines that start a block of their own: a link's text does not run across them.
_BLOCK_START = re.compile(r" {0,3}(?:#{1,6}(?:[ \t]|$)|(?:[-*+]|\d{1,9}[.)])(?:[ \t]|$)|>)")
_HEADING = re.compile(r" {0,3}#{1,6}(?:[ \t]|$)")
_SPECIAL = re.compile(r"[\\\[\]]")
_SPACE = re.compile(r"[ \t]*(?:\n[ \t]*)?")
_POINTY = re.compile(r"<((?:[^<>\n\\]|\\.)*)>")
_BARE = re.compile(r"(?:[^\s()\\]|\\.|\((?:[^\s()\\]|\\.)*\))*")
_LABEL = re.compile(r"\[((?:[^\[\]\\]|\\.){0,999})\]")
_DEFINITION = re.compile(r" {0,3}\[((?:[^\[\]\\]|\\.){1,999})\]:[ \t]*(?:<([^<>\n]*)>|(\S+))")
_ADDRESS_AFTER_BRACKET = re.compile(r"\]\(\s*(?:<([^<>\n]*)>|([^\s)]+))")
_AUTOLINK = re.compile(r"<([A-Za-z][A-Za-z0-9+.\-]*:[^<>\s]*)>")
_TITLE_ENDS = {'"': '"', "'": "'", "(": ")"}


class LineKind(enum.Enum):
    """What a line of Markdown source is."""

    TEXT = "text"
    CODE = "code"  # inside fenced code, the fences included
    COMMENT = "comment"  # nothing but an HTML comment (or part of one)
    FRONT_MATTER = "front matter"


def fence_opener(line: str) -> str | None:
    """The fence (its run of backticks or tildes) that `line` opens, or None."""
    match = _OPENER.match(line)
    if match is None or (match.group(1)[0] == "`" and "`" in match.group(2)):
        return None
    return match.group(1)


def closes_fence(line: str, fence: str) -> bool:
    """Whether `line` closes the fenced code that `fence` opened."""
    match = _CLOSER.fullmatch(line)
    return match is not None and match.group(1)[0] == fence[0] and len(match.group(1)) >= len(fence)


def code_spans(text: str) -> Iterator[tuple[int, int]]:
    """Where each inline code span (`like this`) of `text` starts and ends.

    A run of backticks opens a span that the next run of the same length closes; a run
    with no such partner is plain text. The runs are read once and each opener finds its
    closer by a binary search, so a line of thousands of unmatched runs stays cheap."""
    runs = [(match.start(), match.end()) for match in _BACKTICKS.finditer(text)]
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


@dataclass(frozen=True)
class Link:
    """A link or image: `[text](destination "title")` or `[text][label]`.

    `start` and `end` are offsets in the text that was read (the `!` of an image
    included); `line` is the 0-based line of its start and `target_line` the line on
    which its destination or label is written."""

    image: bool
    text: str
    destination: str | None
    title: str | None
    label: str | None
    start: int
    end: int
    line: int = 0
    target_line: int = 0


class _Finder:
    """The next unescaped occurrence of a character, remembered: the text is read
    forwards, so each character's search goes over the text once at most."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.found: dict[str, int] = {}

    def next(self, character: str, start: int) -> int:
        known = self.found.get(character)
        if known is not None and (known == -1 or known >= start):
            return known
        position = self.text.find(character, start)
        while position > 0 and _escaped(self.text, position):
            position = self.text.find(character, position + 1)
        self.found[character] = position
        return position


def _escaped(text: str, position: int) -> bool:
    slashes = 0
    while position - slashes > 0 and text[position - slashes - 1] == "\\":
        slashes += 1
    return slashes % 2 == 1


def _matched_to(pattern: re.Pattern[str], text: str, position: int) -> int:
    """Where `pattern` (which may match nothing) ends when matched at `position`."""
    match = pattern.match(text, position)
    return match.end() if match is not None else position


def _inline_tail(text: str, start: int, finder: _Finder) -> tuple[str, str | None, int] | None:
    """The `(destination "title")` starting just after its `(`: destination, title and
    the offset after the `)`; None when it is not one."""
    position = _matched_to(_SPACE, text, start)
    pointy = _POINTY.match(text, position)
    if pointy is not None:
        destination, position = pointy.group(1), pointy.end()
    else:
        end = _matched_to(_BARE, text, position)
        destination, position = text[position:end], end
    title: str | None = None
    spaced = _matched_to(_SPACE, text, position)
    if spaced > position and spaced < len(text) and text[spaced] in _TITLE_ENDS:
        opening = text[spaced]
        closing = finder.next(_TITLE_ENDS[opening], spaced + 1)
        if closing < 0 or (opening == "(" and text.find("(", spaced + 1, closing) >= 0):
            return None
        title = text[spaced + 1 : closing]
        position = _matched_to(_SPACE, text, closing + 1)
    else:
        position = spaced
    if text.startswith(")", position):
        return destination, title, position + 1
    return None


def find_links(text: str) -> list[Link]:
    """The links and images of `text` (a line or a paragraph), ordered by where they end:
    an image inside a link comes before it. Offsets and lines are relative to `text`."""
    if "[" not in text:
        return []
    spans = list(code_spans(text)) if "`" in text else []
    finder = _Finder(text)
    found: list[Link] = []
    openers: list[tuple[int, bool]] = []  # (offset of "[", is an image)
    inactive_below = 0  # link openers under this depth are inside a link already
    span = 0
    position = 0
    while (special := _SPECIAL.search(text, position)) is not None:
        at = special.start()
        while span < len(spans) and spans[span][1] <= at:
            span += 1
        if span < len(spans) and spans[span][0] <= at:
            position = spans[span][1]
            continue
        character = text[at]
        position = at + 1
        if character == "\\":
            position = at + 2
            continue
        if character == "[":
            openers.append((at, at > 0 and text[at - 1] == "!" and not _escaped(text, at - 1)))
            continue
        if not openers:
            continue
        opened, image = openers.pop()
        depth = len(openers)
        inactive = not image and depth < inactive_below
        inactive_below = min(inactive_below, depth)
        if inactive:
            continue
        link = _link_after(text, opened, at, image, finder)
        if link is None:
            continue
        found.append(link)
        position = link.end
        if not image:
            inactive_below = len(openers)
    return found


def _link_after(text: str, opened: int, closed: int, image: bool, finder: _Finder) -> Link | None:
    """The link whose text runs from the `[` at `opened` to the `]` at `closed`, if what
    follows the `]` makes one."""
    follows = text[closed + 1 : closed + 2]
    destination = title = label = None
    if follows == "(":
        tail = _inline_tail(text, closed + 2, finder)
        if tail is None:
            return None
        destination, title, end = tail
    elif follows == "[":
        match = _LABEL.match(text, closed + 1)
        if match is None or (match.group(1) and not match.group(1).strip()):
            return None
        label, end = match.group(1), match.end()
    else:
        return None
    start = opened - 1 if image else opened
    return Link(
        image,
        text[opened + 1 : closed],
        destination,
        title,
        label,
        start,
        end,
        text.count("\n", 0, start),
        text.count("\n", 0, closed),
    )


def link_definition(line: str) -> tuple[str, str] | None:
    """The label and destination of a link reference definition (`[name]: address`)."""
    match = _DEFINITION.match(line)
    if match is None or not match.group(1).strip():
        return None
    return match.group(1), match.group(2) if match.group(2) is not None else match.group(3)


def link_addresses(line: str) -> Iterator[str]:
    """The address after each `](` on a line, whether or not its link's text opened on
    this line and whatever follows the address: checks that must miss no address read
    them so, as a lenient renderer might (a `<...>` address loses its brackets)."""
    for match in _ADDRESS_AFTER_BRACKET.finditer(line):
        yield match.group(1) if match.group(1) is not None else match.group(2)


def autolinks(line: str) -> Iterator[str]:
    """The addresses of the autolinks (`<scheme:address>`) on a line."""
    return (match.group(1) for match in _AUTOLINK.finditer(line))


def _comment_start(line: str, start: int) -> int:
    """Where the first `<!--` at or after `start` that is not inside a code span is."""
    found = line.find(_COMMENT_START, start)
    if found < 0 or "`" not in line:
        return found
    for span_start, span_end in code_spans(line):
        if found < span_start:
            return found
        if found < span_end:
            found = line.find(_COMMENT_START, span_end)
            if found < 0:
                return found
    return found


@dataclass(frozen=True)
class MarkdownScan:
    """A Markdown text read once: its lines, their kinds, where each fenced code block
    opens, and its HTML comments as (start, end) offsets in the text."""

    lines: tuple[str, ...]
    kinds: tuple[LineKind, ...]
    fence_openers: tuple[int, ...]
    comments: tuple[tuple[int, int], ...]

    @property
    def text(self) -> str:
        return "\n".join(self.lines)

    def code_lines(self) -> frozenset[int]:
        """The 0-based indexes of the lines inside fenced code, fences included."""
        return frozenset(index for index, kind in enumerate(self.kinds) if kind is LineKind.CODE)

    def visible_text(self, keep_line_breaks: bool = False) -> str:
        """The text without its HTML comments; with `keep_line_breaks`, each comment leaves
        its line breaks behind, so that every line keeps its number."""
        text = self.text
        if not self.comments:
            return text
        pieces: list[str] = []
        position = 0
        for start, end in self.comments:
            pieces.append(text[position:start])
            if keep_line_breaks:
                pieces.append("\n" * text.count("\n", start, end))
            position = end
        return "".join([*pieces, text[position:]])

    @functools.cached_property
    def _line_starts(self) -> tuple[int, ...]:
        return tuple(itertools.accumulate((len(line) + 1 for line in self.lines[:-1]), initial=0))

    def comment_columns(self, index: int) -> list[tuple[int, int]]:
        """The parts of line `index` inside HTML comments, as (start, end) columns."""
        if not self.comments:
            return []
        line_start = self._line_starts[index]
        line_end = line_start + len(self.lines[index])
        first = max(bisect.bisect_right(self.comments, (line_start, -1)) - 1, 0)
        columns = []
        for start, end in self.comments[first:]:
            if start >= line_end:
                break
            if end > line_start:
                columns.append((max(start, line_start) - line_start, min(end, line_end) - line_start))
        return columns

    def links(self, first: int = 0) -> list[Link]:
        """The links and images in the text and comments from line `first` on, each with
        its own lines (an address in a comment is still published in the page's source).
        A link's text may run over several lines of a paragraph."""
        found: list[Link] = []
        run: list[int] = []
        for index in range(first, len(self.lines) + 1):
            line = self.lines[index] if index < len(self.lines) else ""
            inside = index < len(self.lines) and self.kinds[index] in (LineKind.TEXT, LineKind.COMMENT)
            if run and (not inside or not line.strip() or _BLOCK_START.match(line)):
                found += self._run_links(run)
                run = []
            if inside and line.strip():
                run.append(index)
                if _HEADING.match(line):
                    found += self._run_links(run)
                    run = []
        return found

    def _run_links(self, run: list[int]) -> list[Link]:
        text = "\n".join(self.lines[index] for index in run)
        first = run[0]
        return [
            Link(
                link.image,
                link.text,
                link.destination,
                link.title,
                link.label,
                link.start,
                link.end,
                first + link.line,
                first + link.target_line,
            )
            for link in find_links(text)
        ]


def scan_markdown(text: str, front_matter_lines: int = 0) -> MarkdownScan:
    """Read `text` once; its first `front_matter_lines` lines are front matter."""
    lines = tuple(text.split("\n"))
    kinds: list[LineKind] = []
    openers: list[int] = []
    comments: list[tuple[int, int]] = []
    fence: str | None = None
    comment_from: int | None = None  # offset where the open comment started
    offset = 0
    for index, line in enumerate(lines):
        line_start, offset = offset, offset + len(line) + 1
        if index < front_matter_lines:
            kinds.append(LineKind.FRONT_MATTER)
            continue
        if fence is not None:
            kinds.append(LineKind.CODE)
            if closes_fence(line, fence):
                fence = None
            continue
        if comment_from is None and (opened := fence_opener(line)) is not None:
            kinds.append(LineKind.CODE)
            openers.append(index)
            fence = opened
            continue
        outside: list[str] = []
        touched = comment_from is not None
        column = 0
        while True:
            if comment_from is not None:
                search_from = max(column, comment_from - line_start + len(_COMMENT_START))
                end = line.find(_COMMENT_END, search_from)
                if end < 0:
                    break
                comments.append((comment_from, line_start + end + len(_COMMENT_END)))
                comment_from, column = None, end + len(_COMMENT_END)
                continue
            start = _comment_start(line, column) if _COMMENT_START in line else -1
            if start < 0:
                outside.append(line[column:])
                break
            outside.append(line[column:start])
            comment_from, column, touched = line_start + start, start, True
        only_comment = touched and not "".join(outside).strip()
        kinds.append(LineKind.COMMENT if only_comment else LineKind.TEXT)
    if comment_from is not None:
        comments.append((comment_from, len(text)))
    return MarkdownScan(lines, tuple(kinds), tuple(openers), tuple(comments))
