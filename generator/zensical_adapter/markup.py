"""Fixes to the HTML Zensical's theme writes that Material's does not need.

Zensical turns a single colour scheme (`palette:` as one mapping in `mkdocs.yml`) into a
list of one, so its header gets the scheme switcher Material writes only for two or more
schemes: a form holding one radio button hidden from screen readers (`aria-hidden`) yet
reachable by keyboard, with nothing to switch to. axe reports it on every page; the form
is taken out, and the page keeps its colours (they are set on `<body>`).
"""

from __future__ import annotations

import re

_PALETTE_FORM = re.compile(
    r"<form\b[^<>]*\bdata-md-component=\"palette\"[^<>]*>(?P<inner>.*?)</form>\s*", re.DOTALL
)


def without_lone_palette(html: str) -> str:
    """`html` without a colour-scheme switcher that offers one scheme and no toggle."""

    def replace(match: re.Match[str]) -> str:
        inner = match.group("inner")
        lone = inner.count("<input") == 1 and "<label" not in inner
        return "" if lone else match.group(0)

    return _PALETTE_FORM.sub(replace, html)
