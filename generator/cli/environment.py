"""What the command line reads from the environment, once, to pass down as values."""

from __future__ import annotations

import datetime as dt
import os

from ..content.visibility import TODAY_VARIABLE, fixed_day


def fixed_today() -> dt.date | None:
    """The day `SOFS_TODAY` fixes (YYYY-MM-DD) for this run, or None for the clock's."""
    return fixed_day(os.environ.get(TODAY_VARIABLE, ""))
