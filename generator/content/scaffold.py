"""`sofs new issue` and `sofs new story`: a new file with every part to fill in.

The notes and placeholders written into a new file are kept here, once: `sofs check`
looks for the same texts (`checks/scaffold_leftovers.py`) and reports any left in an
issue or story that is ready or published."""

from __future__ import annotations

import datetime as dt
import difflib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from ..basics.fields import FieldProblem, Text
from ..basics.wording import slug
from .header_text import unsafe_part
from .model import Site

#: The note under each required section of a new issue.
SECTION_NOTE = "Write this section here, then delete this note. Keep it plain and clear."
#: The note under the section that team stories fill (`{number}`: the issue's number).
FEEDBACK_NOTE = (
    "Leave this section empty: each team story is its own file in content/feedback/ "
    "with `issue: {number}` in its front matter, and appears here by itself. Story text written "
    "here needs its own anonymisation review."
)
#: The note in the body of a new team story.
STORY_NOTE = (
    "Write the team's story here in plain words, then delete this note. Use roles (the child, "
    "Mum, the social worker), never names, ages, schools or addresses. Before the issue is ready, "
    "someone other than the writer checks it for anything that could identify a family and fills "
    "in anonymisation_reviewed_by and anonymisation_reviewed_on."
)
#: Every note a new file carries, for the check that finds them left behind.
SCAFFOLD_NOTES = (SECTION_NOTE, FEEDBACK_NOTE, STORY_NOTE)
#: The summary a new issue starts with.
SUMMARY_PLACEHOLDER = "One or two sentences about this issue, for the archive, the feed and email."
_GUIDANCE = {"feedback": FEEDBACK_NOTE}


@dataclass(frozen=True)
class Scaffold:
    path: Path
    text: str


def title_problem(title: str) -> str | None:
    """Why `title` cannot be a new issue's title, in words, or None when it can: the same
    rule as the `title:` field (one line of text), fit for an email subject, and free of
    invisible control characters that would make the front matter unreadable."""
    if not title.strip():
        return "the title is empty"
    try:
        text = Text("title").convert(title)
    except FieldProblem as problem:
        return f"the title {problem}"
    found = unsafe_part(text)
    if found:
        return f"the title contains {found}, which cannot be used in an email subject"
    hidden = next((ch for ch in text if not ch.isprintable() and ch != " "), None)
    if hidden is not None:
        return f"the title contains the invisible character U+{ord(hidden):04X}; retype it"
    return None


def slugify(title: str) -> str:
    """The file-name part of a new issue made from its title."""
    return slug(title, fallback="new-issue", limit=60)


def new_issue(site: Site, *, title: str, issue_type: str, date: dt.date) -> Scaffold:
    """The text of a draft issue numbered one after the highest, with guidance notes."""
    number = max((i.number for i in site.issues), default=0) + 1
    sections = site.settings.issue_types[issue_type].sections
    lines = [
        "---",
        f"issue: {number}",
        f"title: {json.dumps(title, ensure_ascii=False)}",
        f"date: {date.isoformat()}",
        f"summary: {json.dumps(SUMMARY_PLACEHOLDER, ensure_ascii=False)}",
        "status: draft",
        f"type: {issue_type}",
        "measures: []",
        "principles: []",
        "tools: []",
        "tags: []",
        "---",
        "",
    ]
    for section in sections:
        note = _GUIDANCE.get(section.filled_by or "", SECTION_NOTE).format(number=number)
        lines += [f"## {section.title}", "", f"<!-- {note} -->", ""]
    path = site.settings.content_root / "issues" / f"{number:03d}-{slugify(title)}.md"
    return Scaffold(path, "\n".join(lines))


def new_story(site: Site, *, title: str, team: str, issue: int, date: dt.date) -> Scaffold:
    """The text of a team story for issue `issue`, its review fields left to fill in."""
    lines = [
        "---",
        f"title: {json.dumps(title, ensure_ascii=False)}",
        f"team: {team}",
        f"issue: {issue}",
        f"date: {date.isoformat()}",
        "# The meaningful measures and practice tools the story shows, like [1, 2] and [mapping].",
        "measures: []",
        "tools: []",
        "# Filled in by the person (not the writer) who checked the story for anything that",
        "# could identify a family: their role, and the date, like 2026-02-02.",
        "anonymisation_reviewed_by:",
        "anonymisation_reviewed_on:",
        "---",
        "",
        f"<!-- {STORY_NOTE} -->",
        "",
    ]
    path = site.settings.content_root / "feedback" / f"{slug(title, fallback='team-story', limit=60)}.md"
    return Scaffold(path, "\n".join(lines))


def resolve_team(given: str, teams: Mapping[str, str]) -> tuple[str | None, str | None]:
    """The short name of team `given` (its short name or its name as shown, in any case)
    and None, or None and why it is not a team, with the nearest one."""
    wanted = " ".join(given.split()).casefold()
    for short, shown in teams.items():
        if wanted in (short.casefold(), " ".join(shown.split()).casefold()):
            return short, None
    if not teams:
        return None, "no teams are listed under teams in mkdocs.yml; add the team there first"
    names = sorted(teams)
    close = difflib.get_close_matches(wanted.replace(" ", "-"), names, n=1, cutoff=0.6)
    hint = f'did you mean "{close[0]}"? ' if close else ""
    return None, f'"{given}" is not a team listed in mkdocs.yml; {hint}choose one of: {", ".join(names)}'
