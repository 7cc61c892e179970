"""RSS and Atom feeds: real `sofs build` runs, read back with feedparser and ElementTree.

feedparser is what a feed reader sees; it resolves relative links by itself, so the
checks that links are absolute read the raw XML instead.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import signal
import subprocess
import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass, replace
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import feedparser
import pytest
from conftest import FIXED_TODAY, FIXTURES, assert_golden, copy_project, fixture_project, run_sofs
from serving import free_port, hear_interrupts, wait_for

from generator.checks.project import check_project
from generator.content.model import Site
from generator.content.visibility import Visibility
from generator.generate.context import BuildContext
from generator.generate.feeds import build_feeds, entry_id
from generator.generate.urls import absolute_url
from generator.settings.reader import Settings

ATOM = "{http://www.w3.org/2005/Atom}"
CONTENT_ENCODED = "{http://purl.org/rss/1.0/modules/content/}encoded"
FIXTURE_URL = "https://fixture.example.org/"
FEEDS = ("feed.xml", "atom.xml")


@dataclass(frozen=True)
class Built:
    root: Path

    @property
    def site(self) -> Path:
        return self.root / "site"

    def feed(self, name: str) -> bytes:
        return (self.site / name).read_bytes()

    def parsed(self, name: str) -> Any:
        return feedparser.parse(self.feed(name))


def build(root: Path, *, today: str | None = None) -> Built:
    result = run_sofs(root, "build", env={"SOFS_TODAY": today} if today else None)
    assert result.returncode == 0, result.stdout + result.stderr
    return Built(root)


def feeds_project(destination: Path) -> Path:
    """The feeds fixture, with the Markdown extensions the feeds then use as the site does."""
    root = fixture_project(destination, "feeds-issues")
    config = root / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").rstrip("\n")
        + "\nmarkdown_extensions:\n  - abbr\n  - admonition\n",
        encoding="utf-8",
    )
    return root


@pytest.fixture(scope="module")
def fixture_site(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The minimal site plus a summer issue full of links, a draft and a future issue."""
    return build(feeds_project(tmp_path_factory.mktemp("feeds")))


@pytest.fixture(scope="module")
def sample_site(tmp_path_factory: pytest.TempPathFactory) -> Built:
    return build(copy_project(tmp_path_factory.mktemp("sample")))


