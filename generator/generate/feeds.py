"""The newsletter's feeds: RSS 2.0 (`feed.xml`) and Atom 1.0 (`atom.xml`), with feedgen.

Both feeds hold the same entries: the shown issues (see `Visibility`: no drafts, nothing
dated in the future), newest first, at most `feed_limit` of them. Each entry carries the
issue's full content as HTML with absolute links (`generator.generate.issue_html`) and its summary.

Entry ids. A feed reader treats an entry with a new id as a new issue, so the id is built
only from what never changes once an issue is out: the site's host name and the issue
number, in a tag URI (RFC 4151) with a fixed year:

    tag:<host of site_url>,2025:issue-<number>

for example `tag:signs-of-safety.example.org,2025:issue-10`. Editing an issue's title,
slug (and so its URL), summary, date, tags or text keeps the id; rebuilding keeps it.
The year is a constant, not the issue's date, because dates can be corrected. The same
id is the RSS `guid` (with `isPermaLink="false"`) and the Atom `id`. Moving the site to a
new host name changes every id, so readers would show the issues again.

Dates. An entry is dated at midnight of its front-matter date in the site's time zone.
The feed's own `updated` / `lastBuildDate` is the newest entry's date (never the build
time), so building the same content twice gives byte-identical feeds.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial

from feedgen.feed import FeedGenerator

from ..cache.keys import feed_entry_key
from ..content.model import Issue
from ..settings.reader import Settings
from .context import BuildContext
from .html_gate import cleaner, ensure_safe
from .issue_html import issue_html
from .urls import page_address

RSS_FILE = "feed.xml"
ATOM_FILE = "atom.xml"
FEED_TYPES = {RSS_FILE: "application/rss+xml", ATOM_FILE: "application/atom+xml"}
FEED_LANGUAGE = "en-GB"
TAG_YEAR = "2025"
#: The build cache's shelf of entries' HTML.
FEED_SHELF = "feed-entries"
#: The date of a feed with no issues yet: fixed, so that empty feeds are reproducible too.
EMPTY_FEED_DATE = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


@dataclass(frozen=True)
class FeedEntry:
    """What both feeds say about one issue."""

    id: str
    title: str
    link: str
    date: dt.datetime
    summary: str
    content: str
    categories: tuple[str, ...]


def entry_id(settings: Settings, issue: Issue) -> str:
    """The entry's permanent id: `tag:HOST,2025:issue-N` (see the module's rule)."""
    return f"tag:{settings.domain},{TAG_YEAR}:issue-{issue.number}"


def feed_id(settings: Settings) -> str:
    """The Atom feed's own permanent id, built by the same rule as the entries'."""
    return f"tag:{settings.domain},{TAG_YEAR}:newsletter"


def issue_datetime(settings: Settings, issue: Issue) -> dt.datetime:
    """Midnight of the issue's date in the site's time zone."""
    return dt.datetime.combine(issue.date, dt.time(0), tzinfo=settings.zone)


def feed_entries(context: BuildContext) -> list[FeedEntry]:
    """The feed's entries, newest first, at most `feed_limit`; needs `site_url`."""
    site, settings = context.site, context.settings
    site_url = settings.site_url or ""
    measure_titles = {m.number: m.title for m in site.measures}
    entries = []
    sanitiser = cleaner()
    for issue in context.relations.issues[: settings.feed_limit]:
        categories = [*issue.tags, *(measure_titles[n] for n in issue.measures if n in measure_titles)]
        content = _entry_html(context, issue)
        ensure_safe(content, f"the feed entry of issue {issue.number} ({issue.origin.path})", sanitiser)
        entries.append(
            FeedEntry(
                id=entry_id(settings, issue),
                title=issue.heading,
                link=page_address(site_url, issue.page_path, site.settings.use_directory_urls),
                date=issue_datetime(settings, issue),
                summary=issue.summary,
                content=content,
                categories=tuple(dict.fromkeys(categories)),
            )
        )
    return entries


def _entry_html(context: BuildContext, issue: Issue) -> str:
    """The issue's HTML for its entry (`issue_html`), from the build cache when its page's
    Markdown, the settings and the code are unchanged."""
    key = partial(
        feed_entry_key, context.site, context.cache.code, issue.page_path, context.issue_bodies.of(issue)
    )
    return context.cache.remember(FEED_SHELF, key, partial(issue_html, context, issue), str.encode, _decoded)


def _decoded(data: bytes) -> str | None:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _generator(settings: Settings, entries: Sequence[FeedEntry], self_file: str) -> FeedGenerator:
    site_url = settings.site_url or ""
    feed = FeedGenerator()
    feed.id(feed_id(settings))
    feed.title(settings.site_name)
    feed.description(settings.site_description or f"Every published issue of the {settings.site_name}.")
    # feedgen's RSS <link> is the last link added, so the site's address goes last.
    feed.link(href=site_url + self_file, rel="self", type=FEED_TYPES[self_file])
    feed.link(href=site_url, rel="alternate", type="text/html")
    feed.language(FEED_LANGUAGE)
    feed.generator("sofs-newsletter")
    if settings.mailbox:
        feed.author({"name": settings.site_name, "email": settings.mailbox})
        contact = f"{settings.mailbox} ({settings.site_name})"
        feed.managingEditor(contact)
        feed.webMaster(contact)
    else:
        feed.author({"name": settings.site_name})
    feed.updated(entries[0].date if entries else EMPTY_FEED_DATE)
    for entry in entries:  # already newest first; feedgen would prepend without order="append"
        item = feed.add_entry(order="append")
        item.id(entry.id)
        item.title(entry.title)
        item.link(href=entry.link, rel="alternate")
        item.published(entry.date)
        item.updated(entry.date)
        # RSS readers show an item's description as HTML; Atom's summary is plain text.
        item.summary(html.escape(entry.summary, quote=False) if self_file == RSS_FILE else entry.summary)
        item.content(entry.content, type="html")
        if entry.categories:
            item.category([{"term": term} for term in entry.categories])
    return feed


def build_feeds(context: BuildContext) -> dict[str, bytes]:
    """`feed.xml` and `atom.xml` as bytes. Without a `site_url` no feed is made: its links
    could not be absolute (`sofs check` reports the missing setting as an error). Raises
    `UnsafeOutput` when an entry's HTML holds what the allowlist does not (`html_gate`)."""
    settings = context.settings
    if not settings.site_url:
        return {}
    entries = feed_entries(context)
    context.cache.prune([FEED_SHELF])
    rss: bytes = _generator(settings, entries, RSS_FILE).rss_str(pretty=True)
    atom: bytes = _generator(settings, entries, ATOM_FILE).atom_str(pretty=True)
    return {RSS_FILE: rss, ATOM_FILE: atom}
