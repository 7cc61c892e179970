"""The upkeep of guide pages: tools, measures, principles, ongoing processes and variants.

Practice guidance must say who keeps it accurate, what published source it rests on and
when it is looked at again. `sofs check` warns when a guide page has no `owner`, no
`sources` or no `review_by`, and when `review_by` has passed ("today" is the run's fixed
day, so `SOFS_TODAY` moves it); a `last_reviewed` in the future is an error. Whether an
`owner` is still an example value (the `examples:` list) is checked with the other example
values, not here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from ..basics.diagnostics import Diagnostic, error, warning
from ..basics.wording import long_date
from ..content.model import Measure, Principle, Site, Tool


def guide_pages(site: Site) -> Iterable[Tool | Measure | Principle]:
    """Every page of the practice guide: each carries an owner, sources and review dates."""
    yield from site.tools
    yield from site.measures
    yield from site.principles
    yield from site.processes
    yield from site.variants


def upkeep_problems(site: Site, today: dt.date) -> list[Diagnostic]:
    """A warning for each guide page with no owner, sources or review date, or one whose
    `review_by` has passed; an error for a `last_reviewed` after today. A field that is
    written but could not be read is not missing: the loader has reported it at its line."""
    problems: list[Diagnostic] = []
    for page in guide_pages(site):
        upkeep, origin = page.upkeep, page.origin
        if upkeep.owner is None and origin.read("owner"):
            problems.append(
                warning(
                    origin.path,
                    origin.line_of("owner"),
                    "guide.owner-missing",
                    "this guide page does not say who keeps it accurate; add a line like "
                    '`owner: "Practice lead"` to its front matter, naming a role rather than a person',
                )
            )
        if not upkeep.sources and origin.read("sources"):
            problems.append(
                warning(
                    origin.path,
                    origin.line_of("sources"),
                    "guide.sources-missing",
                    "this guide page cites no sources; add a `sources:` list to its front matter with "
                    "the full reference of each published book, paper or newsletter issue it is based "
                    'on, one per line, like `  - "Turnell, A. & Edwards, S. (1999) Signs of Safety. '
                    'New York: W. W. Norton."`',
                )
            )
        if upkeep.review_by is None and origin.read("review_by"):
            problems.append(
                warning(
                    origin.path,
                    origin.line_of("review_by"),
                    "guide.review-by-missing",
                    "this guide page has no review date; add a line like "
                    f"`review_by: {today.replace(year=today.year + 1, day=1).isoformat()}` to its front "
                    "matter, the day by which someone should check it is still right",
                )
            )
        elif upkeep.review_by is not None and upkeep.review_by < today:
            problems.append(
                warning(
                    origin.path,
                    origin.line_of("review_by"),
                    "review.due",
                    f"this page was due for review by {long_date(upkeep.review_by)}; check it is still "
                    f"right, then set `last_reviewed: {today.isoformat()}` and a new `review_by` date",
                )
            )
        if upkeep.last_reviewed is not None and upkeep.last_reviewed > today:
            problems.append(
                error(
                    origin.path,
                    origin.line_of("last_reviewed"),
                    "review.future",
                    f'"last_reviewed" is {long_date(upkeep.last_reviewed)}, after today '
                    f"({long_date(today)}); write the day the page was actually reviewed",
                )
            )
    return problems
