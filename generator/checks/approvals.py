"""Sign-off checks: an issue that is ready or published carries the approvals `mkdocs.yml` asks for.

`required_approvals` under the `sofs` plugin lists the sign-offs needed (see
`settings.APPROVALS`): `issue_sign_off` (the issue's `approved_by` and `approved_on`) and
`story_anonymisation` (each of its team stories' `anonymisation_reviewed_by` and
`anonymisation_reviewed_on`). A draft needs none of them, so work in progress stays valid.

Dates are checked whether or not an approval is required, because a wrong date in an
audit trail is worse than none:
- no approval or review may be dated after today;
- an issue's sign-off may not be older than the anonymisation review of any of its
  stories: the manager signs off the issue as it will go out, stories included;
- a sign-off dated more than `STALE_DAYS` before the issue's own date is most likely a
  mistyped year, so it is a warning.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ..basics.diagnostics import Diagnostic, error, warning
from ..basics.wording import long_date
from ..content.model import Issue, Site, Story

STALE_DAYS = 180


def approval_problems(site: Site, today: dt.date) -> list[Diagnostic]:
    """Missing or impossible sign-offs of every issue in the site (drafts only dates)."""
    problems: list[Diagnostic] = []
    for issue in site.issues:
        problems += issue_approval_problems(site, issue, today, required=issue.status != "draft")
    return problems


_STATE = {"ready": "marked ready", "published": "published"}


def issue_approval_problems(
    site: Site, issue: Issue, today: dt.date, *, required: bool, state: str | None = None
) -> list[Diagnostic]:
    """The sign-off problems of one issue and its stories.

    With `required` (the issue is ready, published or being published), a sign-off that
    `required_approvals` asks for and that is missing is an error; without it (a draft)
    only dates and half-written sign-offs are checked, and the latter only warned about.
    `state` words the issue's state in messages (default: from its status).
    """
    kinds = site.settings.required_approvals if required else ()
    state = state or _STATE.get(issue.status, issue.status)
    stories = site.stories_of(issue)
    problems = _SignOff(
        issue.origin.path,
        issue.origin.line_of,
        anchor="status",
        fields=("approved_by", "approved_on"),
        example_by='"Head of Service"',
        why=f"issue {issue.number} is {state}, so required_approvals in mkdocs.yml asks for its "
        "sign-off: who approved it (their role) and when",
    ).problems(
        issue.approved_by, issue.approved_on, today, needed="issue_sign_off" in kinds, required=required
    )
    for story in stories:
        problems += _SignOff(
            story.origin.path,
            story.origin.line_of,
            anchor="issue",
            fields=("anonymisation_reviewed_by", "anonymisation_reviewed_on"),
            example_by=f'"Team manager, {site.settings.teams.get(story.team, "your team")}"',
            why=f"this story goes out in issue {issue.number}, which is {state}, so required_approvals "
            "in mkdocs.yml asks for its anonymisation review: who checked that no child or family "
            "can be recognised, and when",
        ).problems(
            story.anonymisation_reviewed_by,
            story.anonymisation_reviewed_on,
            today,
            needed="story_anonymisation" in kinds,
            required=required,
        )
    problems += _sign_off_order(issue, stories)
    return problems


@dataclass(frozen=True)
class _SignOff:
    """One `..._by` / `..._on` pair of front-matter fields and how to explain it."""

    path: str
    line_of: Callable[[str], int]
    anchor: str  # the field to point at when both are absent
    fields: tuple[str, str]
    example_by: str
    why: str

    def problems(
        self, by: str | None, on: dt.date | None, today: dt.date, *, needed: bool, required: bool
    ) -> list[Diagnostic]:
        """Present when needed, both or neither, and not dated after today."""
        by_name, on_name = self.fields
        found: list[Diagnostic] = []
        if on is not None and on > today:
            found.append(
                error(
                    self.path,
                    self.line_of(on_name),
                    "approval.future",
                    f'"{on_name}" is {long_date(on)}, after today ({long_date(today)}); '
                    "write the day it actually happened",
                )
            )
        lines = {by_name: f"`{by_name}: {self.example_by}`", on_name: f"`{on_name}: {today.isoformat()}`"}
        missing = [name for name, value in ((by_name, by), (on_name, on)) if value is None]
        if not missing or (len(missing) == 2 and not needed):
            return found
        if len(missing) == 2:
            found.append(
                error(
                    self.path,
                    self.line_of(self.anchor),
                    "approval.missing",
                    f"{self.why}; add {lines[by_name]} and {lines[on_name]} to the front matter",
                )
            )
            return found
        (absent,) = missing
        present = on_name if absent == by_name else by_name
        report = error if required else warning
        code = "approval.missing" if needed else "approval.incomplete"
        found.append(
            report(
                self.path,
                self.line_of(present),
                code,
                f'"{present}" is here but "{absent}" is not: a sign-off needs both; add {lines[absent]} '
                "to the front matter",
            )
        )
        return found


def _sign_off_order(issue: Issue, stories: Sequence[Story]) -> list[Diagnostic]:
    """A sign-off older than a story's review, or long before the issue's date."""
    problems: list[Diagnostic] = []
    signed = issue.approved_on
    if signed is None:
        return problems
    for story in stories:
        reviewed = story.anonymisation_reviewed_on
        if reviewed is not None and reviewed > signed:
            problems.append(
                error(
                    issue.origin.path,
                    issue.origin.line_of("approved_on"),
                    "approval.order",
                    f'"approved_on" is {long_date(signed)}, before the anonymisation review of '
                    f"{story.origin.path} ({long_date(reviewed)}); the sign-off must cover the "
                    "reviewed stories, so sign off again and update approved_on",
                )
            )
    if (issue.date - signed).days > STALE_DAYS:
        problems.append(
            warning(
                issue.origin.path,
                issue.origin.line_of("approved_on"),
                "approval.stale",
                f'"approved_on" is {long_date(signed)}, more than {STALE_DAYS} days before the '
                f"issue's date ({long_date(issue.date)}); check the year, or sign off again",
            )
        )
    return problems
