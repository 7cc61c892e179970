"""Unsafe HTML, found in what readers get: each content file rendered as the site renders it.

A rule that reads Markdown source line by line disagrees with the renderer about fences,
attribute lists (`{: onfocus=... }`), tags split over lines and quoted `>`. So the body
of each file is rendered as the site renders it (`generator.generate.site_markdown`) and
as the feeds and emails render it (`generator.generate.issue_html`), and both go through
the sanitiser's gate (`generator.generate.html_gate`): whatever it would take out is an
error, traced back to the source line that wrote it. Front-matter values (titles, summaries, names) are shown
as plain text wherever they land, so markup in them is an error too.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Iterator
from typing import Any

import nh3

from ..basics.diagnostics import Diagnostic, error
from ..basics.yamlread import Path as KeyPath
from ..basics.yamlread import YamlProblem, read_yaml, read_yaml_by_field
from ..content.markdown_scan import without_code_spans
from ..content.markdown_text import visible_text
from ..content.source_lines import SourceLines
from ..generate.html_gate import Removal, cleaner, removals
from ..generate.site_markdown import SiteMarkdown
from ..settings.model import CONFIG_FILE, Settings


class OutputGate:
    """The gate with the site's Markdown settings, made once per run for every file."""

    def __init__(self, settings: Settings) -> None:
        self.markdown = SiteMarkdown(settings)
        # As `issue_html.markdown_to_html` renders for the feeds and emails, made once.
        self.feed_markdown = SiteMarkdown(settings, for_feeds=True)
        self.sanitiser: nh3.Cleaner = cleaner()
        # Without `toc` (anchors only) a text renders for the feeds as for the page, and the
        # gate then needs one rendering, not two: unless another extension is left out.
        left_out = set(self.markdown.extensions) - set(self.feed_markdown.extensions)
        self.feeds_render_alike = left_out <= {"toc", "markdown.extensions.toc"}

    def scan_source(self, source: SourceLines) -> list[Diagnostic]:
        """Unsafe HTML in one file's rendered body and in its front-matter values."""
        problems = list(self._front_matter(source))
        body = "\n".join(source.lines[source.body_start - 1 :])
        try:
            on_page = removals(self.markdown.html(body), self.sanitiser)
        except Exception:  # an extension that fails here (a missing snippet) stops MkDocs' build too
            on_page = []
        visible = visible_text(body)
        try:
            if visible == body and self.feeds_render_alike:
                in_feeds = []  # what the page shows, already gated
            else:
                in_feeds = removals(self.feed_markdown.html(visible), self.sanitiser)
        except Exception:  # as above: the feeds and emails are made with the same extensions
            in_feeds = []
        tracer = _Tracer(source)
        for removal in on_page + _beyond(in_feeds, on_page):
            if removal.code == "unsafe-html.url" and _LEFT_TO_LINKS.match(removal.value):
                continue
            problems.append(error(source.path, tracer.line_of(removal), removal.code, removal.describe()))
        return problems

    def _front_matter(self, source: SourceLines) -> Iterator[Diagnostic]:
        closing = source.body_start - 1  # the line of the closing `---`
        written = source.lines[1 : closing - 1]
        if closing < 2 or not any("<" in line or "\\" in line for line in written):
            return  # no markup, written or escaped: most files
        try:
            document = read_yaml("\n".join(written), first_line=2, tolerant=True)
        except YamlProblem:  # the loader reports it; the fields it can read are still checked
            document = read_yaml_by_field("\n".join(written), first_line=2).document
        for path, value in _strings(document.data, ()):
            for removal in removals(value, self.sanitiser):
                name = ".".join(str(key) for key in path)
                yield error(
                    source.path,
                    document.line_of(path),
                    removal.code,
                    f'in "{name}", which is shown as plain text: {removal.describe()}',
                )


#: `file:` addresses: the links check reports them, with a fix of their own.
_LEFT_TO_LINKS = re.compile(r"\s*file:", re.IGNORECASE)

#: Material writes the site's name and description into pages as they are, attributes
#: included, so these characters would break a page's `<head>` or its header.
_MARKUP_CHARACTERS = ('"', "<", ">")


def settings_problems(settings: Settings) -> list[Diagnostic]:
    """An error for each of `site_name` and `site_description` that holds `"`, `<` or `>`."""
    problems: list[Diagnostic] = []
    for key, value in (("site_name", settings.site_name), ("site_description", settings.site_description)):
        found = [mark for mark in _MARKUP_CHARACTERS if mark in (value or "")]
        if found:
            problems.append(
                error(
                    CONFIG_FILE,
                    settings.config_lines.get((key,), 1),
                    "unsafe-html.settings",
                    f'"{key}" contains {" and ".join(found)}, which would break the HTML of every page '
                    "(the theme writes it as it is); use curly quotes (“ ”) and words instead",
                )
            )
    return problems


def _beyond(found: list[Removal], already: list[Removal]) -> list[Removal]:
    """What `found` has more of than `already` (each removal counted as often as it occurs)."""
    left = Counter(already)
    extra: list[Removal] = []
    for removal in found:
        if left[removal] > 0:
            left[removal] -= 1
        else:
            extra.append(removal)
    return extra


def _strings(value: Any, path: KeyPath) -> Iterator[tuple[KeyPath, str]]:
    """Every text value under `value`, with its key path."""
    if isinstance(value, str):
        if "<" in value:
            yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, (*path, str(key)))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, (*path, index))


class _Tracer:
    """Finds the body line each removal came from by looking for its text, in order: the
    n-th `<script` removed is put at the line of the n-th `<script` written."""

    def __init__(self, source: SourceLines) -> None:
        body = [(n, line) for n, line in source.numbered() if n >= source.body_start]
        outside_code = [(n, without_code_spans(line)) for n, line in body if n not in source.code]
        # Last, as the feeds and emails read it: without notes, which can join a tag's pieces.
        without_notes = [(n, _NOTE.sub("", line)) for n, line in outside_code]
        self.views = [_lowered(outside_code), _lowered(body), _lowered(without_notes)]
        self.used: dict[str, int] = {}

    def line_of(self, removal: Removal) -> int:
        """The removal's source line, or 0 (the whole file) when its text is not found."""
        for text in removal.search_texts():
            needle = text.lower()
            pattern = _pattern(needle)
            for lines in self.views:
                matches = [
                    n for n, forms in lines for _ in range(max(len(pattern.findall(form)) for form in forms))
                ]
                if matches:
                    seen = self.used.get(needle, 0)
                    self.used[needle] = seen + 1
                    return matches[min(seen, len(matches) - 1)]
        return 0


#: An HTML comment (a guidance note) within one line.
_NOTE = re.compile(r"<!--.*?-->")


def _lowered(lines: list[tuple[int, str]]) -> list[tuple[int, tuple[str, str]]]:
    """Each line lower-cased, as written and with entities decoded."""
    return [(n, (line.lower(), html.unescape(line).lower())) for n, line in lines]


def _pattern(needle: str) -> re.Pattern[str]:
    if re.fullmatch(r"<?[\w:-]+", needle):  # a name or a tag: not the start of a longer one
        return re.compile(rf"(?<![\w-]){re.escape(needle)}(?![\w-])")
    return re.compile(re.escape(needle))
