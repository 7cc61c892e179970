"""Sign-off checks: an issue that is ready or published carries the approvals `mkdocs.yml` asks for.

`required_approvals` under the `sofs` plugin lists the sign-offs needed (see
`settings.APPROVALS`): `issue_sign_off` (the issue's `approved_by` and `approved_on`) and
`story_anonymisation` (each of its team stories' `anonymisation_reviewed_by` and
`anonymisation_reviewed_on`). A draft needs none of them, so work in progress stays valid.

A sign-off is an act: `sofs approve N` writes `approved_by`, `approved_on` and
`approved_sha256`, the SHA-256 of exactly what was approved (see `approval_digest`). Any
later edit of the issue or its stories voids it: the issue's `approved_sha256` line says
so (an error once the issue is ready or published, a warning in a draft), naming the file
that changed when the approval is on record in the publication log (see
`approval_records`). An `approved_by` without `approved_sha256` was typed by hand, and is
reported the same way.

Text written into the issue's own feedback section (the required section that
`filled_by: feedback` names) goes out beside the team stories, so it needs the same
anonymisation review as a story file: the issue's own `anonymisation_reviewed_by` and
`anonymisation_reviewed_on`. Guidance comments and an empty section are not text.

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
import posixpath
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from ..basics.diagnostics import Diagnostic, error, shown_path, warning
from ..basics.wording import long_date
from ..content.markdown_scan import LineKind
from ..content.markdown_text import normalise_heading
from ..content.model import Issue, Section, Site, Story
from ..content.source_lines import SourceLines
from ..settings.reader import CONFIG_FILE
from .approval_digest import ApprovalDigest, approval_digest, is_digest, sources_by_path
from .approval_records import approval_with, approved_files, publication_log

STALE_DAYS = 180


def approval_problems(site: Site, today: dt.date) -> list[Diagnostic]:
    """Missing, impossible or voided sign-offs of every issue in the site (drafts are only
    warned about)."""
    problems: list[Diagnostic] = []
    sources = sources_by_path(site)
    headings = feedback_headings(site)
    for issue in site.issues:
        problems += issue_approval_problems(
            site, issue, today, required=issue.status != "draft", sources=sources, headings=headings
        )
    return problems


_STATE = {"ready": "marked ready", "published": "published"}


def issue_approval_problems(
    site: Site,
    issue: Issue,
    today: dt.date,
    *,
    required: bool,
    state: str | None = None,
    sources: Mapping[str, SourceLines] | None = None,
    headings: Mapping[str, frozenset[str]] | None = None,
) -> list[Diagnostic]:
    """The sign-off problems of one issue and its stories.

    With `required` (the issue is ready, published or being published), a sign-off that
    `required_approvals` asks for and that is missing, or an approval that no longer
    matches the text, is an error; without it (a draft) only dates are errors, and
    half-written or voided sign-offs are warned about. `state` words the issue's state in
    messages (default: from its status). `sources` are the files' lines by path (made from
    the site when not given), and `headings` each issue type's feedback headings.
    """
    kinds = site.settings.required_approvals if required else ()
    state = state or _STATE.get(issue.status, issue.status)
    stories = site.stories_of(issue)
    sources = sources if sources is not None else sources_by_path(site)
    problems: list[Diagnostic] = []
    # A sign-off field that could not be read is already an error: its stand-in says nothing.
    if issue.origin.read("approved_by", "approved_on"):
        problems += _issue_sign_off(issue, today, kinds, required=required, state=state)
    if issue.origin.read("approved_by", "approved_on", "approved_sha256") and not site.unsure_of(
        "feedback", "issue"
    ):
        problems += _recorded_approval_problems(site, issue, sources, required=required)
    if issue.origin.read("anonymisation_reviewed_by", "anonymisation_reviewed_on"):
        problems += _feedback_text_problems(
            site,
            issue,
            sources.get(issue.origin.path),
            today,
            kinds,
            required=required,
            state=state,
            headings=headings,
        )
    for story in stories:
        if not story.origin.read("anonymisation_reviewed_by", "anonymisation_reviewed_on"):
            continue
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


def _issue_sign_off(
    issue: Issue, today: dt.date, kinds: Sequence[str], *, required: bool, state: str
) -> list[Diagnostic]:
    """The issue's own `approved_by` and `approved_on`: present when needed, both or neither."""
    return _SignOff(
        issue.origin.path,
        issue.origin.line_of,
        anchor="status",
        fields=("approved_by", "approved_on"),
        example_by='"Head of Service"',
        why=f"issue {issue.number} is {state}, so required_approvals in {CONFIG_FILE} asks for its sign-off",
        fix=f"after reviewing the issue and its team stories, the practice lead runs `sofs approve "
        f"{issue.number}`, which writes who approved it, when, and the SHA-256 of what they approved "
        "(approved_by, approved_on and approved_sha256) into the front matter",
    ).problems(
        issue.approved_by, issue.approved_on, today, needed="issue_sign_off" in kinds, required=required
    )


