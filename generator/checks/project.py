"""Checking a project: loading it into a run's `BuildContext` and finding every problem.

`check_project` is where a run begins: it reads the settings and content, makes the
context the rest of the run shares, and runs every check on it, those of each file and
those between files (unique numbers, references that resolve, required sections)."""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

from ..basics.diagnostics import Diagnostic, Report, Severity, error, warning
from ..cache.store import BuildCache
from ..content.header_text import header_problems
from ..content.loader import LoadMemo, load_site
from ..content.model import Issue, Site, Story
from ..content.visibility import Visibility, today_in
from ..generate.context import BuildContext
from ..settings.reader import CONFIG_FILE, load_settings
from .approvals import approval_problems
from .content_files import content_file_problems
from .email_size import size_problems
from .examples import example_problems
from .guide_upkeep import upkeep_problems
from .internal_links import link_problems
from .output_gate import settings_problems
from .per_file import file_problems
from .pictures import picture_problems
from .privacy import AllowList, file_name_problems
from .required_sections import required_section_problems
from .scaffold_leftovers import story_scaffold_problems


@dataclass(frozen=True)
class CheckResult:
    """The run's context (the site as far as it could be loaded) and every problem found."""

    context: BuildContext
    report: Report

    @property
    def site(self) -> Site:
        """The loaded site."""
        return self.context.site


def check_project(
    root: Path,
    *,
    use_cache: bool = True,
    include_drafts: bool = False,
    today: dt.date | None = None,
    load_memo: LoadMemo | None = None,
) -> CheckResult:
    """Load settings and content under `root`, make the run's context and check it; never
    raises for bad input.

    The context shows drafts and future issues with `include_drafts`; `today` fixes the
    day (otherwise the clock's, in the site's time zone). With `use_cache`, files unchanged
    since the last run are not checked again (their findings come from `.cache/sofs/`).
    A long-lived process passes `load_memo` so that unchanged files are not read again."""
    cache = BuildCache.for_project(root, enabled=use_cache)
    settings, problems = load_settings(root)
    site, load_problems = load_site(settings, load_memo)
    problems.extend(load_problems)
    visibility = Visibility(today_in(settings.zone, today), include_drafts=include_drafts)
    context = BuildContext(site, visibility, cache)
    problems.extend(check_site(context))
    return CheckResult(context, Report.of(problems))


def check_site(context: BuildContext) -> list[Diagnostic]:
    """Every problem of a loaded site: each file's own, and those between files."""
    site, cache, today = context.site, context.cache, context.visibility.today
    problems: list[Diagnostic] = []
    problems += _unique(site.issues, lambda i: i.number, "issue number", "issue.duplicate", "issue")
    problems += _unique(site.measures, lambda m: m.number, "measure number", "measure.duplicate", "measure")
    problems += _file_numbers(site.issues)
    problems += _date_order(site.issues)
    problems += _references(site)
    problems += required_section_problems(site)
    problems += story_scaffold_problems(site)
    problems += file_problems(site, cache)
    problems += header_problems(site)
    problems += link_problems(context)
    problems += content_file_problems(site.settings, context.content_files)
    problems += picture_problems(site, context.content_files)
    docs = site.settings.docs_dir.rstrip("/")
    allow = AllowList.of(site.settings.mailbox, site.settings.privacy_allow)
    problems += file_name_problems([f"{docs}/{name}" for name in context.content_files.copied], allow)
    problems += settings_problems(site.settings)
    failing = {d.path for d in problems if d.severity is Severity.ERROR}
    problems += size_problems(context, failing)  # rendering a file with errors could crash
    problems += approval_problems(site, today)
    problems += upkeep_problems(site, today)
    problems += example_problems(site)
    return problems


def _unique(items: Sequence, key, noun: str, code: str, field: str) -> list[Diagnostic]:  # type: ignore[no-untyped-def, type-arg]
    first_seen: dict[int, str] = {}
    problems = []
    for item in items:
        if not item.origin.read(field):
            continue  # its number is a stand-in; the file already has an error
        value = key(item)
        if value in first_seen:
            problems.append(
                error(
                    item.origin.path,
                    item.origin.line_of(field),
                    code,
                    f"{noun} {value} is also used by {first_seen[value]}; give each its own number",
                )
            )
        else:
            first_seen[value] = item.origin.path
    return problems


