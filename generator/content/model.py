"""The typed content model: what a loaded site is made of."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from types import MappingProxyType

from ..settings.reader import Settings
from .markdown_text import normalise_heading, visible_text
from .source_lines import SourceLines
from .tool_mentions import ToolMatcher


@dataclass(frozen=True)
class Origin:
    """Where an item came from: its file and the lines of its front-matter keys."""

    path: str
    body_first_line: int
    field_lines: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}))
    #: Front-matter fields the file marks as holding example values (`examples: [date]`).
    examples: tuple[str, ...] = ()
    #: Fields that were missing or could not be read (each already reported as an error):
    #: the item carries a stand-in value for them, so that the rest of its file is still
    #: checked, and checks between files say nothing about them.
    unread: frozenset[str] = frozenset()

    def line_of(self, name: str) -> int:
        """The line of front-matter field `name`, or the opening `---` when it is absent."""
        return self.field_lines.get(name, 1)

    def read(self, *names: str) -> bool:
        """Whether every field in `names` was read from the file (none holds a stand-in)."""
        return not self.unread.intersection(names)


@dataclass(frozen=True)
class Section:
    """A `##` section of an issue: its heading, the heading's line and its text."""

    title: str
    line: int
    body: str

    @cached_property
    def is_empty(self) -> bool:
        """Whether a reader would see no text under the heading (comments are not shown)."""
        return not visible_text(self.body).strip()

    @cached_property
    def key(self) -> str:
        """The heading folded for comparison with others (`normalise_heading`)."""
        return normalise_heading(self.title)


@dataclass(frozen=True)
class GuideUpkeep:
    """Who keeps a guide page accurate, what it rests on, and when it is checked again.

    Every page of the practice guide (tools, measures, principles, ongoing processes and
    Signs of Something variants) may carry these front-matter fields; `sofs check` warns
    when `owner`, `sources` or `review_by` is missing and when `review_by` has passed.
    """

    #: The role that keeps the page accurate, like "Practice lead" (a role, not a person).
    owner: str | None = None
    #: Full references of the published sources (or the newsletter issue) the page rests on.
    sources: tuple[str, ...] = ()
    last_reviewed: dt.date | None = None
    review_by: dt.date | None = None
    #: Front-matter fields whose values are examples a service still has to replace.
    examples: tuple[str, ...] = ()


@dataclass(frozen=True)
class Issue:
    """One newsletter issue."""

    number: int
    title: str
    date: dt.date
    summary: str
    status: str
    type: str
    measures: tuple[int, ...]
    principles: tuple[str, ...]
    tools: tuple[str, ...]
    tags: tuple[str, ...]
    body: str
    sections: tuple[Section, ...]
    slug: str
    origin: Origin
    approved_by: str | None = None
    approved_on: dt.date | None = None
    #: What `sofs approve` approved (see `checks.approval_digest`); None when not recorded.
    approved_sha256: str | None = None
    #: The anonymisation review of text written into the issue's own feedback section.
    anonymisation_reviewed_by: str | None = None
    anonymisation_reviewed_on: dt.date | None = None
    #: The cover picture, by its path under the content folder, and what it shows.
    image: str | None = None
    image_alt: str | None = None

    @property
    def is_draft(self) -> bool:
        """Not published yet: `draft`, or `ready` (signed off, waiting for `sofs publish`)."""
        return self.status != "published"

    @property
    def page_path(self) -> str:
        return f"issues/{self.slug}.md"

    @property
    def heading(self) -> str:
        """How the issue is named everywhere (page heading, feed entry, email subject): Issue N: title."""
        return f"Issue {self.number}: {self.title}"


@dataclass(frozen=True)
class Story:
    """A team's feedback story, as it appeared in one issue."""

    slug: str
    title: str
    team: str
    issue: int
    date: dt.date
    measures: tuple[int, ...]
    tools: tuple[str, ...]
    body: str
    origin: Origin
    anonymisation_reviewed_by: str | None = None
    anonymisation_reviewed_on: dt.date | None = None

    @property
    def anchor(self) -> str:
        """The id of the story's heading on its issue's page, where the story is shown."""
        return f"story-{self.slug}"


