"""Front-matter field rules: each checks one value and explains a wrong one in plain English."""

from __future__ import annotations

import calendar
import datetime as dt
import difflib
import re
import reprlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

#: Every character `str.splitlines` breaks a line at, with the name a person would know it by.
LINE_BREAKS = {
    "\n": "a line break",
    "\r": "a carriage return",
    "\v": "a vertical tab",
    "\f": "a form feed (page break)",
    "\x1c": "a file separator (U+001C)",
    "\x1d": "a group separator (U+001D)",
    "\x1e": "a record separator (U+001E)",
    "\x85": "a next-line character (U+0085)",
    "\u2028": "a line separator (U+2028)",
    "\u2029": "a paragraph separator (U+2029)",
}


def line_break_in(text: str) -> str | None:
    """The name of the first line break (any that `str.splitlines` knows) in `text`, or None.

    Such characters are invisible in most editors and often arrive by pasting from Word or
    a PDF; in an email header they would end the header early."""
    for char in text:
        if char in LINE_BREAKS:
            return LINE_BREAKS[char]
    return None


def one_line_problem(text: str) -> str | None:
    """Why `text` cannot be a single line (a line break or a NUL), or None when it can."""
    found = line_break_in(text)
    if found:
        return (
            f"must be on one line, but it contains {found}; remove it (retype the text if you cannot see it)"
        )
    if "\x00" in text:
        return "contains a NUL character; retype the text"
    return None


class FieldProblem(Exception):
    """A value that breaks its field's rule; the message says what was expected."""


_SHORT = reprlib.Repr()
_SHORT.maxstring = _SHORT.maxother = 60


def _shown(value: Any) -> str:
    """A short form of `value` for a message, however large or nested the value is."""
    text = _SHORT.repr(value) if not isinstance(value, str) else f'"{value[:60]}"'
    return text if len(text) <= 60 else text[:57] + "..."


@dataclass(frozen=True)
class Field:
    """One front-matter field: its name, whether it must be present, and its example."""

    name: str
    required: bool = True
    example: str = "..."

    def convert(self, value: Any) -> Any:  # pragma: no cover - overridden
        return value

    def stand_in(self) -> Any:
        """The value an item carries when this field is missing or cannot be read: None for an
        optional single value, nothing for a list, and a neutral value of the right type for a
        required one, so that the rest of the file can still be checked."""
        return None


def _length_problem(text: str, most: int | None) -> str | None:
    if most is not None and len(text) > most:
        return f"is {len(text):,} characters long; keep it to {most} characters or fewer"
    return None


@dataclass(frozen=True)
class Text(Field):
    """A single line of text (of at most `max_chars` characters, when given)."""

    max_chars: int | None = None

    def convert(self, value: Any) -> str:
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            raise FieldProblem(f"should be text, like `{self.name}: {self.example}`")
        text = str(value).strip()
        if not text:
            raise FieldProblem("is empty; write some text after the colon")
        problem = one_line_problem(text) or _length_problem(text, self.max_chars)
        if problem:
            raise FieldProblem(problem)
        return text

    def stand_in(self) -> str | None:
        return "" if self.required else None


@dataclass(frozen=True)
class Number(Field):
    """A whole number from 1 up."""

    def convert(self, value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            if isinstance(value, str) and value.strip().isdigit():
                raise FieldProblem(
                    f"should be a whole number without quotes, like `{self.name}: {value.strip()}`"
                )
            raise FieldProblem(
                f"should be a whole number, like `{self.name}: {self.example}`; found {_shown(value)}"
            )
        if value < 1 or value > 100_000:
            raise FieldProblem(f"should be a whole number from 1 to 100000; found {value}")
        return value

    def stand_in(self) -> int:
        return 0


@dataclass(frozen=True)
class Date(Field):
    """A calendar date written YYYY-MM-DD."""

    example: str = "2025-09-01"

    def convert(self, value: Any) -> dt.date:
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value.strip())
            except ValueError:
                impossible = _impossible_day(value.strip())
                if impossible:
                    raise FieldProblem(
                        f"is {_shown(value.strip())}, which is not a real date: {impossible}; "
                        f"write it as YYYY-MM-DD, like `{self.name}: {self.example}`"
                    ) from None
        raise FieldProblem(
            f"should be a date written as YYYY-MM-DD, like `{self.name}: {self.example}`; "
            f"found {_shown(value)}"
        )

    def stand_in(self) -> dt.date | None:
        return STAND_IN_DATE if self.required else None


#: The date an item carries when its own could not be read (the file already has an error).
STAND_IN_DATE = dt.date(1970, 1, 1)

_DAY_SHAPE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")


def _impossible_day(text: str) -> str | None:
    """Why `text`, shaped like YYYY-MM-DD, names no day of the calendar (or None)."""
    shape = _DAY_SHAPE.match(text)
    if not shape:
        return None
    year, month, day = (int(part) for part in shape.groups())
    if not 1 <= month <= 12:
        return f"there is no month {month} (the middle number is the month, 01 to 12)"
    try:
        dt.date(year, month, day)
    except ValueError:
        return f"{calendar.month_name[month]} {year} has no day {day}"
    return None


