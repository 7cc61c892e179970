"""Every address inside the built site, worked out from the loaded content alone.

A link written in a content file works on the site only when it names a page the
generator makes (an issue, a measure, a tool, the archive, a guide index ...), a file the
site copies from `content/` (pictures, PDFs, allowed types) or a file a build writes
beside the pages (the feeds, the email copies). The link checks need that list without
rendering anything, so it is read here from the model; a test keeps it equal to the pages
`generate.pages` really makes.

Pages are published where `generate.pages` puts them, which is not always where their
source file is: `content/pages/about.md` becomes the page `about.md` at the top of the
site, and a team story is shown inside its issue's page (`issues/NNN-slug.md#story-slug`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..content.model import Measure, Page, Principle, Site, Tool
from ..content.visibility import Visibility
from ..generate.email_copies import email_copy_paths
from ..generate.feeds import ATOM_FILE, RSS_FILE

#: Index pages the generator always makes, whatever the content.
INDEX_PAGES = (
    "index.md",
    "issues/index.md",
    "guide/index.md",
    "measures/index.md",
    "counting/index.md",
    "principles/index.md",
    "processes/index.md",
    "variants/index.md",
    "tools/index.md",
    "feedback/index.md",
    "tags.md",
)
GLOSSARY_PAGE = "glossary.md"


@dataclass(frozen=True)
class Shown:
    """Where a content file's text is shown on the site: its page and, for a team story,
    the anchor of its place in that page."""

    page: str
    anchor: str = ""

    @property
    def address(self) -> str:
        return f"{self.page}#{self.anchor}" if self.anchor else self.page


@dataclass(frozen=True)
class SiteAddresses:
    """The pages and files of the built site, relative to its root (the docs folder).

    `pages` holds every page a preview with drafts makes; `published` those an ordinary
    build makes today. `files` are the other files a build writes or copies. `shown`
    gives, for each content file (by its path under the content folder), where its text
    appears."""

    pages: frozenset[str]
    published: frozenset[str]
    files: frozenset[str]
    shown: dict[str, Shown]

    @classmethod
    def of(cls, site: Site, copied: tuple[str, ...], today: dt.date) -> SiteAddresses:
        """The addresses of `site`, whose content folder copies the files `copied`;
        `today` is the day that decides which issues are published."""
        published_rule = Visibility(today)
        folder = site.settings.docs_dir.strip("/") + "/"

        def relative(path: str) -> str:
            return path[len(folder) :] if path.startswith(folder) else path

        pages: set[str] = set(INDEX_PAGES)
        if site.acronyms:
            pages.add(GLOSSARY_PAGE)
        published: set[str] = set(pages)
        shown: dict[str, Shown] = {}
        files: set[str] = set(copied)
        if site.settings.site_url:
            files |= {RSS_FILE, ATOM_FILE}
        issue_pages: dict[int, str] = {}
        for issue in site.issues:
            pages.add(issue.page_path)
            shown[relative(issue.origin.path)] = Shown(issue.page_path)
            issue_pages[issue.number] = issue.page_path
            files.update(email_copy_paths(issue.number))
            if published_rule.shows(issue):
                published.add(issue.page_path)
        others: list[Measure | Principle | Tool | Page] = [
            *site.measures,
            *site.principles,
            *site.processes,
            *site.variants,
            *site.tools,
            *site.pages,
        ]
        for item in others:
            pages.add(item.page_path)
            published.add(item.page_path)
            shown[relative(item.origin.path)] = Shown(item.page_path)
        for story in site.stories:
            page = issue_pages.get(story.issue)
            if page is not None:
                shown[relative(story.origin.path)] = Shown(page, story.anchor)
        return cls(frozenset(pages), frozenset(published), frozenset(files), shown)
