"""Accessibility of what authors write: image alt text, link text and heading levels.

Images without alt text are errors (a screen reader user gets nothing). Links that say
"click here" or show a bare web address, and headings that skip a level, are warnings.
Each page's title is its level-1 heading, so a body's first heading should be `##`.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator

from ..basics.diagnostics import Diagnostic, error, warning
from ..content.markdown_scan import Link
from ..content.markdown_text import headings
from ..content.source_lines import SourceLines

VAGUE_LINK_TEXT = frozenset(
    {"click here", "here", "click", "this link", "link", "read more", "more", "this page"}
)

# No class below crosses the character its pattern starts with, so a line of thousands of
# unclosed `<a` is read once, not once per `<a`.
_HTML_IMAGE = re.compile(r"<img\b([^>]*)>?", re.IGNORECASE)
_ALT = re.compile(r"(?:^|\s)alt\s*=", re.IGNORECASE)
_HTML_LINK = re.compile(r"<a\b[^<>]*>((?:[^<]|<(?!a\b))*?)</a\s*>", re.IGNORECASE)
_AUTOLINK = re.compile(r"<((?:https?://|www\.)[^<>\s]+)>", re.IGNORECASE)
_URL_TEXT = re.compile(r"^(?:https?://|www\.)\S+$", re.IGNORECASE)
_MARKUP = re.compile(r"<[^<>]+>|[*_`]")


def _images(line: str, links: list[Link]) -> Iterator[str]:
    for link in links:
        if link.image and not link.text.strip():
            yield "an image has no alt text; describe it between the brackets, like ![Team photo at the awards](photo.jpg)"
    for match in _HTML_IMAGE.finditer(line):
        if not _ALT.search(match.group(1)):
            yield (
                'an <img> has no alt attribute; add alt="what the image shows" '
                '(or alt="" if it is only decoration)'
            )


def _link_texts(line: str, links: list[Link]) -> Iterator[str]:
    yield from (link.text for link in links if not link.image)
    yield from (m.group(1) for m in _HTML_LINK.finditer(line))
    yield from (m.group(1) for m in _AUTOLINK.finditer(line))


def _links(line: str, links: list[Link]) -> Iterator[str]:
    for raw in _link_texts(line, links):
        text = " ".join(_MARKUP.sub("", raw).split())
        folded = text.casefold().strip(" .:!")
        if folded in VAGUE_LINK_TEXT:
            yield (
                f'link text "{text}" does not say where the link goes; use words that make sense '
                'on their own, like "read issue 10"'
            )
        elif _URL_TEXT.match(text):
            yield (
                f'a bare web address "{text}" is used as link text; screen readers spell it out, so '
                "write what the link is, like [the accessibility statement](...)"
            )


def _heading_skips(source: SourceLines) -> Iterator[tuple[int, str]]:
    body = "\n".join(source.lines[source.body_start - 1 :])
    previous = 1
    for heading in headings(body):
        if heading.level > previous + 1:
            before = "the page title (level 1)" if previous == 1 else f"a level-{previous} heading"
            yield (
                source.body_start + heading.index,
                f'heading "{heading.text}" is level {heading.level} but follows {before}; '
                f"use {'#' * (previous + 1)} so that no level is skipped",
            )
        previous = heading.level


def scan_source(source: SourceLines) -> list[Diagnostic]:
    """Image, link and heading problems in one file's body."""
    problems: list[Diagnostic] = []
    by_line: dict[int, list[Link]] = defaultdict(list)
    for link in sorted(source.body_links(), key=lambda link: link.start):
        by_line[link.line].append(link)
    for number, line in source.body_lines():
        links = by_line.get(number, [])
        problems.extend(error(source.path, number, "a11y.image-alt", m) for m in _images(line, links))
        problems.extend(warning(source.path, number, "a11y.link-text", m) for m in _links(line, links))
    problems.extend(warning(source.path, n, "a11y.heading-skip", m) for n, m in _heading_skips(source))
    return problems