def _file_numbers(issues: Iterable[Issue]) -> list[Diagnostic]:
    problems = []
    for issue in issues:
        if not issue.origin.read("issue"):
            continue
        prefix = issue.slug.split("-", 1)[0]
        if not prefix.isdigit() or int(prefix) != issue.number:
            problems.append(
                warning(
                    issue.origin.path,
                    issue.origin.line_of("issue"),
                    "issue.file-name",
                    f"the file name should start with the issue number, like "
                    f'"{issue.number:03d}-{issue.slug.lstrip("0123456789-") or "title"}.md"',
                )
            )
    return problems


def _date_order(issues: Sequence[Issue]) -> list[Diagnostic]:
    """Issues are numbered in the order they come out: a later number with an earlier date
    is usually a typing mistake in one of the two."""
    problems = []
    ordered = sorted((i for i in issues if i.origin.read("issue", "date")), key=lambda i: i.number)
    for earlier, later in pairwise(ordered):
        if later.number != earlier.number and later.date < earlier.date:
            problems.append(
                warning(
                    later.origin.path,
                    later.origin.line_of("date"),
                    "issue.date-order",
                    f"issue {later.number} is dated {later.date.isoformat()}, before issue "
                    f"{earlier.number} ({earlier.date.isoformat()}); check both dates and numbers",
                )
            )
    return problems


def _unknown(kind: str, value: object, known: Iterable[object], fix: str) -> str:
    names = [str(k) for k in known]
    close = difflib.get_close_matches(str(value), names, n=1)
    hint = f'did you mean "{close[0]}"? ' if close else ""
    listing = ", ".join(names) if names else "none yet"
    return f'unknown {kind} "{value}"; {hint}{fix} (known: {listing})'


def _references(site: Site) -> list[Diagnostic]:
    """References to measures, tools, principles, issue types, teams and issues that do not
    exist. One to a number or name that a file with an error may hold (its number could not
    be read, or the file not loaded) is not reported: it is most likely that file's mistake."""
    measures = {m.number for m in site.measures}
    principles = {p.slug for p in site.principles}
    tools = {t.slug for t in site.tools}
    issues = {i.number for i in site.issues}
    teams = site.settings.teams
    problems: list[Diagnostic] = []
    items: list[Issue | Story] = [*site.issues, *site.stories]
    for item in items:
        origin = item.origin
        for number in item.measures:
            if number not in measures and not site.unsure_of("measures", "measure"):
                problems.append(
                    error(
                        origin.path,
                        origin.line_of("measures"),
                        "ref.measure",
                        _unknown(
                            "measure", number, sorted(measures), "each measure needs a file in measures/"
                        ),
                    )
                )
        for slug in item.tools:
            if slug not in tools and not site.unsure_of("tools", "name"):
                problems.append(
                    error(
                        origin.path,
                        origin.line_of("tools"),
                        "ref.tool",
                        _unknown("tool", slug, sorted(tools), "each tool needs a file in tools/"),
                    )
                )
    for issue in site.issues:
        for slug in issue.principles:
            if slug not in principles and not site.unsure_of("principles", "title"):
                problems.append(
                    error(
                        issue.origin.path,
                        issue.origin.line_of("principles"),
                        "ref.principle",
                        _unknown(
                            "principle",
                            slug,
                            sorted(principles),
                            "each principle needs a file in principles/",
                        ),
                    )
                )
        if issue.type not in site.settings.issue_types:
            problems.append(
                error(
                    issue.origin.path,
                    issue.origin.line_of("type"),
                    "ref.issue-type",
                    _unknown(
                        "issue type",
                        issue.type,
                        sorted(site.settings.issue_types),
                        f"issue types are set under issue_types in {CONFIG_FILE}",
                    ),
                )
            )
    for measure in site.measures:
        for slug in measure.tools:
            if slug not in tools and not site.unsure_of("tools", "name"):
                problems.append(
                    error(
                        measure.origin.path,
                        measure.origin.line_of("tools"),
                        "ref.tool",
                        _unknown("tool", slug, sorted(tools), "each tool needs a file in tools/"),
                    )
                )
    for story in site.stories:
        if story.team not in teams and story.origin.read("team"):
            problems.append(
                error(
                    story.origin.path,
                    story.origin.line_of("team"),
                    "ref.team",
                    _unknown(
                        "team", story.team, sorted(teams), f"teams are listed under teams in {CONFIG_FILE}"
                    ),
                )
            )
        if story.issue not in issues and story.origin.read("issue") and not site.unsure_of("issues", "issue"):
            problems.append(
                error(
                    story.origin.path,
                    story.origin.line_of("issue"),
                    "ref.issue",
                    _unknown(
                        "issue", story.issue, sorted(issues), "a story must name the issue it appears in"
                    ),
                )
            )
    return problems
