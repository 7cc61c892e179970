"""The generator's settings as one typed value, and the small parts it is made of.

`Settings` holds every setting with its default; `settings.schema` says how each one
under the `sofs` plugin is written and checked, and `settings.reader` fills a `Settings`
from `mkdocs.yml`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from ..basics.yamlread import Path as KeyPath

CONFIG_FILE = "mkdocs.yml"
PLUGIN_NAME = "sofs"


#: The Markdown extensions every sofs site is made with, whether `mkdocs.yml` lists them or
#: not (the plugin adds a missing one to MkDocs' list): bare web and email addresses become
#: links (pymdown-extensions' magiclink), and bullets pasted from Word become a list.
SOFS_MARKDOWN_EXTENSIONS = ("pymdownx.magiclink", "generator.content.pasted_lists")


@dataclass(frozen=True)
class RequiredSection:
    """A section every issue of a type must have: its title and accepted other headings."""

    title: str
    aliases: tuple[str, ...] = ()
    filled_by: str | None = None

    @property
    def headings(self) -> tuple[str, ...]:
        return (self.title, *self.aliases)


@dataclass(frozen=True)
class IssueType:
    """A kind of issue and the sections it requires."""

    name: str
    sections: tuple[RequiredSection, ...]


#: The built-in `newsletter` issue type: the six `##` sections of issue 10, by the headings
#: it prints (its welcome paragraph and closing line have no heading of their own). This is
#: their one copy; `issue_types` in `mkdocs.yml` adds other types, or replaces this one by its name.
DEFAULT_SECTIONS = (
    RequiredSection(
        "Meaningful measures- counting what counts",
        ("Meaningful measures", "Counting what counts"),
    ),
    RequiredSection(
        "What does meaningful measures mean?",
        ("What meaningful measures mean", "What you will see or hear"),
    ),
    RequiredSection(
        "Feedback from teams across the service",
        ("Feedback from teams", "Team feedback", "Team stories"),
        filled_by="feedback",
    ),
    RequiredSection("Signs of Something...", ("Signs of Something",)),
    RequiredSection("Principles", ("Our principles",)),
    RequiredSection(
        "Message from your Practice Leads",
        ("Message from the Practice Leads", "From your Practice Leads"),
    ),
)
DEFAULT_ISSUE_TYPES = MappingProxyType({"newsletter": IssueType("newsletter", DEFAULT_SECTIONS)})

#: The sign-offs `required_approvals` can ask for, and what each one means.
APPROVALS = MappingProxyType(
    {
        "issue_sign_off": "an issue needs `approved_by` and `approved_on` before it is ready or published",
        "story_anonymisation": "each team story in such an issue needs `anonymisation_reviewed_by` "
        "and `anonymisation_reviewed_on`",
    }
)


@dataclass(frozen=True)
class Settings:
    """Everything the generator needs to know about the site, validated.

    The defaults here are the settings' only defaults: `settings.schema` reads them."""

    root: Path
    site_name: str = "Signs of Safety newsletter"
    site_description: str | None = None
    site_url: str | None = None
    docs_dir: str = "content"
    site_dir: str = "site"
    use_directory_urls: bool = True
    templates_dir: str = "templates"
    timezone: str = "Europe/London"
    mailbox: str | None = None
    #: Who publishes the newsletter (issue 10's page footers: "Adults and Children's Services").
    organisation: str | None = None
    logo: str | None = None
    brand_colour: str = "#1d4f91"
    accent_colour: str = "#a3195b"
    subscribers_db: str = "data/subscribers.sqlite"
    feed_limit: int = 20
    default_issue_type: str = "newsletter"
    teams: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    issue_types: Mapping[str, IssueType] = field(default_factory=lambda: DEFAULT_ISSUE_TYPES)
    privacy_allow: tuple[str, ...] = ()
    staff_names: tuple[str, ...] = ()
    reading_ease_min: float = 50.0
    required_approvals: tuple[str, ...] = ()
    extra_file_types: tuple[str, ...] = ()
    config_lines: Mapping[KeyPath, int] = field(default_factory=lambda: MappingProxyType({}))
    plugin_path: KeyPath = ()
    #: MkDocs' `markdown_extensions` as written, each name with its options, so that what
    #: the site renders can be rendered the same way outside MkDocs.
    markdown_extensions: tuple[tuple[str, Mapping[str, Any]], ...] = ()

    @property
    def content_root(self) -> Path:
        return self.root / self.docs_dir

    @property
    def templates_root(self) -> Path:
        return self.root / self.templates_dir

    @property
    def subscribers_path(self) -> Path:
        """The subscriber list's SQLite file; send ledgers are kept beside it."""
        return self.root / self.subscribers_db

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def domain(self) -> str:
        """The site's host name, used for stable feed ids and message ids."""
        return urlsplit(self.site_url or "").hostname or "localhost"

    def config_line(self, *keys: str | int) -> int:
        """The line in mkdocs.yml of a key under the plugin's settings."""
        path: KeyPath = self.plugin_path + keys
        while path:
            if path in self.config_lines:
                return self.config_lines[path]
            path = path[:-1]
        return 1
