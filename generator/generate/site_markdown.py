"""Markdown to HTML the way the site's pages are made: Python-Markdown with MkDocs' own
extensions (`toc`, `tables`, `fenced_code`, always on), the `markdown_extensions` of
`mkdocs.yml` with their options, and sofs' own (`SOFS_MARKDOWN_EXTENSIONS`, always on).

Feed entries and emails are made with the same set, less the extensions that only mean
something on a page of the site (`PAGE_ONLY`): so a list, a table or a bare address looks
the same in all three.

Checks that must see what readers get (`generator.checks.output_gate`) render a content
file's text with this, rather than guessing from its lines how it will be read.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import markdown

from ..settings.model import SOFS_MARKDOWN_EXTENSIONS, Settings

#: The extensions MkDocs adds to every site, before the ones `mkdocs.yml` lists.
MKDOCS_BUILTINS = ("toc", "tables", "fenced_code")
#: Extensions left out of feed entries and emails (by module, however the name is written):
#: `toc`'s permalink anchors mean nothing away from the page, and snippets read other files,
#: which only the site's build is set up to check (`settings.extensions`).
PAGE_ONLY = frozenset({"toc", "markdown.extensions.toc", "pymdownx.snippets"})


class SiteMarkdown:
    """One Python-Markdown converter set up as the site's, reused for every text; with
    `for_feeds`, as feed entries and emails are made (the site's set less `PAGE_ONLY`)."""

    def __init__(self, settings: Settings, *, for_feeds: bool = False) -> None:
        extensions: list[str] = []
        configs: dict[str, dict[str, Any]] = {}
        wanted: dict[str, Mapping[str, Any]] = {name: {} for name in MKDOCS_BUILTINS}
        for name, options in settings.markdown_extensions:
            wanted[name] = {**wanted.get(name, {}), **options}
        for name in SOFS_MARKDOWN_EXTENSIONS:
            wanted.setdefault(name, {})
        for name, options in wanted.items():
            if for_feeds and name.split(":", 1)[0] in PAGE_ONLY:
                continue
            if _loads(name, dict(options)):
                extensions.append(name)
                configs[name] = dict(options)
            elif _loads(name, {}):  # options that only MkDocs can build (tags naming Python objects)
                extensions.append(name)
        self.extensions = tuple(extensions)
        # Feed readers and mail programs get HTML as HTML (`<br>`), as the feeds always had.
        self._converter = markdown.Markdown(
            extensions=extensions, extension_configs=configs, output_format="html" if for_feeds else "xhtml"
        )

    def html(self, text: str) -> str:
        """`text` as the site renders it, HTML comments included as they are published."""
        return self._converter.reset().convert(text)


def _loads(name: str, options: dict[str, Any]) -> bool:
    """Whether Python-Markdown can build extension `name` with `options` (`sofs check`
    reports one it cannot build at its line in mkdocs.yml)."""
    try:
        markdown.Markdown(extensions=[name], extension_configs={name: options} if options else {})
    except Exception:  # any failure to build it: it is left out here
        return False
    return True
