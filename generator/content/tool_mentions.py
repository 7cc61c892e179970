"""Linking the first mention of each practice tool in a piece of Markdown to its guide page.

Mentions are found by name or alias, without regard to case, singular or plural. Text
that must not change is never touched: headings, fenced and indented code, inline code,
existing links and images, autolinks, raw HTML, link definitions and admonition titles,
and any part of a longer word.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from .markdown_scan import LineKind, MarkdownScan, code_spans, find_links, scan_markdown

_SKIPPED_LINE = re.compile(r"^ {0,3}(?:#{1,6}(?:\s|$)|<|\[[^\]]+\]:|!!!|\?\?\?|\*\[)")
_SETEXT_UNDERLINE = re.compile(r"^ {0,3}(?:=+|-+)\s*$")
# Besides code spans, links, images and comments (found by the Markdown scanner):
_PROTECTED = re.compile(
    r"<([A-Za-z][\w-]*)\b[^>\n]*>.*?</\1\s*>"  # an inline HTML element and its content
    r"|<[^>\n]+>"  # autolinks and other inline HTML
    r"|\bhttps?://\S+"  # bare addresses
    r"|(?<![^\s@])[^\s@]+@[^\s@]+\.[^\s@]+"  # email addresses (starts only after a space: linear time)
    r"|\{[:#.][^}]*\}"  # attribute lists
)


class NamedTool(Protocol):
    """What the matcher reads of a tool: its slug, its name and its other names."""

    @property
    def slug(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def aliases(self) -> tuple[str, ...]: ...


@dataclass(frozen=True)
class Mention:
    """A tool found in the text: which tool and the exact words used."""

    slug: str
    text: str


def _variants(term: str) -> set[str]:
    """A term with its singular and plural forms."""
    term = " ".join(term.split())
    forms = {term}
    if term.endswith("ies"):
        forms.add(term[:-3] + "y")
    elif term.endswith("es") and term[-3:-2] in ("s", "x", "h"):
        forms.add(term[:-2])
    elif term.endswith("s") and not term.endswith("ss"):
        forms.add(term[:-1])
    else:
        forms.add(term + ("es" if term[-1:] in ("s", "x", "h") else "s"))
        if term.endswith("y") and term[-2:-1] not in "aeiou":
            forms.add(term[:-1] + "ies")
    return forms


#: The longest tool name or alias: longer names are never written out in running text, and
#: the prefix tree's depth (and so the recursion that writes its pattern) stays bounded by
#: this. The loader refuses longer ones.
LONGEST_TERM = 100


def tool_terms(tool: NamedTool) -> set[str]:
    """Every wording that counts as a mention of `tool` (names over `LONGEST_TERM` characters are not linked)."""
    name = re.sub(r"\s*\([^)]*\)", "", tool.name).strip()
    terms: set[str] = set()
    for term in (name, *tool.aliases):
        if 2 <= len(term.strip()) <= LONGEST_TERM:
            terms |= _variants(term.strip())
    return terms


def trie_pattern(terms: Iterable[str]) -> str:
    """One regular expression for many terms, shaped as a prefix tree.

    A flat alternation is tried term by term at every position of the text; a tree tries
    each character once. Where a term ends inside a longer one, the rest is optional and
    greedy, so the longest term wins, as it would in a longest-first alternation. A space
    in a term matches any run of white space (a term may wrap onto the next line).
    """
    tree: dict[str, Any] = {}
    for term in terms:
        node = tree
        for char in " ".join(term.split()):
            node = node.setdefault(char, {})
        node[""] = {}

    def emit(node: dict[str, Any]) -> str:
        branches = [
            (r"\s+" if char == " " else re.escape(char)) + emit(child)
            for char, child in sorted(node.items())
            if char
        ]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return emit(tree)


#: How many texts' mentions a matcher keeps before it starts again (a few archives' worth).
_KEPT_TEXTS = 20_000


class ToolMatcher:
    """Finds and links tool mentions; build one per set of tools and reuse it (a loaded
    `Site` carries the one for its tools)."""

    def __init__(self, tools: Sequence[NamedTool]) -> None:
        owner: dict[str, str] = {}
        for tool in tools:
            for term in tool_terms(tool):
                owner.setdefault(term.casefold(), tool.slug)
        self._owner = owner
        pattern = trie_pattern(owner)
        self._pattern = re.compile(rf"(?<![\w-])(?:{pattern})(?![\w-])", re.IGNORECASE) if owner else None
        self._found: dict[str, tuple[Mention, ...]] = {}

    def finds_as(self, other: ToolMatcher) -> bool:
        """Whether `other` was made for the same tool names (and so finds the same mentions)."""
        return self._owner == other._owner

    def slug_for(self, words: str) -> str:
        return self._owner[" ".join(words.split()).casefold()]

    def mentions(self, markdown: str) -> list[Mention]:
        """Every mention in linkable text, in order. Each text's mentions are kept, so a
        matcher reused across loads (`sofs serve`) reads only the texts that changed."""
        known = self._found.get(markdown)
        if known is None:
            if len(self._found) >= _KEPT_TEXTS:
                self._found.clear()
            known = self._found[markdown] = tuple(self._find(markdown))
        return list(known)

    def _find(self, markdown: str) -> list[Mention]:
        found: list[Mention] = []
        for segment in _linkable_segments(markdown):
            if self._pattern is None:
                break
            for match in self._pattern.finditer(segment):
                found.append(Mention(self.slug_for(match.group(0)), match.group(0)))
        return found

    def link_first_mentions(
        self, markdown: str, href_for: Callable[[str], str], already: Iterable[str] = ()
    ) -> tuple[str, list[str]]:
        """Link the first mention of each tool not in `already`; returns the new text and
        the slugs linked, in order."""
        if self._pattern is None:
            return markdown, []
        done = set(already)
        linked: list[str] = []

        def link(match: re.Match[str]) -> str:
            slug = self.slug_for(match.group(0))
            if slug in done:
                return match.group(0)
            done.add(slug)
            linked.append(slug)
            return f"[{match.group(0)}]({href_for(slug)})"

        pattern = self._pattern
        text = _rewrite_linkable(markdown, lambda segment: pattern.sub(link, segment))
        return text, linked


def _line_kinds(scan: MarkdownScan) -> list[bool]:
    """For each line, whether its text may be linked."""
    lines = list(scan.lines)
    linkable: list[bool] = []
    previous_blank = True
    in_indented_code = False
    for index, (line, kind) in enumerate(zip(lines, scan.kinds, strict=True)):
        if kind is not LineKind.TEXT:
            linkable.append(False)
            continue
        blank = not line.strip()
        indented = line.startswith(("    ", "\t")) and not blank
        in_indented_code = (
            indented and (previous_blank or in_indented_code) and not _continues_list(lines, index)
        )
        following = lines[index + 1] if index + 1 < len(lines) else ""
        setext = not blank and bool(_SETEXT_UNDERLINE.match(following)) and not line.lstrip().startswith("-")
        linkable.append(not (blank or in_indented_code or setext or _SKIPPED_LINE.match(line)))
        previous_blank = blank
    return linkable


def _continues_list(lines: list[str], index: int) -> bool:
    """Indented text under a list item is its continuation, not code."""
    for earlier in reversed(lines[:index]):
        if not earlier.strip():
            continue
        stripped = earlier.lstrip()
        return bool(re.match(r"(?:[-*+]|\d+[.)])\s", stripped)) or earlier.startswith(("    ", "\t"))
    return False


#: Characters that can start a protected piece; a line with none of them is all free text.
_MAY_PROTECT = re.compile(r"[`\[<@{]|https?://")


def _markdown_pieces(line: str, comments: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Code spans, links, images and comments of a line, outermost only, by start."""
    pieces = [*comments, *(code_spans(line) if "`" in line else ())]
    pieces += ((link.start, link.end) for link in find_links(line))
    outermost: list[tuple[int, int]] = []
    for start, end in sorted(pieces, key=lambda piece: (piece[0], -piece[1])):
        if not outermost or start >= outermost[-1][1]:
            outermost.append((start, end))
    return outermost


