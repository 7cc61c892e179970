"""Review-by dates of guide pages: tools, measures, principles, processes and variants.

A guide page may carry `last_reviewed` and `review_by` (both YYYY-MM-DD). `sofs check`
warns when `review_by` has passed, so practice guidance does not quietly go out of date,
and reports a `last_reviewed` in the future as an error. Pages show when they were last
reviewed (see the page templates).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from ..basics.diagnostics import Diagnostic, error, warning
from ..basics.wording import long_date
from ..content.model import Measure, Principle, Site, Tool


def guide_pages(site: Site) -> Iterable[Tool | Measure | Principle]:
    """Every page of the practice guide that can carry review dates."""
    yield from site.tools
    yield from site.measures
    yield from site.principles
    yield from site.processes
    yield from site.variants


def review_problems(site: Site, today: dt.date) -> list[Diagnostic]:
    """A warning for each guide page whose `review_by` has passed; impossible dates."""
    problems: list[Diagnostic] = []
    for page in guide_pages(site):
        review, origin = page.review, page.origin
        if review.review_by is not None and review.review_by < today:
            problems.append(
                warning(
                    origin.path,
                    origin.line_of("review_by"),
                    "review.due",
                    f"this page was due for review by {long_date(review.review_by)}; check it is still "
                    f"right, then set `last_reviewed: {today.isoformat()}` and a new `review_by` date",
                )
            )
        if review.last_reviewed is not None and review.last_reviewed > today:
            problems.append(
                error(
                    origin.path,
                    origin.line_of("last_reviewed"),
                    "review.future",
                    f'"last_reviewed" is {long_date(review.last_reviewed)}, after today '
                    f"({long_date(today)}); write the day the page was actually reviewed",
                )
            )
    return problems
