"""Unsafe HTML in content: script-running tags, event handlers and `javascript:` links.

A newsletter needs none of these, and whatever is in the content travels into the site,
the feeds and the emails. Every line of every loaded file is scanned (code examples in
fenced blocks or `code spans` are shown as text, so they are skipped); each finding is a
located error.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator

from ..basics.diagnostics import Diagnostic, error
from ..content.markdown_scan import autolinks, link_addresses, link_definition, without_code_spans
from ..content.source_lines import SourceLines

UNSAFE_TAGS = ("script", "iframe", "frame", "frameset", "object", "embed", "applet", "form", "base", "meta")
UNSAFE_SCHEMES = ("javascript:", "vbscript:", "data:text/html")

_TAG = re.compile(rf"<\s*({'|'.join(UNSAFE_TAGS)})(?=[\s/>]|$)", re.IGNORECASE)
_OPEN_TAG = re.compile(r"<[A-Za-z][\w:\-]*([^<>]*)")
_HANDLER = re.compile(r"(?:^|[\s/\"'])(on[a-z]+)\s*=", re.IGNORECASE)
_ATTRIBUTE = re.compile(
    r"\b(?:href|src|action|formaction|xlink:href|data|poster|background)\s*=\s*"
    r"(?:\"([^\"]*)\"|'([^']*)'|([^\s>\"']+))",
    re.IGNORECASE,
)
_INVISIBLE = re.compile(r"[\s\x00-\x1f\x7f]+")
_FIX = "a newsletter needs none, and it would travel into the site, the feeds and the emails; remove it"


def dangerous_url(url: str) -> str | None:
    """The unsafe scheme `url` starts with (after decoding entities and dropping hidden
    characters, as a browser would), or None."""
    plain = _INVISIBLE.sub("", html.unescape(url)).lower()
    return next((scheme for scheme in UNSAFE_SCHEMES if plain.startswith(scheme)), None)


def _urls(line: str) -> Iterator[str]:
    """The addresses on a line: links' and images', a link definition's, autolinks' and
    HTML attributes'."""
    yield from link_addresses(line)
    definition = link_definition(line)
    if definition is not None:
        yield definition[1]
    yield from autolinks(line)
    for match in _ATTRIBUTE.finditer(line):
        yield next(group for group in match.groups() if group is not None)


def scan_line(line: str) -> Iterator[tuple[str, str]]:
    """The unsafe things on one line, as (code, message) pairs."""
    for match in _TAG.finditer(line):
        yield "unsafe-html.tag", f"<{match.group(1).lower()}> element in content: {_FIX}"
    for tag in _OPEN_TAG.finditer(line):
        for handler in _HANDLER.finditer(tag.group(1)):
            yield (
                "unsafe-html.event-handler",
                f'inline event handler "{handler.group(1).lower()}=" in an HTML tag: {_FIX}',
            )
    for url in _urls(line):
        scheme = dangerous_url(url)
        if scheme:
            shown = url if len(url) <= 40 else url[:37] + "..."
            yield "unsafe-html.script-url", f'a "{scheme}" link ({shown}) runs code when clicked: {_FIX}'


def scan_source(source: SourceLines) -> list[Diagnostic]:
    """Unsafe HTML in one file, outside code blocks and code spans."""
    problems: list[Diagnostic] = []
    for number, line in source.numbered():
        if number in source.code:
            continue
        text = line if source.is_front_matter(number) else without_code_spans(line)
        problems.extend(error(source.path, number, code, message) for code, message in scan_line(text))
    return problems
