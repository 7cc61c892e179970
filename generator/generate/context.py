"""One run's build context: every value a run makes once, passed down explicitly.

A command (or the MkDocs plugin, when MkDocs runs on its own) makes one `BuildContext`
after loading the project: the settings and loaded site (each file's lines and the tool
matcher travel with it), what is shown today (`visibility`), the build cache, and from
those, once, the relations between content, the template environments and each issue's
body. Pages, feeds, email copies and the checks that render take what they need from it,
so the issue body a page shows is the very one its feed entry and email carry.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import jinja2

from ..cache.store import BuildCache
from ..content.assets import ContentFiles, content_files
from ..content.model import Site
from ..content.relations import Relations, relate
from ..content.visibility import Visibility
from ..settings.reader import Settings
from .issue_body import IssueBodies
from .site_markdown import SiteMarkdown
from .templates import email_environment, page_environment


@dataclass(frozen=True, eq=False)
class BuildContext:
    """The loaded site under one visibility rule, with the cache and what is derived once.

    The derived values (`relations`, `issue_bodies`, the template environments) are made
    on first use and kept on this value; `seen_as` gives the same site under another rule."""

    site: Site
    visibility: Visibility
    cache: BuildCache = dataclasses.field(default_factory=BuildCache.off)
    #: The site is built to be opened from a folder (`sofs build --offline`): its pages
    #: link to `name.html` files. Feeds and emails still link to the published site.
    offline: bool = False

    @property
    def settings(self) -> Settings:
        """The project's settings (the loaded site's)."""
        return self.site.settings

    @property
    def root(self) -> Path:
        """The project folder, where `mkdocs.yml` is."""
        return self.site.settings.root

    @cached_property
    def relations(self) -> Relations:
        """Which shown issues and stories evidence each measure, name each tool and so on."""
        return relate(self.site, self.visibility)

    @cached_property
    def page_templates(self) -> jinja2.Environment:
        """The page templates' environment (`templates/pages/`)."""
        return page_environment(self.settings)

    @cached_property
    def email_templates(self) -> jinja2.Environment:
        """The email templates' environment (`templates/email/`)."""
        return email_environment(self.settings)

    @cached_property
    def content_files(self) -> ContentFiles:
        """The verdict on each file of the content folder besides Markdown: what the site copies."""
        return content_files(self.settings)

    @cached_property
    def issue_bodies(self) -> IssueBodies:
        """Each shown issue's Markdown as its page shows it, made once per issue."""
        return IssueBodies(self.site, self.relations, self.page_templates)

    @cached_property
    def feed_markdown(self) -> SiteMarkdown:
        """The site's Markdown extensions as feed entries and emails are made with them."""
        return SiteMarkdown(self.settings, for_feeds=True)

    def seen_as(self, visibility: Visibility) -> BuildContext:
        """The same site and cache under another visibility rule (its own relations and bodies)."""
        if visibility == self.visibility:
            return self
        return BuildContext(self.site, visibility, self.cache, self.offline)

    def for_folder(self) -> BuildContext:
        """The same site built to be opened from a folder, not a web server (`offline`)."""
        return BuildContext(self.site, self.visibility, self.cache, offline=True)
