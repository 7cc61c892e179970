"""An issue's body as readers get it, made once per issue and shared by its page, its
feed entry and its email: the issue's Markdown with its shown team stories placed in the
feedback section and the first mention of each practice tool linked to its guide page."""

from __future__ import annotations

import posixpath
import re

import jinja2

from ..content.markdown_text import normalise_heading
from ..content.model import Issue, Site
from ..content.relations import Relations
from .urls import relative_path

STORY_TEMPLATE = "story_in_issue.md.j2"
#: Where stories go when the issue's type names no feedback section.
FALLBACK_HEADING = "## Feedback from teams"
_HEADING = re.compile(r"^(#{1,6})(?=\s)", re.MULTILINE)


def demote_headings(markdown: str, levels: int) -> str:
    """Push every heading down `levels` (to at most h6), so inserted text nests."""
    return _HEADING.sub(lambda m: "#" * min(6, len(m.group(1)) + levels), markdown)


class IssueBodies:
    """Issue bodies under one visibility rule (which stories show), each made once.

    Links in a body are relative to the issue's own page (`issue.page_path`)."""

    def __init__(self, site: Site, relations: Relations, page_templates: jinja2.Environment) -> None:
        self.site = site
        self.relations = relations
        self.page_templates = page_templates
        self.matcher = site.tool_matcher
        self.tool_pages = {t.slug: t.page_path for t in site.tools}
        self._made: dict[str, str] = {}

    def of(self, issue: Issue) -> str:
        """The issue's Markdown as its page shows it."""
        key = issue.origin.path
        if key not in self._made:
            self._made[key] = self._make(issue)
        return self._made[key]

    def _make(self, issue: Issue) -> str:
        stories = self.relations.stories_by_issue.get(issue.number, [])
        issue_type = self.site.settings.issue_types.get(issue.type)
        feedback_titles = {
            normalise_heading(h)
            for section in (issue_type.sections if issue_type else ())
            if section.filled_by == "feedback"
            for h in section.headings
        }
        template = self.page_templates.get_template(STORY_TEMPLATE)
        inserts = "".join(
            template.render(
                story=s,
                team_names=self.site.settings.teams,
                body=demote_headings(s.body.strip(), 2),
            )
            for s in stories
        )
        lines = issue.body.split("\n")
        target = next((s for s in issue.sections if normalise_heading(s.title) in feedback_titles), None)
        if not inserts:
            body = issue.body.strip()
        elif target is None:
            body = issue.body.strip() + f"\n\n{FALLBACK_HEADING}\n\n" + inserts
        else:
            start = target.line - issue.origin.body_first_line
            end = start + 1 + len(target.body.split("\n"))
            body = "\n".join([*lines[:end], "", inserts.rstrip("\n"), "", *lines[end:]]).strip()
        return self._linked(body, issue.page_path)

    def _linked(self, markdown: str, page_path: str) -> str:
        """`markdown` with the first mention of each tool linked to its guide page."""
        folder = posixpath.dirname(page_path) or "."
        text, _ = self.matcher.link_first_mentions(
            markdown, lambda slug: relative_path(self.tool_pages[slug], folder)
        )
        return text
