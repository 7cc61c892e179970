"""What each cached result is made from, as keys for `build_cache`.

A key must change whenever anything that could change the result changes. Where the exact
inputs are hard to tell apart, a key takes in more than is strictly needed: a result made
again for nothing costs a few milliseconds, a stale one could publish the wrong text.
"""

from __future__ import annotations

import dataclasses

from ..content.model import Issue, Site
from ..content.source_lines import SourceLines
from ..content.visibility import Visibility
from ..settings.reader import CONFIG_FILE
from .store import fingerprint, tree_fingerprint


def _front_matter(source: SourceLines) -> str:
    return "\n".join(source.lines[: max(source.body_start - 1, 0)])


def _settings_text(site: Site) -> bytes:
    try:
        return (site.settings.root / CONFIG_FILE).read_bytes()
    except OSError:
        return b"unreadable"


def _acronyms_text(site: Site) -> str:
    return "\n".join(f"{short}\t{meaning}" for short, meaning in sorted(site.acronyms.items()))


def file_check_context(site: Site, code: str) -> str:
    """Everything besides a file's own text that the one-file checks read: the code, the
    settings (allow-lists, thresholds, folders) and the defined acronyms."""
    return fingerprint("file-checks", code, _settings_text(site), _acronyms_text(site))


def file_check_key(context: str, source: SourceLines) -> str:
    """The key of one file's check results."""
    return fingerprint(context, source.path, str(source.body_start), source.text_digest)


class EmailKeys:
    """Keys for the email copies of one build.

    An email is made from its issue, that issue's team stories, and site-wide things: the
    code, settings and templates, the guide's pages (tools are linked, measures named),
    what every other issue could lend it (its title, number, date, address and the like,
    not its text or sign-off), the front matter of every story, and which issues and
    stories are shown. Another issue's text or approval never changes it, so editing or
    approving one issue remakes one email, and a new day remakes none unless it shows
    another issue.
    """

    def __init__(self, site: Site, visibility: Visibility, code: str) -> None:
        issues = {i.origin.path: i for i in site.issues}
        story_files = {s.origin.path for s in site.stories}
        shown = [i.origin.path for i in visibility.issues(site)] + [
            s.origin.path for s in visibility.stories(site)
        ]
        parts: list[str | bytes] = [
            "email",
            code,
            _settings_text(site),
            tree_fingerprint(site.settings.templates_root),
            _acronyms_text(site),
            "shown",
            *shown,
            "all",
            str(visibility.include_drafts),
        ]
        self.digests: dict[str, str] = {}
        for source in site.sources:
            self.digests[source.path] = source.text_digest
            issue = issues.get(source.path)
            if issue is not None:
                parts += [source.path, _lent_by(issue)]
            elif source.path in story_files:
                parts += [source.path, _front_matter(source)]
            else:
                parts += [source.path, source.text_digest]
        self.shared = fingerprint(*parts)
        self.site = site

    def of(self, issue: Issue) -> str:
        """The key of `issue`'s email."""
        own = [issue.origin.path, *sorted(s.origin.path for s in self.site.stories_of(issue))]
        return fingerprint(
            self.shared, *(part for path in own for part in (path, self.digests.get(path, "")))
        )


#: An issue's fields that no other issue's email shows: its text and its sign-off.
_NOT_LENT = frozenset(
    {
        "body",
        "sections",
        "approved_by",
        "approved_on",
        "approved_sha256",
        "anonymisation_reviewed_by",
        "anonymisation_reviewed_on",
        "origin",
    }
)


def _lent_by(issue: Issue) -> str:
    """What another issue's email could show of `issue` (a link, its title, its date)."""
    fields = [repr(getattr(issue, f.name)) for f in dataclasses.fields(issue) if f.name not in _NOT_LENT]
    return fingerprint(*fields, repr(issue.origin.examples), repr(sorted(issue.origin.unread)))


def feed_entry_key(site: Site, code: str, page_path: str, markdown: str) -> str:
    """The key of a feed entry's HTML: the issue's Markdown as its page shows it, where its
    page is (links are made absolute from there), and the settings (the site's address and
    Markdown extensions) and acronyms it is converted with."""
    return fingerprint("feed-entry", code, _settings_text(site), _acronyms_text(site), page_path, markdown)
