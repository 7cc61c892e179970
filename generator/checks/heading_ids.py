"""The ids of a Markdown text's headings (and other named places), as the site's `toc`
extension makes them, so that a link to `page.md#section` can be checked without
rendering the page.

Python-Markdown's `toc` turns a heading's text into an id with its `slugify` (lower case,
accents dropped, anything but letters, digits, `_` and `-` removed, spaces as `-`), and
numbers repeats (`notes`, `notes_1`). An attribute list (`## Title {: #my-id }`) names
the id itself, and HTML may carry `id="..."`.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from markdown.extensions.toc import slugify as toc_slugify

from ..content.markdown_scan import LineKind, scan_markdown, without_code_spans

Slugify = Callable[[str, str], str]

_ATX = re.compile(r" {0,3}#{1,6}(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_SETEXT = re.compile(r" {0,3}(?:=+|-+)[ \t]*$")
_NOT_PARAGRAPH = re.compile(r" {0,3}(?:[-*+>]|\d{1,9}[.)]|#|\||<|\{:)")
_ATTR_LIST = re.compile(r"[ \t]*\{:?([^}]*)\}[ \t]*$")
_ATTR_ID = re.compile(r"(?:^|\s)#([^\s}]+)")
_HTML_ID = re.compile(r"\b(?:id|name)\s*=\s*(?:\"([^\"]+)\"|'([^']+)')", re.IGNORECASE)
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)|!?\[([^\]]*)\]\[[^\]]*\]")
_TAG = re.compile(r"<[^>]*>")
_EMPHASIS = re.compile(r"(?<!\w)[*_]+|[*_]+(?!\w)|`+")


def toc_options(markdown_extensions: Iterable[tuple[str, Mapping[str, Any]]]) -> Slugify | None:
    """The site's heading-id rule, or None when `mkdocs.yml` names one of its own that
    cannot be followed here (a `slugify` function)."""
    separator = "-"
    for name, options in markdown_extensions:
        if name in ("toc", "markdown.extensions.toc"):
            if options.get("slugify") is not None:
                return None
            separator = str(options.get("separator", separator))

    def slugify(text: str, _separator: str = separator) -> str:
        return toc_slugify(text, separator)

    return slugify


def heading_text(raw: str) -> str:
    """The text a heading shows, from its Markdown (links, tags and emphasis taken out)."""
    text = _LINK.sub(lambda m: m.group(1) if m.group(1) is not None else m.group(2), raw)
    text = _TAG.sub("", text)
    text = _EMPHASIS.sub("", text)
    return html.unescape(text.replace("\\", "")).strip()


def heading_ids(markdown: str, slugify: Slugify) -> frozenset[str]:
    """Every id the text's headings get, and the ids it names itself."""
    scan = scan_markdown(markdown)
    ids: set[str] = set()
    counts: dict[str, int] = {}

    def add_heading(raw: str) -> None:
        attributes = _ATTR_LIST.search(raw)
        if attributes is not None:
            named = _ATTR_ID.search(attributes.group(1))
            raw = raw[: attributes.start()]
            if named is not None:
                ids.add(named.group(1))
                return
        base = slugify(heading_text(raw), "-")
        if not base:
            return
        count = counts.get(base, 0)
        counts[base] = count + 1
        ids.add(base if count == 0 else f"{base}_{count}")

    lines = scan.lines
    for index, line in enumerate(lines):
        if scan.kinds[index] is not LineKind.TEXT:
            continue
        text = without_code_spans(line)
        ids.update(a or b for a, b in _HTML_ID.findall(text))
        attribute_only = _ATTR_LIST.fullmatch(text)
        if attribute_only is not None:
            ids.update(_ATTR_ID.findall(attribute_only.group(1)))
        atx = _ATX.match(line)
        if atx is not None:
            add_heading(atx.group(1) or "")
            continue
        following = index + 1
        if (
            following < len(lines)
            and scan.kinds[following] is LineKind.TEXT
            and line.strip()
            and not _NOT_PARAGRAPH.match(line)
            and _SETEXT.match(lines[following])
            and (index == 0 or not lines[index - 1].strip() or scan.kinds[index - 1] is not LineKind.TEXT)
        ):
            add_heading(line.strip())
    return frozenset(ids)


_ANY_ATX = re.compile(r" {0,3}(?:(?:[-*+]|\d{1,9}[.)])[ \t]+|>[ \t]*)*#{1,6}")


def heading_lines(markdown: str) -> frozenset[int]:
    """The 0-based lines of `markdown` that are headings as any reader may take them: `#`
    lines (also without a space after the `#`s, as Python-Markdown reads them, and inside a
    list item or quote) and every line of a paragraph underlined with `===` or `---`."""
    lines = markdown.split("\n")
    found: set[int] = set()
    paragraph: list[int] = []
    for index, line in enumerate(lines):
        if not line.strip():
            paragraph = []
            continue
        if _ANY_ATX.match(line):
            found.add(index)
            paragraph = []
            continue
        if paragraph and _SETEXT.match(line):
            found.update(paragraph)
            paragraph = []
            continue
        paragraph.append(index)
    return frozenset(found)
