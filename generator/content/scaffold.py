"""`sofs new issue`: the next issue's file, with every required section to fill in."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

from ..basics.fields import FieldProblem, Text
from ..basics.wording import slug
from .header_text import unsafe_part
from .model import Site

_GUIDANCE = {
    "feedback": "Leave this section empty: each team story is its own file in content/feedback/ "
    "with `issue: {number}` in its front matter, and appears here by itself. Story text written "
    "here needs its own anonymisation review.",
}
_DEFAULT_GUIDANCE = "Write this section here, then delete this note. Keep it plain and clear."


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
        'summary: "One or two sentences about this issue, for the archive, the feed and email."',
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
        note = _GUIDANCE.get(section.filled_by or "", _DEFAULT_GUIDANCE).format(number=number)
        lines += [f"## {section.title}", "", f"<!-- {note} -->", ""]
    path = site.settings.content_root / "issues" / f"{number:03d}-{slugify(title)}.md"
    return Scaffold(path, "\n".join(lines))
