"""Rules for the values of settings, in the style of the front-matter rules of `basics.fields`.

Each rule checks one setting's value and converts it. A value that is wrong as a whole
raises `FieldProblem` (or `SettingProblem`, to give its own code), whose message follows
the setting's quoted name: `"feed_limit" should be a whole number from 1; found 'ten'`.
A value made of parts (teams, issue types, ...) keeps its good parts and reports each
bad one at its own key through `found`.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ..basics.addresses import AddressProblem, checked_address
from ..basics.fields import SLUG, FieldProblem, one_line_problem
from ..basics.yamlread import Path as KeyPath
from .model import IssueType, RequiredSection

#: Reports a problem at a key below the setting's own (`("first-contact",)` under `teams`).
Found = Callable[[KeyPath, str], None]


class SettingProblem(FieldProblem):
    """A wrong setting whose diagnostic has a code of its own (the default is `config.invalid`)."""

    def __init__(self, message: str, code: str = "config.invalid") -> None:
        super().__init__(message)
        self.code = code


class Rule:
    """How one setting is written. `convert` gets the value found in `mkdocs.yml`."""

    def convert(self, name: str, value: Any, found: Found) -> Any:  # pragma: no cover - overridden
        return value

    def absent(self, name: str) -> None:
        """Called when the setting is not written; a required one raises `SettingProblem`."""


def _one_line(text: str) -> str:
    if problem := one_line_problem(text):
        raise FieldProblem(problem)
    return text


def _one_line_part(found: Found, key: KeyPath, text: str) -> bool:
    """Whether `text`, the value at `key`, is one line; if not, `found` is told why."""
    problem = one_line_problem(text)
    if problem:
        found(key, f'"{key[-1]}" {problem}')
    return problem is None


@dataclass(frozen=True)
class Text(Rule):
    """Some text, on one line unless `one_line` is false (surrounding spaces are dropped)."""

    one_line: bool = True

    def convert(self, name: str, value: Any, found: Found) -> str:
        if not isinstance(value, str) or not value.strip():
            raise FieldProblem(f"should be text; found {value!r}")
        return _one_line(value.strip()) if self.one_line else value.strip()


@dataclass(frozen=True)
class TimeZone(Text):
    """The name of a time zone, like Europe/London."""

    def convert(self, name: str, value: Any, found: Found) -> str:
        text = super().convert(name, value, found)
        try:
            ZoneInfo(text)
        except (ZoneInfoNotFoundError, ValueError):
            raise FieldProblem(f"{text!r} is not a known time zone, like Europe/London") from None
        return text


@dataclass(frozen=True)
class Mailbox(Text):
    """One plain email address that can go into the From, Reply-To and List-Unsubscribe headers."""

    def convert(self, name: str, value: Any, found: Found) -> str:
        text = super().convert(name, value, found)
        try:
            address = checked_address(text)
        except AddressProblem as exc:
            raise FieldProblem(
                f"should be one plain email address, like `{name}: newsletter@example.org`; "
                f"found {text!r} ({exc})"
            ) from None
        if not text.isascii():
            raise FieldProblem(
                f"{text!r} has letters outside ASCII, which the unsubscribe header cannot carry "
                f"readably; write the address as `{name}: {address.ascii}` (the same address)"
            )
        return text


@dataclass(frozen=True)
class WebAddress(Rule):
    """The full http(s) address the site is published at; it always ends with `/`."""

    missing: str = "is missing"

    def convert(self, name: str, value: Any, found: Found) -> str:
        _one_line(str(value).strip())
        parts = urlsplit(str(value))
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise SettingProblem(
                f"should be a full web address starting with https://; found {value!r}", "config.site-url"
            )
        return str(value).rstrip("/") + "/"

    def absent(self, name: str) -> None:
        raise SettingProblem(self.missing, "config.site-url")


_HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


def relative_luminance(colour: str) -> float:
    """WCAG 2 relative luminance of a `#rrggbb` colour."""

    def channel(hex_pair: str) -> float:
        value = int(hex_pair, 16) / 255
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (channel(colour[i : i + 2]) for i in (1, 3, 5))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast_ratio(first: str, second: str) -> float:
    """WCAG 2 contrast ratio of two `#rrggbb` colours, from 1 to 21."""
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


@dataclass(frozen=True)
class Colour(Rule):
    """A `#rrggbb` colour that white text on it, and it as text on white, can be read in:
    a contrast of at least `min_contrast` (WCAG 2.2 AA asks 4.5:1 for text)."""

    min_contrast: float = 4.5
    example: str = "#1d4f91"

    def convert(self, name: str, value: Any, found: Found) -> str:
        text = value.strip() if isinstance(value, str) else ""
        if not _HEX_COLOUR.match(text):
            raise FieldProblem(
                f'should be a colour written as "#" and six hex digits, like `{name}: "{self.example}"`; '
                f"found {value!r}"
            )
        ratio = contrast_ratio(text, "#ffffff")
        if ratio < self.min_contrast:
            raise FieldProblem(
                f"{text} is too light: white text on it (and it as text on white) has a contrast "
                f"of {math.floor(ratio * 100) / 100:.2f}:1, and readers need at least {self.min_contrast}:1; "
                f'choose a darker shade, like `{name}: "{self.example}"`'
            )
        return text.lower()


@dataclass(frozen=True)
class Flag(Rule):
    """`true` or `false`."""

    def convert(self, name: str, value: Any, found: Found) -> bool:
        if not isinstance(value, bool):
            raise FieldProblem(f"should be true or false; found {value!r}")
        return value


@dataclass(frozen=True)
class Count(Rule):
    """A whole number from 1 up."""

    def convert(self, name: str, value: Any, found: Found) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise FieldProblem(f"should be a whole number from 1; found {value!r}")
        return value


@dataclass(frozen=True)
class Between(Rule):
    """A number from `low` to `high`, both included."""

    low: int = 0
    high: int = 100

    def convert(self, name: str, value: Any, found: Found) -> float:
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not self.low <= value <= self.high
        ):
            raise FieldProblem(f"should be a number from {self.low} to {self.high}; found {value!r}")
        return float(value)


@dataclass(frozen=True)
class Texts(Rule):
    """A list of texts (nothing at all is an empty list)."""

    example: str = '"..."'

    def convert(self, name: str, value: Any, found: Found) -> tuple[str, ...]:
        items = value or []
        if not isinstance(items, list) or not all(isinstance(a, str) and a.strip() for a in items):
            raise FieldProblem(f"should be a list of texts, like `{name}: [{self.example}]`")
        return tuple(a.strip() for a in items)


@dataclass(frozen=True)
class Kinds(Rule):
    """A list of words from a fixed set, each kept once (nothing at all is an empty list)."""

    kinds: tuple[str, ...] = ()
    noun: str = "kind"

    def convert(self, name: str, value: Any, found: Found) -> tuple[str, ...]:
        example = f"`{name}: [{', '.join(self.kinds)}]`"
        if value is None:
            return ()
        if not isinstance(value, list):
            raise FieldProblem(f"should be a list, like {example}; found {value!r}")
        kinds: list[str] = []
        for index, item in enumerate(value):
            if isinstance(item, str) and item.strip() in self.kinds:
                kinds.append(item.strip())
                continue
            close = difflib.get_close_matches(str(item), self.kinds, n=1)
            hint = f'did you mean "{close[0]}"?' if close else f"use any of: {', '.join(self.kinds)}"
            found((index,), f'"{name}" has an unknown {self.noun} {item!r}; {hint}')
        return tuple(dict.fromkeys(kinds))


@dataclass(frozen=True)
class Teams(Rule):
    """`slug: Name` lines: each team's short name and the name shown on pages."""

    def convert(self, name: str, value: Any, found: Found) -> Mapping[str, str]:
        if not isinstance(value, dict):
            raise FieldProblem("should be `slug: Team name` lines, like `first-contact: First Contact`")
        result: dict[str, str] = {}
        for slug, shown in value.items():
            if not isinstance(slug, str) or not SLUG.match(slug):
                found((str(slug),), f"team {slug!r} should be a short name in lowercase with hyphens")
            elif not isinstance(shown, str) or not shown.strip():
                found((slug,), f'team "{slug}" needs a display name, like `{slug}: Team name`')
            elif _one_line_part(found, (slug,), shown.strip()):
                result[slug] = shown.strip()
        return MappingProxyType(result)