@dataclass(frozen=True)
class _SignOff:
    """One `..._by` / `..._on` pair of front-matter fields and how to explain it."""

    path: str
    line_of: Callable[[str], int]
    anchor: str  # the field to point at when both are absent
    fields: tuple[str, str]
    example_by: str
    why: str
    fix: str | None = None  # what to do instead of writing the fields by hand

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
            fix = self.fix or f"add {lines[by_name]} and {lines[on_name]} to the front matter"
            found.append(
                error(self.path, self.line_of(self.anchor), "approval.missing", f"{self.why}; {fix}")
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
                f'"{present}" is here but "{absent}" is not: a sign-off needs both; '
                + (self.fix or f"add {lines[absent]} to the front matter"),
            )
        )
        return found


def _sign_off_order(issue: Issue, stories: Sequence[Story]) -> list[Diagnostic]:
    """A sign-off older than an anonymisation review, or long before the issue's date."""
    problems: list[Diagnostic] = []
    signed = issue.approved_on
    if signed is None:
        return problems
    reviews = [(story.origin.path, story.anonymisation_reviewed_on) for story in stories]
    reviews.append((f"the text in {issue.origin.path}'s feedback section", issue.anonymisation_reviewed_on))
    for what, reviewed in reviews:
        if reviewed is not None and reviewed > signed:
            problems.append(
                error(
                    issue.origin.path,
                    issue.origin.line_of("approved_on"),
                    "approval.order",
                    f'"approved_on" is {long_date(signed)}, before the anonymisation review of '
                    f"{what} ({long_date(reviewed)}); the sign-off must cover the reviewed text, so "
                    f"review the issue again and run `sofs approve {issue.number}`",
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


def _recorded_approval_problems(
    site: Site, issue: Issue, sources: Mapping[str, SourceLines], *, required: bool
) -> list[Diagnostic]:
    """An approval typed by hand, or one that no longer matches what it approved."""
    report = error if required else warning
    again = f"run `sofs approve {issue.number}` again after reviewing it"
    recorded = issue.approved_sha256
    if recorded is None:
        if issue.approved_by is None:
            return []
        return [
            report(
                issue.origin.path,
                issue.origin.line_of("approved_by"),
                "approval.unrecorded",
                f'"approved_by" was written by hand: an approval must be recorded with `sofs approve '
                f"{issue.number}`, which also writes approved_sha256, the SHA-256 of exactly what was "
                "approved, so that a later edit shows. After reviewing the issue and its team stories, "
                f"the practice lead runs `sofs approve {issue.number}`",
            )
        ]
    line = issue.origin.line_of("approved_sha256")
    if not is_digest(recorded):
        return [
            report(
                issue.origin.path,
                line,
                "approval.changed",
                f'"approved_sha256" should be the 64 characters `sofs approve` wrote, not {recorded[:70]!r}: '
                f"it was edited by hand, so nothing says what was approved; {again}",
            )
        ]
    now = approval_digest(
        site, issue, approved_by=issue.approved_by, approved_on=issue.approved_on, sources=sources
    )
    if now is None or now.sha256 == recorded:
        return []
    what = _what_changed(site, issue, recorded, now)
    when = "" if required else ", before the issue is marked ready"
    return [
        report(
            issue.origin.path,
            line,
            "approval.changed",
            f"{what} since issue {issue.number} was approved, so its approval (approved_sha256) no longer "
            f"covers what would go out: the practice lead reviews the change and runs `sofs approve "
            f"{issue.number}` again{when}",
        )
    ]


def _what_changed(site: Site, issue: Issue, recorded: str, now: ApprovalDigest) -> str:
    """Which files changed, in words: from the approval's record in the publication log when
    it is there, otherwise every file the approval covers."""
    log = publication_log(site.settings)
    record = approval_with(log, issue.number, recorded)
    if record is None:
        paths = ", ".join(path for path, _ in now.files)
        return (
            f"the issue, one of its team stories or its approved_by or approved_on line was edited "
            f"(the approval covers {paths}; its record, which says which, is not in "
            f"{shown_path(log, site.settings.root)} on this computer)"
        )
    changed, added, removed = now.changes_from(approved_files(record))
    parts = [f"{path} was edited" for path in changed]
    parts += [f"{path} was added to the issue" for path in added]
    parts += [
        f"{path} is no longer part of the issue (deleted, renamed or moved to another issue)"
        for path in removed
    ]
    return "; ".join(parts) or "approved_by or approved_on was edited by hand"


def feedback_section(
    site: Site, issue: Issue, headings: Mapping[str, frozenset[str]] | None = None
) -> Section | None:
    """The issue's section that its team stories are shown in (`filled_by: feedback`), if any;
    `headings` are `feedback_headings(site)`, made once for many issues."""
    accepted = (headings if headings is not None else feedback_headings(site)).get(issue.type, frozenset())
    return next((s for s in issue.sections if normalise_heading(s.title) in accepted), None)


def feedback_headings(site: Site) -> dict[str, frozenset[str]]:
    """Each issue type's accepted headings of its feedback section, folded for comparison."""
    return {
        name: frozenset(
            normalise_heading(heading)
            for required in kind.sections
            if required.filled_by == "feedback"
            for heading in required.headings
        )
        for name, kind in site.settings.issue_types.items()
    }


def _first_text_line(section: Section, source: SourceLines | None) -> int:
    """The file line of the first text under the section's heading (not a comment or blank)."""
    count = len(section.body.split("\n"))
    if source is not None:
        for number in range(section.line + 1, min(section.line + count, len(source.lines)) + 1):
            if source.scan.kinds[number - 1] is not LineKind.COMMENT and source.lines[number - 1].strip():
                return number
    return section.line


def _feedback_text_problems(
    site: Site,
    issue: Issue,
    source: SourceLines | None,
    today: dt.date,
    kinds: Sequence[str],
    *,
    required: bool,
    state: str,
    headings: Mapping[str, frozenset[str]] | None,
) -> list[Diagnostic]:
    """Text written into the feedback section needs an anonymisation review, as a story file does."""
    section = feedback_section(site, issue, headings)
    has_text = section is not None and not section.is_empty
    needed = has_text and "story_anonymisation" in kinds
    by, on = issue.anonymisation_reviewed_by, issue.anonymisation_reviewed_on
    sign_off = _SignOff(
        issue.origin.path,
        issue.origin.line_of,
        anchor="status",
        fields=("anonymisation_reviewed_by", "anonymisation_reviewed_on"),
        example_by='"Team manager, First Contact"',
        why="",
    )
    if not (needed and by is None and on is None):
        return sign_off.problems(by, on, today, needed=needed, required=required)
    assert section is not None
    team, name = _team_of(site, section)
    reviewed = f'`anonymisation_reviewed_by: "Team manager, {name}"` and `anonymisation_reviewed_on: {today.isoformat()}`'
    measures = ", ".join(str(m) for m in issue.measures) or "1"
    front_matter = (
        f'`title: "A short headline"`, `team: {team}`, `issue: {issue.number}`, '
        f"`date: {issue.date.isoformat()}`, `measures: [{measures}]`, {reviewed}"
    )
    return [
        error(
            issue.origin.path,
            _first_text_line(section, source),
            "approval.story-text",
            f'the section "{section.title}" has text of its own, which goes out beside the team stories; '
            f"issue {issue.number} is {state}, so required_approvals in {CONFIG_FILE} asks for the same "
            "anonymisation review as a story file, and this text has none. If it is a team's story, move it "
            f"into its own file, {_story_file(site, issue, team)}, that starts with this front matter (one "
            f"line each, between two `---` lines): {front_matter}; then delete it here, as the story is "
            "shown in this section by itself. If it only introduces the stories, have it reviewed too and "
            f"add {reviewed} to this issue's front matter",
        )
    ]


def _team_of(site: Site, section: Section) -> tuple[str, str]:
    """The team (slug, name) the section's text names, else the first team in the settings."""
    teams = site.settings.teams
    text = section.body.casefold()
    named = [slug for slug, name in teams.items() if name.casefold() in text or slug in text]
    slug = named[0] if named else next(iter(sorted(teams)), "your-team")
    return slug, teams.get(slug, "your team")


def _story_file(site: Site, issue: Issue, team: str) -> str:
    """A free file name for the story: content/feedback/NNN-team.md (or -2, -3 ...)."""
    folder = posixpath.join(posixpath.dirname(posixpath.dirname(issue.origin.path)), "feedback")
    taken = {story.origin.path for story in site.stories}
    stem = f"{issue.number:03d}-{team}"
    candidate, count = posixpath.join(folder, f"{stem}.md"), 1
    while candidate in taken:
        count += 1
        candidate = posixpath.join(folder, f"{stem}-{count}.md")
    return candidate