@dataclass(frozen=True)
class Choice(Field):
    """One of a fixed set of words."""

    choices: tuple[str, ...] = ()

    def convert(self, value: Any) -> str:
        options = ", ".join(self.choices)
        if not isinstance(value, str) or value.strip().lower() not in self.choices:
            raise FieldProblem(f"should be one of: {options}; found {_shown(value)}")
        return value.strip().lower()

    def stand_in(self) -> str:
        return self.choices[0]


@dataclass(frozen=True)
class NumberList(Field):
    """A list of whole numbers, like `[1, 3]` (a single number is accepted)."""

    required: bool = False

    def convert(self, value: Any) -> tuple[int, ...]:
        items = value if isinstance(value, list) else [value]
        if value is None:
            return ()
        numbers = []
        for item in items:
            if isinstance(item, bool) or not isinstance(item, int):
                raise FieldProblem(
                    f"should be a list of numbers, like `{self.name}: [1, 2]`; found {_shown(item)}"
                )
            numbers.append(item)
        return tuple(numbers)

    def stand_in(self) -> tuple[Any, ...]:
        return ()


@dataclass(frozen=True)
class SlugList(Field):
    """A list of short names (lowercase words joined by hyphens), like `[harm-matrix]`."""

    required: bool = False

    def convert(self, value: Any) -> tuple[str, ...]:
        if value is None:
            return ()
        items = value if isinstance(value, list) else [value]
        slugs = []
        for item in items:
            if not isinstance(item, str) or not SLUG.match(item.strip()):
                raise FieldProblem(
                    f"should be a list of short names in lowercase with hyphens, like "
                    f"`{self.name}: [{self.example}]`; found {_shown(item)}"
                )
            slugs.append(item.strip())
        return tuple(slugs)

    def stand_in(self) -> tuple[Any, ...]:
        return ()


@dataclass(frozen=True)
class TextList(Field):
    """A list of single lines of text (a single line is accepted)."""

    required: bool = False
    max_chars: int | None = None

    def convert(self, value: Any) -> tuple[str, ...]:
        if value is None:
            return ()
        items = value if isinstance(value, list) else [value]
        texts = []
        for item in items:
            if isinstance(item, bool) or not isinstance(item, str | int | float) or not str(item).strip():
                raise FieldProblem(
                    f'should be a list of text items, like `{self.name}: ["{self.example}"]`; '
                    f"found {_shown(item)}"
                )
            problem = one_line_problem(str(item)) or _length_problem(str(item).strip(), self.max_chars)
            if problem:
                raise FieldProblem(f"has an item that {problem}")
            texts.append(str(item).strip())
        return tuple(texts)

    def stand_in(self) -> tuple[Any, ...]:
        return ()


@dataclass(frozen=True)
class Problem:
    """A field that is wrong, missing or unknown, with the key path it concerns."""

    field: str
    code: str
    message: str


def convert_fields(
    meta: Mapping[str, Any], schema: tuple[Field, ...], kind: str, unreadable: frozenset[str] = frozenset()
) -> tuple[dict[str, Any], list[Problem]]:
    """Check `meta` against `schema`; return a value for every field of `schema` and every
    problem, each field checked on its own.

    A field that is wrong or missing gets its rule's stand-in value (`Field.stand_in`) and
    a problem, so one mistake never hides the others. Fields named in `unreadable` (whose
    lines could not be read at all, already reported) get their stand-in without a problem.
    """
    values: dict[str, Any] = {}
    problems: list[Problem] = []
    known = {f.name for f in schema}
    for rule in schema:
        if rule.name in unreadable and rule.name not in meta:
            values[rule.name] = rule.stand_in()
            continue
        if rule.name not in meta or meta[rule.name] is None:
            values[rule.name] = rule.stand_in()
            if rule.required:
                problems.append(
                    Problem(
                        rule.name,
                        "field.missing",
                        f'{kind} is missing the required field "{rule.name}"; add a line '
                        f"like `{rule.name}: {rule.example}` to the front matter",
                    )
                )
            continue
        try:
            values[rule.name] = rule.convert(meta[rule.name])
        except FieldProblem as problem:
            values[rule.name] = rule.stand_in()
            problems.append(Problem(rule.name, "field.type", f'field "{rule.name}" {problem}'))
    for key in meta:
        if str(key) not in known:
            hint = difflib.get_close_matches(str(key), sorted(known), n=1)
            suggestion = (
                f'; did you mean "{hint[0]}"?' if hint else f"; known fields: {', '.join(sorted(known))}"
            )
            problems.append(
                Problem(str(key), "field.unknown", f'unknown field "{key}" is ignored{suggestion}')
            )
    return values, problems
