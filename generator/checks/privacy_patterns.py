"""Finding personal identifiers in a line of normalised text: the patterns and their masks.

Each finding carries its kind, where it is in the line, the text found (never printed)
and a masked form that is safe to print in a terminal or a CI log. The patterns are
tuned for UK identifiers and read text as `content.reader_text` gives it (one plain space
for any space, entities decoded): digit groups may be separated by a space, a hyphen, a
dot or a slash, and postcodes are found in any case (a lower-case ordinal or time such as
`b33 8th` or `ks2 9am` is not one). `generator.checks.privacy` turns findings into
diagnostics.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass


@dataclass(frozen=True)
class Finding:
    """One likely identifier in a line: kind, span (0-based, end exclusive) and masks."""

    kind: str
    start: int
    end: int
    text: str
    masked: str


def mask(text: str, keep: int) -> str:
    """`text` with every letter and digit after the first `keep` ones replaced by `*`."""
    out = []
    seen = 0
    for ch in text:
        if ch.isalnum():
            seen += 1
            out.append(ch if seen <= keep else "*")
        else:
            out.append(ch)
    return "".join(out)


def nhs_checksum_ok(digits: str) -> bool:
    """True when ten digits pass the NHS number modulus 11 check."""
    if len(digits) != 10 or not digits.isdigit():
        return False
    total = sum(int(d) * weight for d, weight in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


# Boundaries: an identifier must not be glued to a word, a longer number or a path.
_B = r"(?<![\w+\-/.@])"
_E = r"(?![\w\-/@])"

# Between groups of digits: a space, or a hyphen, dot or slash with or without spaces.
_SEP = r"(?: ?[\-./] ?| )"
_PHONE = re.compile(
    _B + rf"(?P<prefix>(?:\+|00)44{_SEP}?(?:\(0\){_SEP}?)?|\(0|0)"
    rf"(?P<first>[1-37-9]\d*+)(?P<rest>(?:\)?{_SEP}\d{{2,}}+|\)\d{{2,}}+){{0,6}}+)" + _E
)
_NHS = re.compile(_B + rf"(\d{{3}})({_SEP}?)(\d{{3}})({_SEP}?)(\d{{4}})" + _E)
_NI = re.compile(
    r"\b(?!BG|GB|NK|KN|TN|NT|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]"
    rf"{_SEP}?\d{{2}}{_SEP}?\d{{2}}{_SEP}?\d{{2}}{_SEP}?[A-D]\b",
    re.IGNORECASE,
)
_POSTCODE = re.compile(
    r"\b(?:[A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]?) ?(?P<inward>\d[ABD-HJLNP-UW-Z]{2})\b", re.IGNORECASE
)
# Read as an ordinal or a time, not a postcode's inward part, unless written in capitals:
# "b33 8th", "y2 3rd", "ks2 9am".
_NOT_INWARD = re.compile(r"1st|2nd|3rd|[04-9]th|\d[ap]m", re.IGNORECASE)
_EMAIL = re.compile(r"(?<![\w.+\-])[\w.+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+")

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DATE = (
    r"(?:\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2,4}|\d{4}-\d{1,2}-\d{1,2}"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}(?:,?\s+\d{{2,4}})?"
    rf"|{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?"
    rf"|{_MONTH}\s+\d{{4}})"
)
_DOB = re.compile(
    rf"\b(?P<label>d\.?o\.?b\b\.?|date\s+of\s+birth|birth\s*date|born(?:\s+(?:on|in))?)"
    rf"(?P<gap>\s*(?:[:\-–=]|is|was)?\s*)(?P<date>{_DATE})(?![\w/])",
    re.IGNORECASE,
)

_NAME = r"(?:[A-Z][a-z'’\-]+|[A-Z]{2,}(?![a-z]))"
_SCHOOL_TYPE = (
    r"(?:C\.?\s?of\s?E\.?|CE|RC|Catholic|Church\s+of\s+England|Methodist|Community|Primary|First"
    r"|Middle|Junior|Infants?|Nursery|High|Secondary|Grammar|Special|Free|Sixth\s+Form)"
)
_SCHOOL_END = r"(?:School|Academy|College)\b"
_SCHOOL = re.compile(
    rf"\b(?:(?:St\.?|Saint)\s+(?:{_NAME}\s+){{1,4}}(?:{_SCHOOL_TYPE}\s+)*{_SCHOOL_END}"
    rf"|(?:{_NAME}\s+){{1,4}}(?:{_SCHOOL_TYPE}\s+)+{_SCHOOL_END})"
)
_STREET_TYPE = (
    r"(?:Road|Rd|Street|St|Avenue|Ave|Lane|Drive|Close|Crescent|Court|Way|Place|Terrace"
    r"|Gardens|Grove|Walk|Hill|Square|Mews|Row|Rise|Parade|Vale|Wynd|Chare|Bank)"
)
_ADDRESS = re.compile(
    rf"(?<![\w/.\-])(?:(?:Flat|Apartment)\s+\d+[A-Za-z]?,?\s+)?\d{{1,4}}[A-Za-z]?,?\s+"
    rf"(?:{_NAME}\s+){{1,3}}{_STREET_TYPE}\b\.?"
)
_SCHOOL_WORDS = re.compile(rf"\b(?:St\.?|Saint|{_SCHOOL_TYPE}|{_SCHOOL_END})", re.IGNORECASE)


_GROUP = re.compile(rf"\)?{_SEP}?\d+")


def _phone_end(match: re.Match[str]) -> int | None:
    """Where the phone number `match` found ends: after the last group of digits that
    makes a national number of 9 or 10 digits (a separator can be punctuation, so a
    number followed by ". 12" is not lost), or None when no group does."""
    digits = len(match.group("first"))
    end = match.end("first") if digits in (9, 10) else None
    for group in _GROUP.finditer(match.group("rest")):
        digits += sum(ch.isdigit() for ch in group.group(0))
        if digits > 10:
            break
        if digits >= 9:
            end = match.start("rest") + group.end()
    return end


def _phones(line: str) -> Iterator[Finding]:
    position = 0
    while (match := _PHONE.search(line, position)) is not None:
        end = _phone_end(match)
        position = end if end is not None else match.end()
        if end is None:
            continue
        text = line[match.start() : end]
        keep = sum(ch.isdigit() for ch in match.group("prefix")) + min(len(match.group("first")), 4)
        yield Finding("phone", match.start(), end, text, "phone number " + mask(text, keep))


def _nhs_numbers(line: str) -> Iterator[Finding]:
    for match in _NHS.finditer(line):
        digits = match.group(1) + match.group(3) + match.group(5)
        spaced = bool(match.group(2))
        if spaced != bool(match.group(4)):
            continue
        if nhs_checksum_ok(digits) and (spaced or not digits.startswith("0")):
            text = match.group(0)
            yield Finding("nhs-number", match.start(), match.end(), text, "NHS number " + mask(text, 3))


def _simple(
    kind: str, pattern: re.Pattern[str], label: str, masker: Callable[[str], str]
) -> Callable[[str], Iterator[Finding]]:
    def find(line: str) -> Iterator[Finding]:
        for match in pattern.finditer(line):
            text = match.group(0)
            yield Finding(kind, match.start(), match.end(), text, f"{label} {masker(text)}")

    return find


def _mask_email(text: str) -> str:
    local, _, domain = text.partition("@")
    return f"{local[:1]}{'*' * max(len(local) - 1, 3)}@{domain}"


def _mask_postcode(text: str) -> str:
    outward, _, inward = text.rpartition(" ") if " " in text else (text[:-3], "", text[-3:])
    return f"{outward} {'*' * len(inward)}"


def _postcodes(line: str) -> Iterator[Finding]:
    for match in _POSTCODE.finditer(line):
        text = match.group(0)
        if not text.isupper() and _NOT_INWARD.fullmatch(match.group("inward")):
            continue
        yield Finding("postcode", match.start(), match.end(), text, "postcode " + _mask_postcode(text))


def _dates_of_birth(line: str) -> Iterator[Finding]:
    for match in _DOB.finditer(line):
        label = " ".join(match.group("label").split())
        yield Finding(
            "date-of-birth",
            match.start(),
            match.end(),
            match.group(0),
            f'date of birth "{label}{match.group("gap")}{mask(match.group("date"), 0)}"',
        )


def _mask_name_words(text: str) -> str:
    """Keep school-type words and each other word's first letter."""
    parts = re.split(r"(\s+)", text)
    return "".join(p if p.isspace() or _SCHOOL_WORDS.fullmatch(p) else mask(p, 1) for p in parts)


