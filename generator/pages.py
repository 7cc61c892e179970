"""Generating the site's Markdown pages from a `Site`, through Jinja templates.

The result is a mapping of page path (relative to the docs root) to Markdown text, plus
a bounded navigation: whatever renders it (the MkDocs plugin, or a docs tree on disk)
gets the same pages.
"""

from __future__ import annotations

import datetime as dt
import html
import posixpath
import re
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import jinja2

from .diagnostics import Diagnostic, error
from .markdown_text import normalise_heading
from .model import Issue, Site, Story
from .visibility import Visibility

NavItem = str | dict[str, Any]
FIXED_PAGES = ("about", "subscribe", "accessibility")
_HEADING = re.compile(r"^(#{1,6})(?=\s)", re.MULTILINE)


@dataclass(frozen=True)
class GeneratedDocs:
    """The pages to render (path -> Markdown) and the navigation that links them."""

    pages: Mapping[str, str]
    nav: list[NavItem]


class TemplateProblem(Exception):
    """A page template that cannot be read or rendered."""

    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(str(diagnostic))
        self.diagnostic = diagnostic


def long_date(value: dt.date) -> str:
    """A date as people in the UK write it: 1 September 2025."""
    return f"{value.day} {value:%B %Y}"


def md_text(value: object) -> str:
    """Text safe to place in Markdown: no HTML, no accidental link brackets."""
    escaped = html.escape(str(value), quote=False)
    return escaped.replace("[", "\\[").replace("]", "\\]").replace("*", "\\*").replace("_", "\\_")


def demote_headings(markdown: str, levels: int) -> str:
    """Push every heading down `levels` (to at most h6), so inserted text nests."""
    return _HEADING.sub(lambda m: "#" * min(6, len(m.group(1)) + levels), markdown)