@dataclass(frozen=True)
class Measure:
    """A meaningful measure with its "what you will see or hear" indicators."""

    number: int
    slug: str
    title: str
    summary: str
    indicators: tuple[str, ...]
    tools: tuple[str, ...]
    body: str
    origin: Origin
    upkeep: GuideUpkeep = field(default_factory=lambda: GuideUpkeep())

    @property
    def page_path(self) -> str:
        return f"measures/{self.slug}.md"

    @property
    def heading(self) -> str:
        """How every page and email names the measure: Measure N: title."""
        return f"Measure {self.number}: {self.title}"


@dataclass(frozen=True)
class Principle:
    """A part of the practice model with a guide page: a principle, an ongoing process or a
    Signs of Something variant (`folder` says which)."""

    slug: str
    title: str
    summary: str
    body: str
    origin: Origin
    folder: str = "principles"
    upkeep: GuideUpkeep = field(default_factory=lambda: GuideUpkeep())

    @property
    def page_path(self) -> str:
        return f"{self.folder}/{self.slug}.md"


@dataclass(frozen=True)
class Tool:
    """A practice tool or method, with the other names it goes by."""

    slug: str
    name: str
    aliases: tuple[str, ...]
    summary: str
    category: str
    body: str
    origin: Origin
    upkeep: GuideUpkeep = field(default_factory=lambda: GuideUpkeep())

    @property
    def page_path(self) -> str:
        return f"tools/{self.slug}.md"


@dataclass(frozen=True)
class Page:
    """A free page: home, about, subscribe, accessibility statement."""

    slug: str
    title: str
    body: str
    origin: Origin

    @property
    def page_path(self) -> str:
        return "index.md" if self.slug == "home" else f"{self.slug}.md"


@dataclass(frozen=True)
class Site:
    """Everything loaded from `content/` plus the settings, ready to check or render."""

    settings: Settings
    issues: tuple[Issue, ...] = ()
    stories: tuple[Story, ...] = ()
    measures: tuple[Measure, ...] = ()
    principles: tuple[Principle, ...] = ()
    tools: tuple[Tool, ...] = ()
    pages: tuple[Page, ...] = ()
    processes: tuple[Principle, ...] = ()
    variants: tuple[Principle, ...] = ()
    acronyms: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    #: Content files that could not be loaded at all (each with an error), by path.
    unloaded: frozenset[str] = frozenset()
    #: The lines of every loaded item's file, in path order, as the loader read them once.
    sources: tuple[SourceLines, ...] = field(default=(), repr=False)
    #: Finds and links mentions of `tools`; made with the site, so once per load.
    tool_matcher: ToolMatcher = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "tool_matcher", ToolMatcher(self.tools))

    def stories_of(self, issue: Issue) -> tuple[Story, ...]:
        """The team stories written for `issue` (all of them, shown or not), in file order."""
        return self._stories_by_issue.get(issue.number, ())

    def unsure_of(self, folder: str, name: str) -> bool:
        """Whether some file in `folder` (`issues`, `feedback`, `measures`) has field `name`
        unread, or could not be loaded at all: a reference to a number no item has may then
        be to that file, and is not reported until it is fixed."""
        items: dict[str, tuple[Issue, ...] | tuple[Story, ...] | tuple[Measure, ...]] = {
            "issues": self.issues,
            "feedback": self.stories,
            "measures": self.measures,
        }
        return any(name in item.origin.unread for item in items.get(folder, ())) or any(
            path.split("/")[-2:-1] == [folder] for path in self.unloaded
        )

    @cached_property
    def _stories_by_issue(self) -> dict[int, tuple[Story, ...]]:
        grouped: dict[int, list[Story]] = {}
        for story in self.stories:
            grouped.setdefault(story.issue, []).append(story)
        return {number: tuple(stories) for number, stories in grouped.items()}
