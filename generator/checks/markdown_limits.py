"""Shapes of Markdown that would make a build take minutes or crash, found before it.

The Markdown library reads some constructs by looking ahead through the rest of the
paragraph (or the file) for their end, once for each start: a square bracket `[` for its
`]`, a link's `(` for its `)`, a backtick run for its partner, an HTML tag for its `>`.
When thousands of starts have no end, the build takes time in proportion to the square
of the paragraph. Some steps look each element up among all its neighbours (the
abbreviation pass for each piece of inline markup in a paragraph and each block of a page,
the search index for each heading), and a heading, rule or note re-reads the rest of its
paragraph. Emphasis nested thousands deep, or thousands of definitions in a row, exhaust
Python's stack instead. No newsletter comes near the limits below; each finding is a
located error with the fix, found in one pass over the file.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from ..basics.diagnostics import Diagnostic, error
from ..content.markdown_scan import code_spans, without_code_spans
from ..content.source_lines import SourceLines

#: Square brackets, link parentheses or backticks left open in one paragraph.
MAX_UNCLOSED = 10
#: Square brackets inside square brackets, or emphasis inside emphasis.
MAX_DEPTH = 10
#: HTML tags in one file whose `<` has no `>` anywhere after it.
MAX_UNCLOSED_TAGS = 10
#: Definitions (`: ` lines) in one paragraph with no blank line between them.
MAX_DEFINITIONS = 100
#: Headings, rules and notes in one paragraph with no blank line between them.
MAX_BLOCK_STARTS = 50
#: Links, code, emphasis and tags in one paragraph, list item or table row.
MAX_INLINE = 200
#: Backslash escapes in one paragraph (each is a piece of markup, but a cheap one).
MAX_ESCAPES = 2000
#: Fenced code blocks in one file (the build searches the file again from its start for each).
MAX_CODE_BLOCKS = 500
#: Headings in one file (the search index looks each up among all of a page's headings).
MAX_HEADINGS = 500
#: Paragraphs, headings, list items, table rows and other blocks in one file.
MAX_BLOCKS = 5000

_ESCAPED = re.compile(r"\\[\\\[\]()`*_<>]")
_TAG_START = re.compile(r"<(?:/?[A-Za-z]|[!?])")
_CDATA = "<![CDATA["
_EMPHASIS_RUN = re.compile(r"\*+|_+")
_DEFINITION = re.compile(r"^ {0,3}:[ \t]")
# A line that ends the paragraph above it: a heading, a rule or underline, a note.
_BLOCK_START = re.compile(
    r"^ {0,3}(?:#{1,6}(?:[ \t]|$)|(?:(?:-[ \t]*){3,}|(?:_[ \t]*){3,}|(?:\*[ \t]*){3,}|=+[ \t]*)$|!!!|\?\?\?)"
)
# A line that starts an element of its own inside a run of lines: a list item, a table row, a heading.
_ELEMENT_START = re.compile(r"^\s*(?:(?:[-*+]|\d{1,9}[.)])[ \t]|\|)|^ {0,3}#{1,6}(?:[ \t]|$)")
_HEADING = re.compile(r"^ {0,3}#{1,6}(?:[ \t]|$)")
# A backslash escape is a piece of inline markup too (Python-Markdown's escapable characters).
_ANY_ESCAPE = re.compile(r"\\[\\`*_{}\[\]()>#+\-.!<|:~^=]")
_BACKTICK_RUN = re.compile(r"(?<!\\)`+")
_INLINE = re.compile(r"\]\(|\]\[|<[A-Za-z/!]|&#?\w+;|(?<![*_\w\\])[*_]+(?=[^\s*_])")
_HOW = "Markdown reads the rest of the paragraph once for each, so the build would take minutes"


@dataclass(frozen=True)
class _Paragraph:
    """Consecutive non-blank body lines: `lines` are (file line, text) pairs."""

    lines: tuple[tuple[int, str], ...]

    @functools.cached_property
    def without_code(self) -> tuple[str, ...]:
        """Each line with its code spans blanked out (worked out once for all rules)."""
        return tuple(without_code_spans(line) for _, line in self.lines)

    @functools.cached_property
    def markup(self) -> tuple[str, ...]:
        """Each line without code spans or the backslash escapes of brackets and markup."""
        return tuple(_ESCAPED.sub("  ", line) for line in self.without_code)


def _paragraphs(source: SourceLines) -> Iterator[_Paragraph]:
    current: list[tuple[int, str]] = []
    for number, line in source.numbered():
        if number < source.body_start or number in source.code or not line.strip():
            if current:
                yield _Paragraph(tuple(current))
            current = []
            continue
        current.append((number, line))
    if current:
        yield _Paragraph(tuple(current))


def _elements(block: _Paragraph) -> Iterator[_Paragraph]:
    """A run of lines split where a list item, table row or heading starts: the Markdown
    library reads each of those as an element of its own."""
    current: list[tuple[int, str]] = []
    for number, line in block.lines:
        if current and _ELEMENT_START.match(line):
            yield _Paragraph(tuple(current))
            current = []
        current.append((number, line))
    if current:
        yield _Paragraph(tuple(current))


def _inline(paragraph: _Paragraph) -> tuple[int, str] | None:
    """More pieces of inline markup than the build can handle in reasonable time."""
    count = escapes = runs = 0
    for (_, raw), text, markup in zip(paragraph.lines, paragraph.without_code, paragraph.markup, strict=True):
        count += len(_INLINE.findall(markup))
        escapes += len(_ANY_ESCAPE.findall(text))
        runs += len(_BACKTICK_RUN.findall(raw))  # a code span may open on one line and close on another
        count_now = count + runs // 2
        if count_now > MAX_INLINE or escapes > MAX_ESCAPES:
            what = (
                f"{MAX_INLINE} pieces of markup (links, code, emphasis, tags)"
                if count_now > MAX_INLINE
                else f"{MAX_ESCAPES} backslash escapes"
            )
            return paragraph.lines[0][0], (
                f"this paragraph has more than {what}; the build compares each with all the others, so it would take minutes: split it "
                "into shorter paragraphs (leave a blank line between them) or make it a list"
            )
    return None


def _brackets(paragraph: _Paragraph) -> tuple[int, str] | None:
    """The first bracket problem of a paragraph: (line, message)."""
    squares: list[int] = []
    parens: list[tuple[int, bool]] = []  # (line, opened right after "]")
    for (number, _), line in zip(paragraph.lines, paragraph.markup, strict=True):
        previous = ""
        for character in line:
            if character == "[":
                squares.append(number)
                if len(squares) > MAX_DEPTH:
                    return number, (
                        f"square brackets `[` are nested more than {MAX_DEPTH} deep here; {_HOW}: "
                        "close each `[` with `]`, or write `\\[` for a bracket that is only text"
                    )
            elif character == "]" and squares:
                squares.pop()
            elif character == "(":
                parens.append((number, previous == "]"))
            elif character == ")" and parens:
                parens.pop()
            previous = character
    link_parens = [number for number, after_bracket in parens if after_bracket]
    for unclosed, what, fix in (
        (
            squares,
            "square brackets `[`",
            "close each `[` with `]`, or write `\\[` for a bracket that is only text",
        ),
        (
            link_parens,
            "link addresses `](`",
            "close each address with `)`, or write `\\(` after a `]` that is text",
        ),
    ):
        if len(unclosed) > MAX_UNCLOSED:
            return unclosed[0], (
                f"this paragraph has {len(unclosed):,} {what} that are never closed (at most "
                f"{MAX_UNCLOSED} can be); {_HOW}: {fix}"
            )
    return None


def _backticks(paragraph: _Paragraph) -> tuple[int, str] | None:
    """Backticks with no partner run of the same length in the paragraph."""
    text = "\n".join(line for _, line in paragraph.lines)
    total = text.count("`")
    if total <= MAX_UNCLOSED:
        return None
    unpaired = total - sum(text.count("`", start, end) for start, end in code_spans(text))
    if unpaired <= MAX_UNCLOSED:
        return None
    return paragraph.lines[0][0], (
        f"this paragraph has {unpaired:,} backticks ` that do not pair up into code (at most "
        f"{MAX_UNCLOSED} can be); {_HOW}: pair each ` with another, or write \\` for a backtick that is only text"
    )


def _emphasis(paragraph: _Paragraph) -> tuple[int, str] | None:
    """Emphasis (`*`, `_`) opened inside emphasis more than `MAX_DEPTH` deep."""
    depth = 0
    for (number, _), line in zip(paragraph.lines, paragraph.markup, strict=True):
        for run in _EMPHASIS_RUN.finditer(line):
            before = line[run.start() - 1] if run.start() else " "
            after = line[run.end()] if run.end() < len(line) else " "
            opens, closes = not after.isspace(), not before.isspace()
            if opens and not closes:
                depth += len(run.group())
                if depth > MAX_DEPTH:
                    return number, (
                        f"emphasis (`*` or `_`) is nested more than {MAX_DEPTH} deep here, more than the "
                        "build can show (it would stop with an error): remove the extra stars or underscores, "
                        "or write `\\*` for a star that is only text"
                    )
            elif closes and not opens:
                depth = max(0, depth - len(run.group()))
    return None


def _definitions(paragraph: _Paragraph) -> tuple[int, str] | None:
    count = sum(1 for _, line in paragraph.lines if _DEFINITION.match(line))
    if count <= MAX_DEFINITIONS:
        return None
    return paragraph.lines[0][0], (
        f"this paragraph has {count:,} definitions (lines starting `: `) with no blank line between "
        f"them, more than the build can show (at most {MAX_DEFINITIONS}): leave a blank line "
        "between terms, or split the list"
    )


def _block_starts(paragraph: _Paragraph) -> tuple[int, str] | None:
    starts = [number for number, line in paragraph.lines if _BLOCK_START.match(line)]
    if len(starts) <= MAX_BLOCK_STARTS:
        return None
    return starts[0], (
        f"{len(starts):,} headings, rules or notes (`#`, `---`, `***`, `===`, `!!!`) follow each other here "
        f"with no blank line between them (at most {MAX_BLOCK_STARTS} can); Markdown reads the rest of the "
        "paragraph again after each, so the build would take minutes: leave a blank line before and after each"
    )


def _unclosed_tags(source: SourceLines) -> Diagnostic | None:
    """HTML tags whose `<` has no `>` (or `<![CDATA[` no `]]>`) anywhere after it, outside
    fenced code (which Markdown sets aside before it reads raw HTML)."""
    body = list(source.numbered())[source.body_start - 1 :]
    text = "\n".join("" if number in source.code else line for number, line in body)
    last_close = text.rfind(">")
    last_cdata_close = text.rfind("]]>")
    starts = [
        match.start()
        for match in _TAG_START.finditer(text)
        if match.start() > last_close
        or (text.startswith(_CDATA, match.start()) and match.start() > last_cdata_close)
    ]
    if len(starts) <= MAX_UNCLOSED_TAGS:
        return None
    line = source.body_start + text.count("\n", 0, starts[0])
    return error(
        source.path,
        line,
        "markdown.unclosed-html",
        f"{len(starts):,} HTML tags from here on start with `<` but are never closed with `>` (at most "
        f"{MAX_UNCLOSED_TAGS} can be); Markdown reads the rest of the file once for each, so the build "
        "would take minutes: close each tag with `>`, or write `&lt;` for a `<` that is only text",
    )


def _file_rules(source: SourceLines, elements: list[_Paragraph]) -> Iterator[Diagnostic]:
    """Too many headings or blocks in one file: each is looked up among all the others."""
    headings = [part.lines[0][0] for part in elements if _HEADING.match(part.lines[0][1])]
    if len(headings) > MAX_HEADINGS:
        yield error(
            source.path,
            headings[MAX_HEADINGS],
            "markdown.too-many-headings",
            f"this file has {len(headings):,} headings (at most {MAX_HEADINGS:,}); the site's search looks "
            "each up among all the others, so the build would take minutes: split it into several pages",
        )
    fences = [index + 1 for index in source.scan.fence_openers]
    if len(fences) > MAX_CODE_BLOCKS:
        yield error(
            source.path,
            fences[MAX_CODE_BLOCKS],
            "markdown.too-many-code-blocks",
            f"this file has {len(fences):,} fenced code blocks (at most {MAX_CODE_BLOCKS:,}); the build "
            "reads the rest of the file again for each, so it would take minutes: split it into several "
            "pages, or put code that belongs together in one block",
        )
    if len(elements) > MAX_BLOCKS:
        yield error(
            source.path,
            elements[MAX_BLOCKS].lines[0][0],
            "markdown.too-many-blocks",
            f"this file has {len(elements):,} paragraphs, headings, list items and table rows (at most "
            f"{MAX_BLOCKS:,}); the build looks each up among all the others, so it would take minutes: "
            "split it into several pages",
        )


_Rule = Callable[[_Paragraph], "tuple[int, str] | None"]
#: Rules for each element (paragraph, list item, table row, heading) on its own.
#: Each with the characters without which it has nothing to find.
_ELEMENT_RULES: tuple[tuple[str, _Rule, str], ...] = (
    ("markdown.brackets", _brackets, "[("),
    ("markdown.unpaired-backticks", _backticks, "`"),
    ("markdown.emphasis-too-deep", _emphasis, "*_"),
    ("markdown.too-much-markup", _inline, "`]<&*_\\"),
)
#: Rules for a whole run of lines with no blank line.
_BLOCK_RULES: tuple[tuple[str, _Rule, str], ...] = (
    ("markdown.too-many-definitions", _definitions, ":"),
    ("markdown.blocks-in-a-row", _block_starts, "#-_*=!?"),
)


def _findings(part: _Paragraph, rules: tuple[tuple[str, _Rule, str], ...]) -> Iterator[tuple[str, int, str]]:
    text = "".join(line for _, line in part.lines)
    for code, rule, needs in rules:
        if any(character in text for character in needs) and (found := rule(part)) is not None:
            yield code, found[0], found[1]


def scan_source(source: SourceLines) -> list[Diagnostic]:
    """Paragraphs and tags of one file that the build could not render in reasonable time."""
    problems: list[Diagnostic] = []
    every_element: list[_Paragraph] = []
    for block in _paragraphs(source):
        elements = list(_elements(block))
        every_element += elements
        found = [*_findings(block, _BLOCK_RULES)]
        found += [finding for element in elements for finding in _findings(element, _ELEMENT_RULES)]
        problems += (error(source.path, line, code, message) for code, line, message in found)
    problems += _file_rules(source, every_element)
    tags = _unclosed_tags(source)
    return problems + ([tags] if tags else [])
