"""Words every stage writes the same way: dates as people in the UK write them."""

from __future__ import annotations

import datetime as dt


def long_date(value: dt.date) -> str:
    """A date as people in the UK write it: 1 September 2025."""
    return f"{value.day} {value:%B %Y}"
