"""Words every stage writes the same way: dates as people in the UK write them, and slugs."""

from __future__ import annotations

import datetime as dt
import re


def long_date(value: dt.date) -> str:
    """A date as people in the UK write it: 1 September 2025."""
    return f"{value.day} {value:%B %Y}"


def slug(text: str, *, fallback: str, limit: int | None = None) -> str:
    """`text` as a lowercase address part (letters, digits and hyphens), cut to `limit`
    characters; `fallback` when nothing of it is left."""
    made = re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-")
    if limit is not None:
        made = made[:limit].rstrip("-")
    return made or fallback
