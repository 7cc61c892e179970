"""Fixes to the HTML the theme (Material for MkDocs, or Zensical's copy of it) writes on
every page, where no theme override reaches (its `base.html` outside its blocks). The
MkDocs plugin applies them as each page is written; the Zensical renderer, which runs no
plugins, applies them to the rendered files.

Material marks its two hidden toggles (the navigation drawer and search) with
`autocomplete="off"`, which HTML allows on text-like inputs only: the Nu HTML checker
reports it twice on every page. Material uses it so Firefox does not restore an open
drawer on reload; the theme's `a11y.js` closes both toggles when a page is shown instead.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

_CHECKBOX = re.compile(r"<input\b[^<>]*\btype=\"checkbox\"[^<>]*>")
_AUTOCOMPLETE = re.compile(r"\s+autocomplete=\"[^\"]*\"")


def valid_toggles(html: str) -> str:
    """`html` with any `autocomplete` attribute removed from its checkboxes."""
    return _CHECKBOX.sub(lambda match: _AUTOCOMPLETE.sub("", match.group(0)), html)


def fix_rendered_pages(site: Path, *more: Callable[[str], str]) -> int:
    """Apply the fixes, and a renderer's own `more`, to every HTML file of the rendered
    `site`; returns how many files changed."""
    changed = 0
    for page in sorted(site.rglob("*.html")):
        if page.is_symlink() or not page.is_file():
            continue
        html = page.read_text(encoding="utf-8")
        fixed = valid_toggles(html)
        for fix in more:
            fixed = fix(fixed)
        if fixed != html:
            page.write_text(fixed, encoding="utf-8")
            changed += 1
    return changed
