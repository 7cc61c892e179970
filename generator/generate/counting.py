""" "Counting what counts": which measures each issue evidences, and stories per measure per
year, so a practice lead sees at a glance what the newsletter has covered and neglected."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..content.model import Issue, Measure, Site

if TYPE_CHECKING:
    from ..content.relations import Relations


@dataclass(frozen=True)
class IssueRow:
    """One issue and, for each measure in order, whether it evidences it."""

    issue: Issue
    marks: tuple[bool, ...]


@dataclass(frozen=True)
class MeasureSummary:
    """A measure with how many issues and stories evidence it."""

    measure: Measure
    issues: int
    stories: int
    last_issue: Issue | None


@dataclass(frozen=True)
class Counting:
    """Everything the counting page shows."""

    measures: tuple[Measure, ...]
    summaries: tuple[MeasureSummary, ...]
    years: tuple[tuple[int, tuple[IssueRow, ...]], ...]
    story_years: tuple[int, ...]
    stories_per_measure_year: tuple[tuple[Measure, tuple[int, ...]], ...]

    @property
    def neglected(self) -> tuple[Measure, ...]:
        return tuple(s.measure for s in self.summaries if s.issues == 0 and s.stories == 0)


def count_what_counts(site: Site, relations: Relations) -> Counting:
    """Tabulate shown issues and stories against the measures."""
    measures = site.measures
    rows_by_year: dict[int, list[IssueRow]] = {}
    for issue in relations.issues:
        marks = tuple(m.number in issue.measures for m in measures)
        rows_by_year.setdefault(issue.date.year, []).append(IssueRow(issue, marks))
    story_years = tuple(sorted({s.date.year for s in relations.stories}, reverse=True))
    per_year = []
    for measure in measures:
        stories = relations.stories_by_measure.get(measure.number, [])
        counts = tuple(sum(1 for s in stories if s.date.year == year) for year in story_years)
        per_year.append((measure, counts))
    summaries = tuple(
        MeasureSummary(
            measure,
            len(relations.issues_by_measure.get(measure.number, [])),
            len(relations.stories_by_measure.get(measure.number, [])),
            next(iter(relations.issues_by_measure.get(measure.number, [])), None),
        )
        for measure in measures
    )
    return Counting(
        measures=measures,
        summaries=summaries,
        years=tuple((year, tuple(rows)) for year, rows in sorted(rows_by_year.items(), reverse=True)),
        story_years=story_years,
        stories_per_measure_year=tuple(per_year),
    )
