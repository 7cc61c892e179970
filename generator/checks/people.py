"""The people check: a name next to an age, a date of birth, a school, an address or a
family role, in an issue or a team story, is a located error.

Each passage a reader gets (the title, the summary, each paragraph, heading and list
item of the body) goes to `person_names.find_people`; a finding becomes a diagnostic at
the line where the name stands, with the name masked. Staff listed under `staff_names`
in mkdocs.yml never trip it. A reviewed false positive is suppressed by
`<!-- sofs: allow person -->` on its line or the line above (`# sofs: allow person` in
front matter), as with the privacy check's markers.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from ..basics.diagnostics import Diagnostic, error
from ..content.reader_text import Passage, reader_passages
from ..content.source_lines import SourceLines
from ..settings.reader import CONFIG_FILE
from .person_names import PersonFinding, find_people
from .privacy import markers

KIND = "person"
CODE = "privacy.person"
#: The front-matter fields readers see as text (others are numbers, dates, slugs, sign-offs).
_SHOWN_FIELDS = re.compile(r"^(?:title|summary)\s*:\s*")
_PROSE = frozenset({"text", "heading", "list-item", "table-row"})
_WHAT = {
    "age": ("an age", "remove the age"),
    "date of birth": ("a date of birth", "remove the date of birth"),
    "school": ("a school", 'write "their school" or remove it'),
    "address": ("an address", "remove the address"),
    "family role": ("a family role", "describe them by their role alone"),
}


def _read(source: SourceLines) -> Iterator[tuple[int, str, Passage]]:
    """The passages readers see as prose (the title, the summary, each paragraph, heading,
    list item and table row), each with the offset where the reader's text starts in it
    (after a front-matter key and opening quote) and the text up to its closing quote."""
    for passage in reader_passages(source):
        if passage.kind in _PROSE:
            yield 0, passage.text, passage
        elif passage.kind == "front-matter" and (shown := _SHOWN_FIELDS.match(passage.text)):
            value = passage.text[shown.end() :]
            quote = len(value) - len(value.lstrip("\"'"))
            yield shown.end() + quote, passage.text[: len(passage.text) - quote or None], passage


def _message(finding: PersonFinding, in_front_matter: bool) -> str:
    what, fix = _WHAT[finding.cue]
    marker = f"# sofs: allow {KIND}" if in_front_matter else f"<!-- sofs: allow {KIND} -->"
    return (
        f"a name ({finding.masked}) next to {what} can identify a child and their family: "
        f'write a role such as "the child" or "Mum", or an initial, instead of the name, or {fix}; '
        f"if this is a member of staff, add the name to staff_names in {CONFIG_FILE}; if it has been "
        f"reviewed and is safe to publish, put `{marker}` on this line or the line above"
    )


def scan_source(
    source: SourceLines, staff_names: Iterable[str], known_terms: Iterable[str]
) -> list[Diagnostic]:
    """The people findings of one issue or story file, as diagnostics."""
    staff, known = tuple(staff_names), tuple(known_terms)
    problems: list[Diagnostic] = []
    for start, text, passage in _read(source):
        for finding in find_people(text[start:], staff, known):
            number = passage.line_of(start + finding.start)
            previous = source.lines[number - 2] if number > 1 else ""
            if KIND in markers(source.lines[number - 1]) | markers(previous):
                continue
            message = _message(finding, source.is_front_matter(number))
            problems.append(error(source.path, number, CODE, message))
    return problems
