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

from ..basics.diagnostics import Diagnostic, error
from ..content.markdown_text import normalise_heading
from ..content.model import Issue, Site, Story
from ..content.relations import relate
from ..content.visibility import Visibility
from .counting import count_what_counts
from .urls import relative_path, relative_url

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


def tag_anchor(tag: str) -> str:
    """The anchor of a tag's section on the tags page."""
    return "tag-" + (re.sub(r"[^a-z0-9]+", "-", tag.casefold()).strip("-") or "x")


def demote_headings(markdown: str, levels: int) -> str:
    """Push every heading down `levels` (to at most h6), so inserted text nests."""
    return _HEADING.sub(lambda m: "#" * min(6, len(m.group(1)) + levels), markdown)


class PageGenerator:
    """Renders every page of a site for one visibility rule."""

    def __init__(self, site: Site, visibility: Visibility) -> None:
        self.site = site
        self.visibility = visibility
        self.relations = relate(site, visibility)
        self.issues = self.relations.issues
        self.stories = self.relations.stories
        self.matcher = site.tool_matcher
        self.tool_pages = {t.slug: t.page_path for t in site.tools}
        folder = site.settings.templates_root / "pages"
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(str(folder)),
            undefined=jinja2.StrictUndefined,
            keep_trailing_newline=True,
            trim_blocks=True,
            lstrip_blocks=True,
            autoescape=False,
        )
        self.env.filters.update(long_date=long_date, md=md_text, html=html.escape, tag_anchor=tag_anchor)
        self.template_folder = f"{site.settings.templates_dir}/pages"
        self._bodies: dict[str, str] = {}

    def generate(self) -> GeneratedDocs:
        pages: dict[str, str] = {}
        context = self._shared_context()
        relations = self.relations

        def add(path: str, template: str, **values: Any) -> None:
            pages[path] = self._render(template, path, context, **values) + self._abbreviations

        for page in self.site.pages:
            add(page.page_path, "home.md.j2" if page.slug == "home" else "page.md.j2", page=page)
        if "index.md" not in pages:
            add("index.md", "home.md.j2", page=None)
        add("issues/index.md", "archive.md.j2", years=self._years())
        for position, issue in enumerate(self.issues):
            add(
                issue.page_path,
                "issue.md.j2",
                issue=issue,
                body=self.issue_body(issue),
                newer=self.issues[position - 1] if position > 0 else None,
                older=self.issues[position + 1] if position + 1 < len(self.issues) else None,
                issue_stories=relations.stories_by_issue.get(issue.number, []),
            )
        add("guide/index.md", "guide.md.j2")
        add("measures/index.md", "measures.md.j2")
        for measure in self.site.measures:
            add(
                measure.page_path,
                "measure.md.j2",
                measure=measure,
                evidence_issues=relations.issues_by_measure.get(measure.number, []),
                evidence_stories=relations.stories_by_measure.get(measure.number, []),
            )
        add("counting/index.md", "counting.md.j2", counting=count_what_counts(self.site, relations))
        for folder, template, entries in (
            ("principles", "principles.md.j2", self.site.principles),
            ("processes", "processes.md.j2", self.site.processes),
            ("variants", "variants.md.j2", self.site.variants),
        ):
            add(f"{folder}/index.md", template)
            for entry in entries:
                add(
                    entry.page_path,
                    "principle.md.j2",
                    principle=entry,
                    citing_issues=relations.issues_by_principle.get(entry.slug, []),
                )
        add("tools/index.md", "tools.md.j2", letters=self._letters())
        for tool in self.site.tools:
            add(
                tool.page_path,
                "tool.md.j2",
                tool=tool,
                naming_issues=relations.issues_by_tool.get(tool.slug, []),
                naming_stories=relations.stories_by_tool.get(tool.slug, []),
            )
        add("feedback/index.md", "stories.md.j2", teams=self._teams())
        if self.site.acronyms:
            add("glossary.md", "glossary.md.j2")
        add("tags.md", "tags.md.j2", tags=self._tags())
        return GeneratedDocs(pages, self._nav())

    @property
    def _abbreviations(self) -> str:
        """Abbreviation definitions, so every page explains acronyms on hover and focus."""
        if not self.site.acronyms:
            return ""
        lines = (f"*[{short}]: {meaning}" for short, meaning in self.site.acronyms.items())
        return "\n\n" + "\n".join(lines) + "\n"

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
            "processes": site.processes,
            "variants": site.variants,
            "acronyms": site.acronyms,
            "tools": site.tools,
            "tools_by_slug": {t.slug: t for t in site.tools},
            "issues_by_number": {i.number: i for i in self.issues},
            "team_names": site.settings.teams,
            "include_drafts": self.visibility.include_drafts,
            "today": self.visibility.today,
        }

    def _render(self, template_name: str, page_path: str, context: dict[str, Any], **values: Any) -> str:
        def link(target: str) -> str:
            return relative_path(target, posixpath.dirname(page_path) or ".")

        def href(target: str) -> str:
            return relative_url(target, page_path, self.site.settings.use_directory_urls)

        try:
            template = self.env.get_template(template_name)
            return template.render(**context, **values, link=link, href=href, page_path=page_path)
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

    def _linked(self, markdown: str, page_path: str) -> str:
        """`markdown` with the first mention of each tool linked to its guide page."""
        folder = posixpath.dirname(page_path) or "."
        text, _ = self.matcher.link_first_mentions(
            markdown, lambda slug: relative_path(self.tool_pages[slug], folder)
        )
        return text

    def issue_body(self, issue: Issue) -> str:
        """The issue's Markdown as its page shows it: team stories placed in the feedback
        section, and the first mention of each tool linked. Links are relative to the
        issue's page. Made once per issue: the page, the feeds and the email all use it."""
        key = issue.origin.path
        if key not in self._bodies:
            self._bodies[key] = self._issue_body(issue)
        return self._bodies[key]

    def _issue_body(self, issue: Issue) -> str:
        stories = self.relations.stories_by_issue.get(issue.number, [])
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
                body=demote_headings(s.body.strip(), 2),
            )
            for s in stories
        )
        lines = issue.body.split("\n")
        target = next((s for s in issue.sections if normalise_heading(s.title) in feedback_titles), None)
        if not inserts:
            body = issue.body.strip()
        elif target is None:
            body = issue.body.strip() + "\n\n## Feedback from teams\n\n" + inserts
        else:
            start = target.line - issue.origin.body_first_line
            end = start + 1 + len(target.body.split("\n"))
            body = "\n".join([*lines[:end], "", inserts.rstrip("\n"), "", *lines[end:]]).strip()
        return self._linked(body, issue.page_path)

    def _years(self) -> list[tuple[int, list[Issue]]]:
        years: dict[int, list[Issue]] = defaultdict(list)
        for issue in self.issues:
            years[issue.date.year].append(issue)
        return sorted(years.items(), reverse=True)

    def _tags(self) -> list[tuple[str, list[Issue]]]:
        tags: dict[str, list[Issue]] = defaultdict(list)
        names: dict[str, str] = {}
        for issue in self.issues:
            for tag in issue.tags:
                key = tag.casefold()
                names.setdefault(key, tag)
                tags[key].append(issue)
        return [(names[key], tags[key]) for key in sorted(tags)]

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

    def _nav(self) -> list[NavItem]:
        """A navigation whose size does not grow with the number of issues."""
        titles = {p.slug: p.title for p in self.site.pages}
        guide: list[NavItem] = [
            "guide/index.md",
            {"Meaningful measures": "measures/index.md"},
            {"Counting what counts": "counting/index.md"},
            {"Principles": "principles/index.md"},
        ]
        if self.site.processes:
            guide.append({"Ongoing processes": "processes/index.md"})
        if self.site.variants:
            guide.append({"Signs of Something": "variants/index.md"})
        guide += [{"Tools A to Z": "tools/index.md"}, {"Team stories": "feedback/index.md"}]
        if self.site.acronyms:
            guide.append({"Acronyms": "glossary.md"})
        guide.append({"Tags": "tags.md"})
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
    return _generator_for(site, visibility).generate()


_LAST_GENERATOR: list[PageGenerator] = []


def _generator_for(site: Site, visibility: Visibility) -> PageGenerator:
    """The generator (and its indexes) for the last site and visibility asked for, so that
    the pages, the feeds and the emails of one build share it and stay linear."""
    cached = _LAST_GENERATOR[0] if _LAST_GENERATOR else None
    if cached is None or cached.site is not site or cached.visibility != visibility:
        cached = PageGenerator(site, visibility)
        _LAST_GENERATOR[:] = [cached]
    return cached


def issue_markdown(site: Site, visibility: Visibility, issue: Issue) -> str:
    """An issue's Markdown as its page shows it: the body with its team stories placed in
    the feedback section and tools linked. Links in it are relative to `issue.page_path`."""
    return _generator_for(site, visibility).issue_body(issue)