class _Links(HTMLParser):
    """Every URL-bearing attribute value in a piece of HTML."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.alternates: list[dict[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.links += [value or "" for name, value in attrs if name in ("href", "src")]
        if tag == "link" and ("rel", "alternate") in attrs:
            self.alternates.append(dict(attrs))


def links_in(html: str) -> _Links:
    parser = _Links()
    parser.feed(html)
    parser.close()
    return parser


def raw_contents(xml: bytes) -> list[str]:
    """The HTML of every entry as written in the file, before any reader touches it."""
    root = ET.fromstring(xml)
    found = root.findall(f"./channel/item/{CONTENT_ENCODED}") + root.findall(f"./{ATOM}entry/{ATOM}content")
    return [element.text or "" for element in found]


# --- What a feed reader sees ------------------------------------------------------------


@pytest.mark.parametrize("name, version", [("feed.xml", "rss20"), ("atom.xml", "atom10")])
def test_feedparser_reads_both_feeds_without_error(fixture_site: Built, name: str, version: str) -> None:
    parsed = fixture_site.parsed(name)
    assert parsed.bozo is False, parsed.get("bozo_exception")
    assert parsed.version == version


@pytest.mark.parametrize("name", FEEDS)
def test_entries_are_the_shown_issues_newest_first(fixture_site: Built, name: str) -> None:
    entries = fixture_site.parsed(name).entries
    assert [e.id for e in entries] == [
        "tag:fixture.example.org,2025:issue-2",
        "tag:fixture.example.org,2025:issue-1",
    ]
    assert [e.title for e in entries] == ["Issue 2: Links, pictures & plans", "Issue 1: Our first issue"]
    assert [e.link for e in entries] == [
        FIXTURE_URL + "issues/002-links-and-pictures/",
        FIXTURE_URL + "issues/001-first-issue/",
    ]
    assert entries[0].summary == "A summer issue whose links and pictures must work in a feed reader."


@pytest.mark.parametrize("name", FEEDS)
def test_drafts_and_future_issues_are_in_neither_feed(fixture_site: Built, name: str) -> None:
    data = fixture_site.feed(name)
    for hidden in (b"issue-3", b"issue-4", b"A draft nobody should see", b"dated in the future", b"Not yet."):
        assert hidden not in data
    # ...while the pages of the same build do show the published ones.
    assert (fixture_site.site / "issues/002-links-and-pictures/index.html").exists()
    assert not (fixture_site.site / "issues/004-from-the-future/index.html").exists()


def test_dates_are_the_front_matter_dates_in_london_time(fixture_site: Built) -> None:
    atom_entries = fixture_site.parsed("atom.xml").entries
    rss_entries = fixture_site.parsed("feed.xml").entries
    # 2 June is in British Summer Time, 6 January is not.
    assert [e.published for e in atom_entries] == ["2025-06-02T00:00:00+01:00", "2025-01-06T00:00:00+00:00"]
    assert [e.updated for e in atom_entries] == ["2025-06-02T00:00:00+01:00", "2025-01-06T00:00:00+00:00"]
    assert [e.published for e in rss_entries] == [
        "Mon, 02 Jun 2025 00:00:00 +0100",
        "Mon, 06 Jan 2025 00:00:00 +0000",
    ]


def test_feed_dates_are_the_newest_issue_not_the_build_time(fixture_site: Built) -> None:
    assert fixture_site.parsed("atom.xml").feed.updated == "2025-06-02T00:00:00+01:00"
    assert fixture_site.parsed("feed.xml").feed.updated == "Mon, 02 Jun 2025 00:00:00 +0100"


@pytest.mark.parametrize("name", FEEDS)
def test_content_is_the_whole_issue_with_its_team_story(fixture_site: Built, name: str) -> None:
    first_issue = fixture_site.parsed(name).entries[1]
    html = first_issue.content[0].value
    order = [
        "Hello and welcome to the first issue.",
        "Teams tell us what is changing.",
        "First Contact: A plan the family made",
        "The family wrote their own plan and it is working.",
        "We keep asking questions.",
        "Write to the mailbox.",
    ]
    positions = [html.find(text) for text in order]
    assert -1 not in positions, html
    assert positions == sorted(positions), "the story belongs in the feedback section"
    assert first_issue.summary == "The first issue of the fixture newsletter."


def test_content_keeps_the_sites_markdown_extensions(fixture_site: Built) -> None:
    html = raw_contents(fixture_site.feed("atom.xml"))[0]
    assert '<abbr title="Signs of Safety">SofS</abbr>' in html
    assert '<div class="admonition note">' in html
    assert "<th>Tool</th>" in html
    assert "*[SofS]" not in html and "!!!" not in html


@pytest.mark.parametrize("name", FEEDS)
def test_every_href_and_src_in_the_content_is_absolute(fixture_site: Built, name: str) -> None:
    links = [link for html in raw_contents(fixture_site.feed(name)) for link in links_in(html).links]
    assert len(links) >= 10
    for link in links:
        parts = urlsplit(link)
        assert parts.scheme in ("https", "mailto"), link
        assert parts.scheme == "mailto" or parts.netloc, link
    # Every link the issue and its story were written with (pages may add more, like tool links).
    assert set(links) >= {
        FIXTURE_URL + "measures/1-keeping-children-safe/",
        FIXTURE_URL + "tools/scaling-questions/#sources",
        FIXTURE_URL + "issues/001-first-issue/",
        FIXTURE_URL + "issues/",
        FIXTURE_URL + "issues/002-links-and-pictures/#contact-us",
        FIXTURE_URL + "images/plan.svg",
        FIXTURE_URL + "principles/critical-inquiry/",
        "https://www.signsofsafety.net/",
        "mailto:practice@example.org",
    }


def test_absolute_links_lead_to_pages_the_build_wrote(fixture_site: Built) -> None:
    for html in raw_contents(fixture_site.feed("feed.xml")):
        for link in links_in(html).links:
            if not link.startswith(FIXTURE_URL):
                continue
            path = urlsplit(link).path.removeprefix("/")
            target = fixture_site.site / path / ("index.html" if path.endswith("/") or not path else "")
            assert target.is_file(), link


# --- Feed metadata ----------------------------------------------------------------------


def test_rss_channel_metadata(fixture_site: Built) -> None:
    channel = ET.fromstring(fixture_site.feed("feed.xml")).find("channel")
    assert channel is not None
    assert channel.findtext("title") == "Fixture newsletter"
    assert channel.findtext("link") == FIXTURE_URL
    assert channel.findtext("description")
    assert channel.findtext("language") == "en-GB"
    assert channel.findtext("managingEditor") == "practice@example.org (Fixture newsletter)"
    assert channel.findtext("webMaster") == "practice@example.org (Fixture newsletter)"
    self_link = channel.find(f"{ATOM}link")
    assert self_link is not None and self_link.get("href") == FIXTURE_URL + "feed.xml"
    assert self_link.get("rel") == "self"
    guids = channel.findall("item/guid")
    assert [g.get("isPermaLink") for g in guids] == ["false", "false"]


def test_atom_feed_metadata(fixture_site: Built) -> None:
    feed = fixture_site.parsed("atom.xml").feed
    assert feed.title == "Fixture newsletter"
    assert feed.language == "en-GB"
    assert feed.author_detail.email == "practice@example.org"
    assert feed.id == "tag:fixture.example.org,2025:newsletter"
    links = {link.rel: link.href for link in feed.links}
    assert links == {"self": FIXTURE_URL + "atom.xml", "alternate": FIXTURE_URL}


@pytest.mark.parametrize("name", FEEDS)
def test_categories_come_from_tags_and_measures(fixture_site: Built, name: str) -> None:
    entry = fixture_site.parsed(name).entries[0]
    assert [tag.term for tag in entry.tags] == ["plans", "fixtures", "Keeping children safe"]


# --- Stable ids and reproducible bytes ----------------------------------------------------


def test_renaming_an_issue_keeps_its_id(tmp_path: Path) -> None:
    root = fixture_project(tmp_path / "rename", "feeds-issues")
    before = build(root).parsed("atom.xml").entries[0]
    old = root / "content/issues/002-links-and-pictures.md"
    text = old.read_text(encoding="utf-8")
    for was, now in [
        ('title: "Links, pictures & plans"', 'title: "A better title"'),
        ("date: 2025-06-02", "date: 2025-06-09"),
        ('summary: "A summer issue', 'summary: "Another summer issue'),
    ]:
        assert was in text
        text = text.replace(was, now)
    (root / "content/issues/002-a-better-title.md").write_text(text, encoding="utf-8")
    old.unlink()
    shutil.rmtree(root / "site")

    after = build(root).parsed("atom.xml").entries[0]
    assert after.title == "Issue 2: A better title"
    assert after.link == FIXTURE_URL + "issues/002-a-better-title/"
    assert after.link != before.link
    assert after.id == before.id == "tag:fixture.example.org,2025:issue-2"


def test_two_builds_give_byte_identical_feeds(tmp_path: Path, fixture_site: Built) -> None:
    # A later "today" that shows the same issues: nothing in the feeds may depend on it.
    again = build(feeds_project(tmp_path / "again"), today="2026-02-20")
    for name in FEEDS:
        assert again.feed(name) == fixture_site.feed(name)


def test_feed_limit_keeps_the_newest_issues(tmp_path: Path) -> None:
    root = fixture_project(tmp_path / "limit", "feeds-issues")
    config = root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert "      mailbox: practice@example.org\n" in text
    config.write_text(text.replace("      mailbox:", "      feed_limit: 1\n      mailbox:"), encoding="utf-8")
    built = build(root)
    for name in FEEDS:
        assert [e.id for e in built.parsed(name).entries] == ["tag:fixture.example.org,2025:issue-2"]


@pytest.mark.parametrize("name", FEEDS)
def test_golden_feeds_of_the_sample_content(sample_site: Built, name: str) -> None:
    assert_golden(name, sample_site.feed(name))


# --- Pages advertise the feeds ----------------------------------------------------------


@pytest.mark.parametrize(
    "page",
    [
        "index.html",
        "issues/010-meaningful-measures/index.html",
        "subscribe/index.html",
        "tools/mapping/index.html",
        "404.html",
    ],
)
def test_every_page_head_advertises_both_feeds(sample_site: Built, page: str) -> None:
    html = (sample_site.site / page).read_text(encoding="utf-8")
    head = html[: html.index("</head>")]
    alternates = {a["type"]: a for a in links_in(head).alternates}
    base = "https://signs-of-safety.example.org/"
    assert alternates["application/rss+xml"]["href"] == base + "feed.xml"
    assert alternates["application/atom+xml"]["href"] == base + "atom.xml"
    assert alternates["application/rss+xml"]["title"] == "Signs of Safety newsletter (RSS)"
    assert alternates["application/atom+xml"]["title"] == "Signs of Safety newsletter (Atom)"


def test_subscribe_page_links_to_both_feeds(sample_site: Built) -> None:
    page = "https://signs-of-safety.example.org/subscribe/"
    html = (sample_site.site / "subscribe/index.html").read_text(encoding="utf-8")
    article = html[html.index("<article") : html.index("</article>")]
    targets = {urljoin(page, link) for link in links_in(article).links}
    for name in FEEDS:
        assert f"https://signs-of-safety.example.org/{name}" in targets
        assert (sample_site.site / name).is_file()
    assert "Outlook" in article


def test_sofs_serve_serves_the_feeds_it_advertises(tmp_path: Path) -> None:
    root = fixture_project(tmp_path / "serve", "feeds-issues")
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    process = subprocess.Popen(
        [sys.executable, "-m", "generator.cli", "serve", "--no-drafts", "--dev-addr", f"127.0.0.1:{port}"],
        cwd=root,
        env={**os.environ, "SOFS_TODAY": FIXED_TODAY},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        preexec_fn=hear_interrupts,
    )
    try:
        page = wait_for(base, "application/atom+xml")
        alternates = {a["type"]: a["href"] for a in links_in(page).alternates}
        assert alternates == {
            "application/rss+xml": base + "feed.xml",
            "application/atom+xml": base + "atom.xml",
        }
        for name in FEEDS:
            parsed = feedparser.parse(wait_for(base + name, "issue-2").encode("utf-8"))
            assert parsed.bozo is False
            assert [e.id for e in parsed.entries] == [
                "tag:fixture.example.org,2025:issue-2",
                "tag:fixture.example.org,2025:issue-1",
            ]
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


# --- No feed without an address -----------------------------------------------------------


def _without_site_url(root: Path, replacement: str = "") -> None:
    config = root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert "site_url: https://fixture.example.org/\n" in text
    config.write_text(text.replace("site_url: https://fixture.example.org/\n", replacement), encoding="utf-8")


def test_missing_site_url_is_a_located_error_and_no_feed_is_written(tmp_path: Path) -> None:
    root = fixture_project(tmp_path / "no-url", "feeds-issues")
    _without_site_url(root)
    check = run_sofs(root, "check")
    assert check.returncode == 1
    assert check.stdout.startswith('mkdocs.yml:1: error: "site_url" is missing;')
    assert "[config.site-url]" in check.stdout
    assert "Traceback" not in check.stdout + check.stderr
    built = run_sofs(root, "build")
    assert built.returncode == 1
    assert "Traceback" not in built.stdout + built.stderr
    assert not (root / "site/feed.xml").exists() and not (root / "site/atom.xml").exists()


@pytest.mark.parametrize("bad", ["/newsletter/", "fixture.example.org", "ftp://fixture.example.org/"])
def test_invalid_site_url_is_located_at_its_line(tmp_path: Path, bad: str) -> None:
    root = fixture_project(tmp_path / "bad-url", "feeds-issues")
    _without_site_url(root, f"site_url: {bad}\n")
    line = next(
        n
        for n, text in enumerate((root / "mkdocs.yml").read_text().splitlines(), 1)
        if text.startswith("site_url:")
    )
    check = run_sofs(root, "check")
    assert check.returncode == 1
    assert f'mkdocs.yml:{line}: error: "site_url" should be a full web address' in check.stdout
    assert "[config.site-url]" in check.stdout


def test_build_feeds_makes_nothing_without_a_site_url(tmp_path: Path) -> None:
    site = Site(Settings(tmp_path, site_url=None))
    assert build_feeds(BuildContext(site, Visibility(today=dt.date(2026, 1, 15)))) == {}


def test_a_site_with_no_issues_yet_has_valid_reproducible_feeds(tmp_path: Path) -> None:
    site = Site(Settings(tmp_path, site_url="https://empty.example.org/", mailbox="a@example.org"))
    feeds = build_feeds(BuildContext(site, Visibility(today=dt.date(2026, 1, 15))))
    assert feeds == build_feeds(BuildContext(site, Visibility(today=dt.date(2030, 1, 1))))
    for name in FEEDS:
        parsed = feedparser.parse(feeds[name])
        assert parsed.bozo is False and parsed.entries == []


# --- The link rule itself ------------------------------------------------------------------


@pytest.mark.parametrize(
    "link, expected",
    [
        ("../measures/1-x.md", "https://host.org/news/measures/1-x/"),
        ("../measures/1-x.md#indicators", "https://host.org/news/measures/1-x/#indicators"),
        ("011-next.md", "https://host.org/news/issues/011-next/"),
        ("index.md", "https://host.org/news/issues/"),
        ("../index.md", "https://host.org/news/"),
        ("../images/a b.png", "https://host.org/news/images/a b.png"),
        ("pictures/a.png?v=2", "https://host.org/news/issues/pictures/a.png?v=2"),
        ("#contact-us", "https://host.org/news/issues/010-y/#contact-us"),
        ("", "https://host.org/news/issues/010-y/"),
        ("/elsewhere/", "https://host.org/elsewhere/"),
        ("//cdn.example.org/a.png", "https://cdn.example.org/a.png"),
        ("../../../up.md", "https://host.org/news/up/"),
        ("mailto:someone@example.org?subject=hi", "mailto:someone@example.org?subject=hi"),
        ("http://other.example.org/x", "http://other.example.org/x"),
    ],
)
def test_absolute_url_rule(link: str, expected: str) -> None:
    assert absolute_url(link, "https://host.org/news/", "issues/010-y.md") == expected


def test_entry_id_ignores_everything_editable() -> None:
    loaded = check_project(FIXTURES / "minimal", use_cache=False).site
    settings = replace(loaded.settings, site_url="https://news.example.org/sub/")
    issue = loaded.issues[0]
    edited = replace(issue, title="Two", slug="001-two", summary="Other", date=dt.date(2027, 5, 5), tags=())
    assert entry_id(settings, issue) == entry_id(settings, edited) == "tag:news.example.org,2025:issue-1"