def _mask_address(text: str) -> str:
    parts = re.split(r"(\s+)", text)
    return "".join(
        p
        if p.isspace() or re.fullmatch(_STREET_TYPE + r"\.?|Flat|Apartment", p)
        else mask(p, 1 if p[:1].isalpha() else 0)
        for p in parts
    )


_find_schools = _simple("school", _SCHOOL, "school name", _mask_name_words)
FINDERS: tuple[Callable[[str], Iterator[Finding]], ...] = (
    _simple("email", _EMAIL, "email address", _mask_email),
    _phones,
    _nhs_numbers,
    _simple("ni-number", _NI, "National Insurance number", lambda t: mask(t, 2)),
    _dates_of_birth,
    _postcodes,
    _simple("address", _ADDRESS, "street address", _mask_address),
    _find_schools,
)
_DIGIT_OR_AT = re.compile(r"[\d@]")
_SCHOOL_WORD = re.compile(_SCHOOL_END)


def _finders_for(line: str) -> tuple[Callable[[str], Iterator[Finding]], ...]:
    r"""The finders that can match `line`. Every pattern but the school name's needs a digit
    (`\d`, as the patterns do) or an "@", and a school name ends in School, Academy or
    College; most lines of prose have none of these, so they are not searched at all."""
    if _DIGIT_OR_AT.search(line):
        return FINDERS
    return (_find_schools,) if _SCHOOL_WORD.search(line) else ()


#: The kinds that are numbers and codes: what is looked for in addresses and file names,
#: where `/`, `.`, `-` and `_` separate words.
NUMBER_KINDS = frozenset({"phone", "nhs-number", "ni-number", "postcode"})
_NUMBER_FINDERS = (_phones, _nhs_numbers, FINDERS[3], _postcodes)


def find_identifiers(line: str, numbers_only: bool = False) -> list[Finding]:
    """Every likely identifier in `line` (or only those of `NUMBER_KINDS`), left to right;
    where two overlap, the one found by the earlier finder in `FINDERS` wins."""
    finders = _finders_for(line)
    if numbers_only:
        finders = tuple(f for f in _NUMBER_FINDERS if f in finders)
    kept: list[Finding] = []  # in order, never overlapping
    for finder in finders:
        merged: list[Finding] = []
        index = 0
        for finding in finder(line):  # in order, never overlapping each other
            while index < len(kept) and kept[index].start < finding.start:
                merged.append(kept[index])
                index += 1
            if merged and merged[-1].end > finding.start:
                continue
            if index < len(kept) and kept[index].start < finding.end:
                continue
            merged.append(finding)
        kept = merged + kept[index:]
    return kept
