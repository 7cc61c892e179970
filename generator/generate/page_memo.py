"""Regenerating only the pages an edit changes.

Each generated page is made from a known set of content files: an issue's page from the
issue, its neighbours and its team stories; a tool, measure or principle page from the
issues and stories that list it; the archive, the home page and the other index pages
from every issue and story. A page that only lists an issue (a card, a link) is made
from what a listing shows of it, every field but its text, so an edit to an issue's text
renders its own page again but not every list that names it. Everything else (settings,
templates, the practice guide, acronyms, the day the site is built for, an offline build)
is shared by every page. A story counts with the file name of its issue, whose page its
listings link to.

`PageMemo` keeps, for each page, a fingerprint of the files it was made from and the text
made. A later run hands the memo back: a page whose fingerprint is unchanged is taken from
it, every other page is rendered again. The memo is a value the caller keeps between runs
(`sofs serve` keeps one for its session); nothing is kept in this module.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..content.model import Issue
from .context import BuildContext

#: Content folders whose files every page may show (titles, names, links, acronyms).
_EVERYWHERE = ("measures", "principles", "processes", "variants", "tools", "pages")


def _digest(parts: Iterable[str]) -> str:
    sha = hashlib.sha256()
    for part in parts:
        sha.update(part.encode("utf-8", "surrogatepass"))
        sha.update(b"\0")
    return sha.hexdigest()


def _folder_digest(folder: Path) -> str:
    """Every file under `folder` (templates), by name and bytes."""
    parts: list[str] = []
    if folder.is_dir():
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                parts += [path.relative_to(folder).as_posix(), hashlib.sha256(path.read_bytes()).hexdigest()]
    return _digest(parts)


class PageInputs:
    """The fingerprints of the content files the pages of one run are made from."""

    def __init__(self, context: BuildContext) -> None:
        site = context.site
        settings = site.settings
        self._files = {source.path: source.text_digest for source in site.sources}
        # A story is shown with a link to its issue's page, named by the issue's file: a page
        # made from a story is also made from that file's path.
        issue_paths = {issue.number: issue.origin.path for issue in site.issues}
        self._story_issue = {story.origin.path: issue_paths.get(story.issue, "") for story in site.stories}
        docs = settings.docs_dir.rstrip("/")
        everywhere = tuple(f"{docs}/{folder}/" for folder in _EVERYWHERE)
        config = settings.root / "mkdocs.yml"
        self.shared = _digest(
            [
                config.read_text(encoding="utf-8-sig") if config.is_file() else "",
                _folder_digest(settings.templates_root),
                repr(sorted(site.acronyms.items())),
                repr(context.visibility),
                repr(context.offline),
                repr(context.content_files.copied),
                *(
                    f"{path}={digest}"
                    for path, digest in sorted(self._files.items())
                    if path.startswith(everywhere)
                ),
            ]
        )
        self._cards = {issue.origin.path: _card_digest(issue) for issue in site.issues}
        relations = context.relations
        listed_issues = [i.origin.path for i in relations.issues]
        listed_stories = [s.origin.path for s in relations.stories]
        every_issue = [i.origin.path for i in site.issues]
        every_story = [s.origin.path for s in site.stories]
        shown = [*map(self.of_card, listed_issues), *map(self.of_file, listed_stories)]
        every = [*map(self.of_card, every_issue), *map(self.of_file, every_story)]
        self.everything = _digest([self.shared, *shown, "all", *every])

    def of_file(self, path: str) -> str:
        """A content file's fingerprint, with its path (empty for a file not read); a story's
        also names its issue's file."""
        issue = self._story_issue.get(path)
        suffix = "" if issue is None else f" in {issue}"
        return f"{path}={self._files.get(path, '')}{suffix}"

    def of_card(self, path: str) -> str:
        """An issue's fingerprint where a page only lists it (a card, a link): everything
        but its text (`_card_digest`); another file's whole fingerprint."""
        card = self._cards.get(path)
        return self.of_file(path) if card is None else f"{path}~{card}"

    def key(
        self, template: str, path: str, made_from: Iterable[str] | None, listed: Iterable[str] = ()
    ) -> str:
        """The fingerprint of page `path`: its template, the files it is made from
        (`made_from`, content file paths in the order the page uses them; None: every file,
        listing the issues) and the issues it only lists (`listed`, by path)."""
        if made_from is None:
            return _digest([template, path, self.everything])
        return _digest(
            [template, path, self.shared, *map(self.of_file, made_from), "lists", *map(self.of_card, listed)]
        )


def _card_digest(issue: Issue) -> str:
    """What a page that lists `issue` can show of it: every field but its text (title,
    number, date, summary, picture, status, tags, measures and so on)."""
    shown = (repr(getattr(issue, f.name)) for f in dataclasses.fields(issue) if f.name not in _TEXT_FIELDS)
    return _digest(shown)


#: An issue's fields that hold its text, which only its own page, feed entry and email show.
_TEXT_FIELDS = frozenset({"body", "sections"})


@dataclass
class PageMemo:
    """Pages made by an earlier run, each with the fingerprint of what it was made from.

    `rendered` and `reused` count the pages of the latest run (for tests and the preview's log)."""

    pages: dict[str, tuple[str, str]] = field(default_factory=dict)
    rendered: list[str] = field(default_factory=list)
    reused: int = 0

    def start(self) -> None:
        """Begin a run: forget the previous run's counts."""
        self.rendered = []
        self.reused = 0

    def lookup(self, path: str, key: str) -> str | None:
        """The text page `path` had when made from `key`, or None."""
        known = self.pages.get(path)
        if known is not None and known[0] == key:
            self.reused += 1
            return known[1]
        return None

    def remember(self, path: str, key: str, text: str) -> None:
        """Keep the text of page `path` made from `key`."""
        self.pages[path] = (key, text)
        self.rendered.append(path)

    def keep_only(self, paths: Iterable[str]) -> None:
        """Forget pages the latest run no longer made."""
        wanted = set(paths)
        for path in [p for p in self.pages if p not in wanted]:
            del self.pages[path]
