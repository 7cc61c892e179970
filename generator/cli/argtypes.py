"""Value parsers for command-line options: a wrong value is a usage error (exit 2) with a
message that says what was expected."""

from __future__ import annotations

import argparse
import datetime as dt


def issue_number(text: str) -> int:
    """An issue number, 1 or more."""
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not an issue number, like 10")
    return int(text)


def whole_number(text: str) -> int:
    """A whole number, 0 or more."""
    if not text.isdigit():
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number")
    return int(text)


def at_least_zero(text: str) -> float:
    """A number, 0 or more (a rate, a wait in seconds)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"{text!r} should be 0 or more")
    return value


def iso_date(text: str) -> dt.date:
    """A date written YYYY-MM-DD."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date written as YYYY-MM-DD") from None
