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
from typing import Any

from .model import Tool

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_SKIPPED_LINE = re.compile(r"^ {0,3}(?:#{1,6}(?:\s|$)|<|\[[^\]]+\]:|!!!|\?\?\?|\*\[)")
_SETEXT_UNDERLINE = re.compile(r"^ {0,3}(?:=+|-+)\s*$")
_PROTECTED = re.compile(
    r"(`+).*?\1"  # inline code
    r"|!?\[(?:[^\[\]]|\[[^\[\]]*\])*\]\([^)]*\)"  # inline links and images
    r"|!?\[(?:[^\[\]]|\[[^\[\]]*\])*\]\[[^\]]*\]"  # reference links
    r"|<([A-Za-z][\w-]*)\b[^>\n]*>.*?</\2\s*>"  # an inline HTML element and its content
    r"|<[^>\n]+>"  # autolinks and other inline HTML
    r"|\bhttps?://\S+"  # bare addresses
    r"|(?<![^\s@])[^\s@]+@[^\s@]+\.[^\s@]+"  # email addresses (starts only after a space: linear time)
    r"|\{[:#.][^}]*\}"  # attribute lists
)


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


#: Longer names are never written out in running text; the prefix tree's depth (and so the
#: recursion that writes its pattern) stays bounded by this.
LONGEST_TERM = 100


def tool_terms(tool: Tool) -> set[str]:
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


class ToolMatcher:
    """Finds and links tool mentions; build one per set of tools and reuse it."""

    def __init__(self, tools: Sequence[Tool]) -> None:
        owner: dict[str, str] = {}
        for tool in tools:
            for term in tool_terms(tool):
                owner.setdefault(term.casefold(), tool.slug)
        self._owner = owner
        pattern = trie_pattern(owner)
        self._pattern = re.compile(rf"(?<![\w-])(?:{pattern})(?![\w-])", re.IGNORECASE) if owner else None

    def slug_for(self, words: str) -> str:
        return self._owner[" ".join(words.split()).casefold()]

    def mentions(self, markdown: str) -> list[Mention]:
        """Every mention in linkable text, in order."""
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


def _line_kinds(lines: list[str]) -> list[bool]:
    """For each line, whether its text may be linked."""
    linkable: list[bool] = []
    fence: str | None = None
    previous_blank = True
    in_indented_code = False
    for index, line in enumerate(lines):
        opener = _FENCE.match(line)
        if fence is not None:
            linkable.append(False)
            if opener and opener.group(1)[0] == fence[0] and len(opener.group(1)) >= len(fence):
                fence = None
            continue
        if opener:
            fence = opener.group(1)
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


def _split_protected(line: str) -> list[tuple[str, bool]]:
    if not _MAY_PROTECT.search(line):
        return [(line, True)] if line else []
    parts: list[tuple[str, bool]] = []
    position = 0
    for match in _PROTECTED.finditer(line):
        if match.start() > position:
            parts.append((line[position : match.start()], True))
        parts.append((match.group(0), False))
        position = match.end()
    if position < len(line):
        parts.append((line[position:], True))
    return parts


def prose_segments(markdown: str) -> Iterable[tuple[int, str]]:
    """Pieces of running text with their 0-based line: no headings, code, links or HTML."""
    lines = markdown.split("\n")
    for index, (line, linkable) in enumerate(zip(lines, _line_kinds(lines), strict=True)):
        if linkable:
            yield from ((index, text) for text, free in _split_protected(line) if free)


def _linkable_segments(markdown: str) -> Iterable[str]:
    return (text for _, text in prose_segments(markdown))


def _rewrite_linkable(markdown: str, rewrite: Callable[[str], str]) -> str:
    lines = markdown.split("\n")
    out: list[str] = []
    for line, linkable in zip(lines, _line_kinds(lines), strict=True):
        if not linkable:
            out.append(line)
            continue
        out.append("".join(rewrite(text) if free else text for text, free in _split_protected(line)))
    return "\n".join(out)


_MATCHERS: dict[tuple[tuple[str, str, tuple[str, ...]], ...], ToolMatcher] = {}


def matcher_for(tools: Sequence[Tool]) -> ToolMatcher:
    """A shared matcher for one set of tools (built once per distinct set)."""
    key = tuple((t.slug, t.name, t.aliases) for t in tools)
    if key not in _MATCHERS:
        if len(_MATCHERS) > 8:
            _MATCHERS.clear()
        _MATCHERS[key] = ToolMatcher(tools)
    return _MATCHERS[key]
