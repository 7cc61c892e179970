"""Markdown to HTML the way the site's pages are made: Python-Markdown with MkDocs' own
extensions (`toc`, `tables`, `fenced_code`, always on) and the `markdown_extensions` of
`mkdocs.yml` with their options.

Checks that must see what readers get (`generator.checks.output_gate`) render a content
file's text with this, rather than guessing from its lines how it will be read.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import markdown

from ..settings.model import Settings

#: The extensions MkDocs adds to every site, before the ones `mkdocs.yml` lists.
MKDOCS_BUILTINS = ("toc", "tables", "fenced_code")


class SiteMarkdown:
    """One Python-Markdown converter set up as the site's, reused for every text."""

    def __init__(self, settings: Settings) -> None:
        extensions: list[str] = []
        configs: dict[str, dict[str, Any]] = {}
        wanted: dict[str, Mapping[str, Any]] = {name: {} for name in MKDOCS_BUILTINS}
        for name, options in settings.markdown_extensions:
            wanted[name] = {**wanted.get(name, {}), **options}
        for name, options in wanted.items():
            if _loads(name, dict(options)):
                extensions.append(name)
                configs[name] = dict(options)
            elif _loads(name, {}):  # options that only MkDocs can build (tags naming Python objects)
                extensions.append(name)
        self.extensions = tuple(extensions)
        self._converter = markdown.Markdown(extensions=extensions, extension_configs=configs)

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