class PageGenerator:
    """Renders every page of a site for one visibility rule."""

    def __init__(self, site: Site, visibility: Visibility) -> None:
        self.site = site
        self.visibility = visibility
        self.issues = visibility.issues(site)
        self.stories = visibility.stories(site)
        folder = site.settings.templates_root / "pages"
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(str(folder)),
            undefined=jinja2.StrictUndefined,
            keep_trailing_newline=True,
            trim_blocks=True,
            lstrip_blocks=True,
            autoescape=False,
        )
        self.env.filters.update(long_date=long_date, md=md_text)
        self.template_folder = f"{site.settings.templates_dir}/pages"

    def generate(self) -> GeneratedDocs:
        pages: dict[str, str] = {}
        context = self._shared_context()
        for page in self.site.pages:
            template = "home.md.j2" if page.slug == "home" else "page.md.j2"
            pages[page.page_path] = self._render(template, page.page_path, context, page=page)
        if "index.md" not in pages:
            pages["index.md"] = self._render("home.md.j2", "index.md", context, page=None)
        pages["issues/index.md"] = self._render(
            "archive.md.j2", "issues/index.md", context, years=self._years()
        )
        for position, issue in enumerate(self.issues):
            newer = self.issues[position - 1] if position > 0 else None
            older = self.issues[position + 1] if position + 1 < len(self.issues) else None
            pages[issue.page_path] = self._render(
                "issue.md.j2",
                issue.page_path,
                context,
                issue=issue,
                body=self._issue_body(issue),
                newer=newer,
                older=older,
                issue_stories=[s for s in self.stories if s.issue == issue.number],
            )
        pages["guide/index.md"] = self._render("guide.md.j2", "guide/index.md", context)
        pages["measures/index.md"] = self._render("measures.md.j2", "measures/index.md", context)
        for measure in self.site.measures:
            pages[measure.page_path] = self._render(
                "measure.md.j2",
                measure.page_path,
                context,
                measure=measure,
                evidence_issues=[i for i in self.issues if measure.number in i.measures],
                evidence_stories=[s for s in self.stories if measure.number in s.measures],
            )
        pages["principles/index.md"] = self._render("principles.md.j2", "principles/index.md", context)
        for principle in self.site.principles:
            pages[principle.page_path] = self._render(
                "principle.md.j2",
                principle.page_path,
                context,
                principle=principle,
                citing_issues=[i for i in self.issues if principle.slug in i.principles],
            )
        pages["tools/index.md"] = self._render(
            "tools.md.j2", "tools/index.md", context, letters=self._letters()
        )
        for tool in self.site.tools:
            pages[tool.page_path] = self._render(
                "tool.md.j2",
                tool.page_path,
                context,
                tool=tool,
                naming_issues=[i for i in self.issues if tool.slug in i.tools],
                naming_stories=[s for s in self.stories if tool.slug in s.tools],
            )
        pages["feedback/index.md"] = self._render(
            "stories.md.j2", "feedback/index.md", context, teams=self._teams()
        )
        for story in self.stories:
            pages[story.page_path] = self._render("story.md.j2", story.page_path, context, story=story)
        return GeneratedDocs(pages, self._nav(pages))

    def _shared_context(self) -> dict[str, Any]:
        site = self.site
        return {
            "settings": site.settings,
            "issues": self.issues,
            "stories": self.stories,
            "measures": site.measures,
            "measures_by_number": {m.number: m for m in site.measures},
            "principles": site.principles,
            "principles_by_slug": {p.slug: p for p in site.principles},
            "tools": site.tools,
            "tools_by_slug": {t.slug: t for t in site.tools},
            "issues_by_number": {i.number: i for i in self.issues},
            "team_names": site.settings.teams,
            "include_drafts": self.visibility.include_drafts,
            "today": self.visibility.today,
        }

    def _render(self, template_name: str, page_path: str, context: dict[str, Any], **values: Any) -> str:
        def link(target: str) -> str:
            return posixpath.relpath(target, posixpath.dirname(page_path) or ".")

        try:
            template = self.env.get_template(template_name)
            return template.render(**context, **values, link=link, page_path=page_path)
        except jinja2.TemplateSyntaxError as exc:
            raise TemplateProblem(
                error(
                    f"{self.template_folder}/{template_name}",
                    exc.lineno or 0,
                    "template.syntax",
                    f"the page template cannot be read: {exc.message}",
                )
            ) from None
        except jinja2.TemplateNotFound as exc:
            raise TemplateProblem(
                error(
                    f"{self.template_folder}/{exc.name}",
                    0,
                    "template.missing",
                    "the page template is missing; restore it from the project's templates",
                )
            ) from None
        except jinja2.TemplateError as exc:
            raise TemplateProblem(
                error(
                    f"{self.template_folder}/{template_name}",
                    _template_line(exc, template_name),
                    "template.render",
                    f"the page template failed: {exc}",
                )
            ) from None

    def _issue_body(self, issue: Issue) -> str:
        """The issue's Markdown with its team stories placed in the feedback section."""
        stories = [s for s in self.stories if s.issue == issue.number]
        issue_type = self.site.settings.issue_types.get(issue.type)
        feedback_titles = {
            normalise_heading(h)
            for section in (issue_type.sections if issue_type else ())
            if section.filled_by == "feedback"
            for h in section.headings
        }
        template = self.env.get_template("story_in_issue.md.j2")
        inserts = "".join(
            template.render(
                story=s,
                team_names=self.site.settings.teams,
                story_link=posixpath.relpath(s.page_path, "issues"),
                body=demote_headings(s.body.strip(), 2),
            )
            for s in stories
        )
        lines = issue.body.split("\n")
        target = next((s for s in issue.sections if normalise_heading(s.title) in feedback_titles), None)
        if target is None or not inserts:
            return issue.body.strip() + (
                "\n\n## Feedback from teams\n\n" + inserts if inserts and target is None else ""
            )
        start = target.line - issue.origin.body_first_line
        end = start + 1 + len(target.body.split("\n"))
        return "\n".join([*lines[:end], "", inserts.rstrip("\n"), "", *lines[end:]]).strip()

    def _years(self) -> list[tuple[int, list[Issue]]]:
        years: dict[int, list[Issue]] = defaultdict(list)
        for issue in self.issues:
            years[issue.date.year].append(issue)
        return sorted(years.items(), reverse=True)

    def _letters(self) -> list[tuple[str, list[Any]]]:
        letters: dict[str, list[Any]] = defaultdict(list)
        for tool in self.site.tools:
            initial = tool.name[:1].upper()
            letters[initial if initial.isalpha() else "#"].append(tool)
        return sorted(letters.items())

    def _teams(self) -> list[tuple[str, list[Story]]]:
        teams: dict[str, list[Story]] = defaultdict(list)
        for story in self.stories:
            teams[story.team].append(story)
        names = self.site.settings.teams
        return sorted(((names.get(t, t), s) for t, s in teams.items()), key=lambda pair: pair[0])

    def _nav(self, pages: Mapping[str, str]) -> list[NavItem]:
        """A navigation whose size does not grow with the number of issues."""
        titles = {p.slug: p.title for p in self.site.pages}
        guide: list[NavItem] = [
            "guide/index.md",
            {"Meaningful measures": "measures/index.md"},
            {"Principles": "principles/index.md"},
            {"Tools A to Z": "tools/index.md"},
            {"Team stories": "feedback/index.md"},
        ]
        nav: list[NavItem] = [
            {"Home": "index.md"},
            {"Newsletter archive": "issues/index.md"},
            {"Practice guide": guide},
        ]
        extra = sorted(slug for slug in titles if slug != "home" and slug not in FIXED_PAGES)
        for slug in (*[s for s in FIXED_PAGES if s in titles], *extra):
            nav.append({titles[slug]: f"{slug}.md"})
        return nav


def _template_line(exc: Exception, template_name: str) -> int:
    traceback = exc.__traceback__
    line = 0
    while traceback is not None:
        if traceback.tb_frame.f_code.co_filename.endswith(template_name):
            line = traceback.tb_lineno
        traceback = traceback.tb_next
    return line


def generate_docs(site: Site, visibility: Visibility) -> GeneratedDocs:
    """Every page of the site, as Markdown, with its navigation."""
    return PageGenerator(site, visibility).generate()


def issue_markdown(site: Site, visibility: Visibility, issue: Issue) -> str:
    """An issue's Markdown as its page shows it: the body with its team stories placed in
    the feedback section. Links in it are relative to `issue.page_path`."""
    return PageGenerator(site, visibility)._issue_body(issue)