@dataclass(frozen=True)
class IssueTypes(Rule):
    """Issue types by name, each with its `required_sections:`. They are added to the
    built-in types `adds_to`; a type written with a built-in's name replaces it."""

    adds_to: Mapping[str, IssueType] = field(default_factory=lambda: MappingProxyType({}))

    def convert(self, name: str, value: Any, found: Found) -> Mapping[str, IssueType]:
        if not isinstance(value, dict) or not value:
            shown = "a list" if isinstance(value, list) else "nothing" if not value else f"{value!r:.40}"
            raise FieldProblem(
                "should list at least one issue type as `name:` with its "
                f"`required_sections:` under it, like `newsletter:`; found {shown}"
            )
        result = dict(self.adds_to)
        for type_name, spec in value.items():
            result[str(type_name)] = _issue_type(str(type_name), spec, found)
        return MappingProxyType(result)


def _issue_type(name: str, spec: Any, found: Found) -> IssueType:
    key: KeyPath = (name,)
    sections_value = spec.get("required_sections") if isinstance(spec, dict) else None
    if isinstance(spec, dict):
        for other in spec:
            if other != "required_sections":
                found(
                    (*key, str(other)),
                    f'unknown setting "{other}" for issue type "{name}"; only `required_sections` is known',
                )
    if not isinstance(sections_value, list) or not sections_value:
        found(
            key,
            f'issue type "{name}" needs a non-empty `required_sections:` list, each item '
            "like `- title: Welcome` with optional `aliases: [Introduction]`",
        )
        return IssueType(name, ())
    sections = [
        section
        for index, item in enumerate(sections_value)
        if (section := _section(item, (*key, "required_sections", index), found))
    ]
    return IssueType(name, tuple(sections))