def _split_protected(line: str, comments: list[tuple[int, int]]) -> list[tuple[str, bool]]:
    if not comments and not _MAY_PROTECT.search(line):
        return [(line, True)] if line else []
    pieces = _markdown_pieces(line, comments)
    parts: list[tuple[str, bool]] = []
    position = next_piece = 0
    other = _PROTECTED.search(line)
    while True:
        while next_piece < len(pieces) and pieces[next_piece][0] < position:
            next_piece += 1
        if other is not None and other.start() < position:
            other = _PROTECTED.search(line, position)
        first = pieces[next_piece] if next_piece < len(pieces) else None
        if other is not None and (first is None or other.start() < first[0]):
            start, end = other.span()
        elif first is not None:
            start, end = first
        else:
            break
        if start > position:
            parts.append((line[position:start], True))
        parts.append((line[start:end], False))
        position = end
    if position < len(line):
        parts.append((line[position:], True))
    return parts


def _linkable_lines(markdown: str) -> Iterable[tuple[int, str, list[tuple[str, bool]] | None]]:
    """Each line with its pieces (text, free to link), or None where none may be linked."""
    scan = scan_markdown(markdown)
    for index, (line, linkable) in enumerate(zip(scan.lines, _line_kinds(scan), strict=True)):
        yield index, line, _split_protected(line, scan.comment_columns(index)) if linkable else None


def prose_segments(markdown: str) -> Iterable[tuple[int, str]]:
    """Pieces of running text with their 0-based line: no headings, code, links, comments or HTML."""
    for index, _, parts in _linkable_lines(markdown):
        yield from ((index, text) for text, free in parts or () if free)


def _linkable_segments(markdown: str) -> Iterable[str]:
    return (text for _, text in prose_segments(markdown))


def _rewrite_linkable(markdown: str, rewrite: Callable[[str], str]) -> str:
    out: list[str] = []
    for _, line, parts in _linkable_lines(markdown):
        out.append(
            line if parts is None else "".join(rewrite(text) if free else text for text, free in parts)
        )
    return "\n".join(out)
