"""Plain language per issue: its reading ease, its longest sentences, and a warning when
it is harder to read than `reading_ease_min` allows. `sofs check --report` prints it."""

from __future__ import annotations

import json
from dataclasses import dataclass

from ..basics.diagnostics import Diagnostic, Report, warning
from ..content.model import Issue, Site
from .readability import SyllableCounts, TextStats, analyse, ease_band

LONGEST = 3
MIN_WORDS = 100  # Flesch scores of shorter texts swing too much to warn on
_QUOTE_WORDS = 30


@dataclass(frozen=True)
class LongSentence:
    """A long sentence, located at its file line."""

    line: int
    words: int
    text: str


@dataclass(frozen=True)
class IssueReadability:
    """The plain-language figures of one issue."""

    path: str
    number: int
    title: str
    reading_ease: float
    words: int
    sentences: int
    longest: tuple[LongSentence, ...]

    @property
    def band(self) -> str:
        return ease_band(self.reading_ease)

    @property
    def words_per_sentence(self) -> float:
        return self.words / self.sentences if self.sentences else 0.0


def issue_readability(issue: Issue, counts: SyllableCounts | None = None) -> IssueReadability:
    """Analyse the issue's own text (its body; team stories are separate files)."""
    stats: TextStats = analyse(issue.body, counts)
    first = issue.origin.body_first_line
    return IssueReadability(
        path=issue.origin.path,
        number=issue.number,
        title=issue.title,
        reading_ease=round(stats.reading_ease, 1),
        words=stats.words,
        sentences=len(stats.sentences),
        longest=tuple(LongSentence(first + s.line, s.words, s.text) for s in stats.longest(LONGEST)),
    )


def reading_ease_problem(
    issue: Issue, minimum: float, counts: SyllableCounts | None = None
) -> Diagnostic | None:
    """A warning when the issue (of at least `MIN_WORDS` words) reads harder than `minimum`."""
    figures = issue_readability(issue, counts)
    if figures.words < MIN_WORDS or figures.reading_ease >= minimum:
        return None
    where = f" (line {figures.longest[0].line}, {figures.longest[0].words} words)" if figures.longest else ""
    return warning(
        issue.origin.path,
        issue.origin.line_of("title"),
        "plain-language.reading-ease",
        f"the issue's Flesch reading ease is {figures.reading_ease:.1f} ({figures.band}), below "
        f"reading_ease_min {minimum:g}; use shorter sentences and everyday words, starting "
        f"with the longest sentence{where}",
    )


def _quote(text: str) -> str:
    words = text.split()
    return " ".join(words[:_QUOTE_WORDS]) + (" ..." if len(words) > _QUOTE_WORDS else "")


def report_text(site: Site) -> str:
    """The plain-language report as text, one block per issue."""
    lines = [
        "",
        "Plain language (Flesch reading ease: 60 to 70 is plain English; "
        f"warning below {site.settings.reading_ease_min:g})",
    ]
    if not site.issues:
        lines.append("  No issues to report on.")
    counts = SyllableCounts()
    for issue in site.issues:
        f = issue_readability(issue, counts)
        lines.append(
            f"{f.path}: issue {f.number}: reading ease {f.reading_ease:.1f} ({f.band}); "
            f"{f.words} words in {f.sentences} sentences, {f.words_per_sentence:.1f} words per sentence"
        )
        for sentence in f.longest:
            lines.append(f"  line {sentence.line}, {sentence.words} words: {_quote(sentence.text)}")
    return "\n".join(lines) + "\n"


def report_json(site: Site, report: Report) -> str:
    """The diagnostics as `--format json` prints them, with a `readability` list added."""
    payload = json.loads(report.as_json())
    counts = SyllableCounts()
    payload["readability"] = [
        {
            "path": f.path,
            "issue": f.number,
            "title": f.title,
            "reading_ease": f.reading_ease,
            "band": f.band,
            "words": f.words,
            "sentences": f.sentences,
            "longest": [{"line": s.line, "words": s.words, "text": s.text} for s in f.longest],
        }
        for f in (issue_readability(issue, counts) for issue in site.issues)
    ]
    return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"
