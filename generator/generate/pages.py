"""Generating the site's Markdown pages from a run's `BuildContext`, through Jinja templates.

The result is a mapping of page path (relative to the docs root) to Markdown text, plus
a bounded navigation: whatever renders it (the MkDocs plugin, or a docs tree on disk)
gets the same pages.
"""

from __future__ import annotations

import functools
import posixpath
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..content.model import Issue, Story
from .context import BuildContext
from .counting import count_what_counts
from .page_memo import PageInputs, PageMemo
from .templates import render_page_template
from .urls import relative_path, relative_url

NavItem = str | dict[str, Any]
FIXED_PAGES = ("about", "subscribe", "accessibility")


@dataclass(frozen=True)
class GeneratedDocs:
    """The pages to render (path -> Markdown) and the navigation that links them."""

    pages: Mapping[str, str]
    nav: list[NavItem]


@dataclass(frozen=True)
class Later:
    """A template value worked out only if the page is rendered (not taken from a memo)."""

    make: Callable[[], Any]


class PageGenerator:
    """Renders every page of a site for one visibility rule; with a `PageMemo`, only the
    pages whose content files changed since the memo's run are rendered again."""

    def __init__(self, context: BuildContext, memo: PageMemo | None = None) -> None:
        self.context = context
        self.memo = memo
        self.site = context.site
        self.visibility = context.visibility
        self.relations = context.relations
        self.issues = self.relations.issues
        self.stories = self.relations.stories

    def generate(self) -> GeneratedDocs:
        pages: dict[str, str] = {}
        shared = self._shared_values()
        relations = self.relations
        memo = self.memo
        inputs = PageInputs(self.context) if memo is not None else None
        if memo is not None:
            memo.start()

        def add(
            path: str,
            template: str,
            made_from: Sequence[str] | None = None,
            listed: Sequence[str] = (),
            **values: Any,
        ) -> None:
            key = inputs.key(template, path, made_from, listed) if inputs is not None else ""
            known = memo.lookup(path, key) if memo is not None else None
            if known is not None:
                pages[path] = known
                return
            values = {name: v.make() if isinstance(v, Later) else v for name, v in values.items()}
            pages[path] = self._render(template, path, shared, **values) + self._abbreviations
            if memo is not None:
                memo.remember(path, key, pages[path])

        def paths(items: Sequence[Any]) -> list[str]:
            return [item.origin.path for item in items]

        for page in self.site.pages:
            add(page.page_path, "home.md.j2" if page.slug == "home" else "page.md.j2", page=page)
        if "index.md" not in pages:
            add("index.md", "home.md.j2", page=None)
        add("issues/index.md", "archive.md.j2", years=self._years())
        for position, issue in enumerate(self.issues):
            newer = self.issues[position - 1] if position > 0 else None
            older = self.issues[position + 1] if position + 1 < len(self.issues) else None
            issue_stories = relations.stories_by_issue.get(issue.number, [])
            add(
                issue.page_path,
                "issue.md.j2",
                [issue.origin.path, "stories", *paths(issue_stories)],
                ["newer", *paths([newer] if newer else []), "older", *paths([older] if older else [])],
                issue=issue,
                body=Later(functools.partial(self.context.issue_bodies.of, issue)),
                newer=newer,
                older=older,
                issue_stories=issue_stories,
            )
        add("guide/index.md", "guide.md.j2")
        add("measures/index.md", "measures.md.j2")
        for measure in self.site.measures:
            evidence_issues = relations.issues_by_measure.get(measure.number, [])
            evidence_stories = relations.stories_by_measure.get(measure.number, [])
            add(
                measure.page_path,
                "measure.md.j2",
                [measure.origin.path, "stories", *paths(evidence_stories)],
                paths(evidence_issues),
                measure=measure,
                evidence_issues=evidence_issues,
                evidence_stories=evidence_stories,
            )
        add(
            "counting/index.md",
            "counting.md.j2",
            counting=Later(lambda: count_what_counts(self.site, relations)),
        )
        for folder, template, entries in (
            ("principles", "principles.md.j2", self.site.principles),
            ("processes", "processes.md.j2", self.site.processes),
            ("variants", "variants.md.j2", self.site.variants),
        ):
            add(f"{folder}/index.md", template)
            for entry in entries:
                citing_issues = relations.issues_by_principle.get(entry.slug, [])
                add(
                    entry.page_path,
                    "principle.md.j2",
                    [entry.origin.path],
                    paths(citing_issues),
                    principle=entry,
                    citing_issues=citing_issues,
                )
        add("tools/index.md", "tools.md.j2", letters=self._letters())
        for tool in self.site.tools:
            naming_issues = relations.issues_by_tool.get(tool.slug, [])
            naming_stories = relations.stories_by_tool.get(tool.slug, [])
            add(
                tool.page_path,
                "tool.md.j2",
                [tool.origin.path, "stories", *paths(naming_stories)],
                paths(naming_issues),
                tool=tool,
                naming_issues=naming_issues,
                naming_stories=naming_stories,
            )
        add("feedback/index.md", "stories.md.j2", teams=self._teams())
        if self.site.acronyms:
            add("glossary.md", "glossary.md.j2")
        add("tags.md", "tags.md.j2", tags=self._tags())
        if memo is not None:
            memo.keep_only(pages)
        return GeneratedDocs(pages, self._nav())

    @property
    def _abbreviations(self) -> str:
        """Abbreviation definitions, so every page explains acronyms on hover and focus."""
        if not self.site.acronyms:
            return ""
        lines = (f"*[{short}]: {meaning}" for short, meaning in self.site.acronyms.items())
        return "\n\n" + "\n".join(lines) + "\n"

    def _shared_values(self) -> dict[str, Any]:
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

    def _render(self, template_name: str, page_path: str, shared: dict[str, Any], **values: Any) -> str:
        def link(target: str) -> str:
            return relative_path(target, posixpath.dirname(page_path) or ".")

        def href(target: str) -> str:
            directory_urls = self.site.settings.use_directory_urls and not self.context.offline
            return relative_url(target, page_path, directory_urls)

        values = {**shared, **values, "link": link, "href": href, "page_path": page_path}
        return render_page_template(self.context.page_templates, self.site.settings, template_name, values)

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


def generate_docs(context: BuildContext, memo: PageMemo | None = None) -> GeneratedDocs:
    """Every page of the site, as Markdown, with its navigation. With `memo` (kept by the
    caller between runs), pages made from unchanged content files are taken from it."""
    return PageGenerator(context, memo).generate()