def _section(item: Any, key: KeyPath, found: Found) -> RequiredSection | None:
    if isinstance(item, str) and item.strip():
        return RequiredSection(item.strip()) if _one_line_part(found, key, item.strip()) else None
    if not isinstance(item, dict) or not isinstance(item.get("title"), str) or not item["title"].strip():
        found(key, "each required section needs a `title:`, like `- title: Welcome`")
        return None
    for other in item:
        if other not in ("title", "aliases", "filled_by"):
            found(
                (*key, str(other)),
                f'unknown setting "{other}" in a required section; known: title, aliases, filled_by',
            )
    if not _one_line_part(found, (*key, "title"), item["title"].strip()):
        return None
    aliases = item.get("aliases") or []
    if not isinstance(aliases, list) or not all(isinstance(a, str) and a.strip() for a in aliases):
        found(
            (*key, "aliases"), '"aliases" should be a list of headings, like `aliases: [Introduction, Hello]`'
        )
        aliases = []
    for index, alias in enumerate(aliases):
        if problem := one_line_problem(alias.strip()):
            found((*key, "aliases", index), f'each of the "aliases" {problem}')
    aliases = [a for a in aliases if one_line_problem(a.strip()) is None]
    filled_by = item.get("filled_by")
    if filled_by is not None and filled_by != "feedback":
        found(
            (*key, "filled_by"), f'"filled_by" can only be `feedback` (the team stories); found {filled_by!r}'
        )
        filled_by = None
    return RequiredSection(item["title"].strip(), tuple(a.strip() for a in aliases), filled_by)
