"""Notes and placeholders from `sofs new` left in an issue or team story.

A new issue starts with a note under each section and a placeholder summary; a new team
story with a note in its body (`content/scaffold.py` keeps those texts, and this check
reads the same ones). Left in an issue that is ready or published, or in a story of such
an issue, each one is an error: readers would get the placeholder summary in the archive,
the feed and the email. In a draft it is a warning, except a note under a section that is
still empty, which the empty-section warning already covers.

The texts are found however they were rewrapped, with their note markers (`<!--`)
removed or not, in any case, with straight or curly quotes and with or without the
backticks around `issue: N`.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator

from ..basics.diagnostics import Diagnostic, error, warning
from ..content.markdown_text import normalise_heading
from ..content.model import Issue, Site, Story
from ..content.scaffold import SCAFFOLD_NOTES, SUMMARY_PLACEHOLDER

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})
#: Sentences shorter than this are too plain to tell a note from the writer's own words.
_SHORTEST = 30


def _pattern(sentence: str) -> str:
    parts = re.split(r"(\{number\}|\s+|`)", sentence)
    out: list[str] = []
    for part in parts:
        if part == "{number}":
            out.append(r"\d+")
        elif part == "`":
            out.append("`?")
        elif part and part.isspace():
            out.append(r"\s+")
        elif part:
            out.append(re.escape(part))
    return "".join(out)


def _note_patterns() -> re.Pattern[str]:
    sentences = {
        sentence.strip()
        for note in SCAFFOLD_NOTES
        for sentence in _SENTENCE_END.split(note.translate(_QUOTES))
        if len(sentence.strip()) >= _SHORTEST
    }
    alternatives = sorted((_pattern(s) for s in sentences), key=len, reverse=True)
    return re.compile("|".join(alternatives), re.IGNORECASE)


_NOTES = _note_patterns()


def note_lines(body: str) -> Iterator[tuple[int, str]]:
    """The 0-based line where each scaffold note in `body` starts, with its first words."""
    text = body.translate(_QUOTES)
    starts = [0, *(match.end() for match in re.finditer("\n", text))]
    previous_end = -1
    for match in _NOTES.finditer(text):
        joined = previous_end >= 0 and not text[previous_end : match.start()].strip()
        previous_end = match.end()
        if joined:
            continue  # the next sentence of the same note
        line = bisect.bisect_right(starts, match.start()) - 1
        words = " ".join(match.group(0).split())
        yield line, words if len(words) <= 50 else words[:47] + "..."


def _is_placeholder(summary: str) -> bool:
    return normalise_heading(summary) == normalise_heading(SUMMARY_PLACEHOLDER)


def story_scaffold_problems(site: Site) -> list[Diagnostic]:
    """Scaffold notes left in team stories (an issue's own are `issue_scaffold_problems`,
    a one-file check)."""
    problems: list[Diagnostic] = []
    issues = {issue.number: issue for issue in site.issues}
    for story in site.stories:
        problems += _story_problems(story, issues.get(story.issue))
    return problems


def issue_scaffold_problems(issue: Issue) -> list[Diagnostic]:
    """Scaffold notes and the placeholder summary left in `issue`."""
    draft = issue.status == "draft"
    report = warning if draft else error
    where = "as a draft" if draft else f"now that it is {issue.status}"
    problems: list[Diagnostic] = []
    if _is_placeholder(issue.summary):
        problems.append(
            report(
                issue.origin.path,
                issue.origin.line_of("summary"),
                "scaffold.summary",
                "the summary is still the placeholder that `sofs new issue` wrote; write one or two "
                "sentences about this issue (readers see them in the archive, the feed and the email)",
            )
        )
    section_lines = [section.line for section in issue.sections]
    for index, words in note_lines(issue.body):
        line = issue.origin.body_first_line + index
        position = bisect.bisect_right(section_lines, line) - 1
        if draft and position >= 0 and issue.sections[position].is_empty:
            continue  # the section is still to write: its empty-section warning says so
        problems.append(
            report(
                issue.origin.path,
                line,
                "scaffold.note",
                f'the note from `sofs new issue` ("{words}") is still here {where}; '
                "delete the note (with its <!-- and -->) once the section is written",
            )
        )
    return problems


def _story_problems(story: Story, issue: Issue | None) -> list[Diagnostic]:
    draft = issue is None or issue.status == "draft"
    report = warning if draft else error
    problems: list[Diagnostic] = []
    for index, words in note_lines(story.body):
        problems.append(
            report(
                story.origin.path,
                story.origin.body_first_line + index,
                "scaffold.note",
                f'the note from `sofs new story` ("{words}") is still here; write the story, then '
                "delete the note (with its <!-- and -->)",
            )
        )
    return problems
