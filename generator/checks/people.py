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

import bisect
import re
from collections.abc import Iterable
from dataclasses import dataclass

from ..basics.diagnostics import Diagnostic, error
from ..content.source_lines import SourceLines
from ..settings.reader import CONFIG_FILE
from .person_names import PersonFinding, find_people
from .privacy import markers

KIND = "person"
CODE = "privacy.person"
_SHOWN_FIELDS = re.compile(r"^(?:title|summary)\s*:\s*(.*)$")
_BLOCK_START = re.compile(r"^\s{0,3}(?:#{1,6}\s|[-*+]\s|\d{1,9}[.)]\s|>|\|)")
_MARKUP = (
    (re.compile(r"!?\[([^\]]*)\]\([^)]*\)"), r"\1"),  # links and images: their text
    (re.compile(r"<[^>]*>"), " "),  # inline HTML tags
    (re.compile(r"^\s{0,3}(?:#{1,6}|[-*+]|\d{1,9}[.)]|>+)\s+"), ""),  # block markers
    (re.compile(r"\*\*|__|(?<!\w)[*_]|[*_](?!\w)|\{:[^}]*\}|\\"), ""),  # emphasis, attribute lists
)
_WHAT = {
    "age": ("an age", "remove the age"),
    "date of birth": ("a date of birth", "remove the date of birth"),
    "school": ("a school", 'write "their school" or remove it'),
    "address": ("an address", "remove the address"),
    "family role": ("a family role", "describe them by their role alone"),
}


@dataclass(frozen=True)
class Passage:
    """Text as a reader gets it, with the file line each part of it came from:
    `starts[i]` is the offset in `text` where line `lines[i]` begins."""

    text: str
    starts: tuple[int, ...]
    lines: tuple[int, ...]

    def line_at(self, offset: int) -> int:
        return self.lines[bisect.bisect_right(self.starts, offset) - 1]


def _reader_line(line: str) -> str:
    for pattern, replacement in _MARKUP:
        line = pattern.sub(replacement, line)
    return line


def _without_comments(source: SourceLines, number: int, line: str) -> str:
    for start, end in reversed(source.scan.comment_columns(number - 1)):
        line = line[:start] + " " + line[end:]
    return line


def _passages(source: SourceLines) -> list[Passage]:
    """The title, summary and body paragraphs of `source` as passages with line maps.
    A stand-in for the shared reader-text module: Markdown is simplified line by line."""
    passages = []
    for number, line in source.numbered():
        if not source.is_front_matter(number):
            break
        shown = _SHOWN_FIELDS.match(line)
        if shown:
            passages.append(Passage(shown.group(1).strip().strip("\"'"), (0,), (number,)))
    text, starts, lines = "", list[int](), list[int]()
    for number, raw in [*source.body_lines(), (0, "")]:
        line = _without_comments(source, number, raw) if number else ""
        if text and (not line.strip() or _BLOCK_START.match(line)):
            passages.append(Passage(text, tuple(starts), tuple(lines)))
            text, starts, lines = "", [], []
        if line.strip():
            starts.append(len(text) + (1 if text else 0))
            lines.append(number)
            text = f"{text} {_reader_line(line).strip()}" if text else _reader_line(line).strip()
    return passages


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
    for passage in _passages(source):
        for finding in find_people(passage.text, staff, known):
            number = passage.line_at(finding.start)
            previous = source.lines[number - 2] if number > 1 else ""
            if KIND in markers(source.lines[number - 1]) | markers(previous):
                continue
            message = _message(finding, source.is_front_matter(number))
            problems.append(error(source.path, number, CODE, message))
    return problems
