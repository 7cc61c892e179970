"""Fixes to the HTML Material for MkDocs writes on every page, made as each page is
written, where no theme override reaches (Material's `base.html` outside its blocks).

Material marks its two hidden toggles (the navigation drawer and search) with
`autocomplete="off"`, which HTML allows on text-like inputs only: the Nu HTML checker
reports it twice on every page. Material uses it so Firefox does not restore an open
drawer on reload; the theme's `a11y.js` closes both toggles when a page is shown instead.
"""

from __future__ import annotations

import re

_CHECKBOX = re.compile(r"<input\b[^<>]*\btype=\"checkbox\"[^<>]*>")
_AUTOCOMPLETE = re.compile(r"\s+autocomplete=\"[^\"]*\"")


def valid_toggles(html: str) -> str:
    """`html` with any `autocomplete` attribute removed from its checkboxes."""
    return _CHECKBOX.sub(lambda match: _AUTOCOMPLETE.sub("", match.group(0)), html)
