"""SHA-256 fingerprints of what a publication puts online, read back from the built site.

Each fingerprint is the SHA-256 (hex) of exact bytes, defined so anyone can recompute it:

- `page`: the whole file of the issue's page, `site/issues/<slug>/index.html`.
- `page_text`: the words of the issue as its page shows them: the text inside the page's
  `<article>` element, up to the "More issues" heading (links to newer issues appear
  there later), with every run of white space made one space, UTF-8 encoded. It tells a
  changed issue from a page whose menus changed because other pages were added.
- `feed_entry`: the issue's `<item>` in `site/feed.xml`: the feed is put in canonical form
  (C14N 2.0, `xml.etree.ElementTree.canonicalize` with `strip_text=True`, which trims
  white space around text), and the bytes from that item's `<item>` to its `</item>`,
  UTF-8 encoded, are hashed. The item is the one whose `<guid>` is the issue's entry id
  (`tag:HOST,2025:issue-N`). Canonical form makes the hash independent of attribute order
  and indentation, but not of any change in what the entry says.
- `email_html`, `email_text`: the files `site/email/NNN.html` and `NNN.txt`, which are
  the exact bodies sent to subscribers.

A fingerprint whose file (or feed item) is missing is None.
"""

from __future__ import annotations

import hashlib
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from ..content.model import Issue
from ..generate.email_copies import email_copy_paths
from ..generate.feeds import RSS_FILE, entry_id
from ..generate.urls import page_file as built_page
from ..settings.reader import Settings

NAMES = ("page", "page_text", "feed_entry", "email_html", "email_text")
LABELS = {
    "page": "web page",
    "page_text": "issue text on the page",
    "feed_entry": "feed entry",
    "email_html": "email (HTML)",
    "email_text": "email (plain text)",
}
MORE_ISSUES_ID = "more-issues"
_ITEM = re.compile(r"<item>.*?</item>", re.DOTALL)


@dataclass(frozen=True)
class Fingerprint:
    """One artefact: where it is (relative to the project) and its SHA-256, or None if absent."""

    name: str
    path: str
    sha256: str | None


def sha256(data: bytes) -> str:
    """The SHA-256 of `data` in hex."""
    return hashlib.sha256(data).hexdigest()


def page_file(settings: Settings, issue: Issue) -> str:
    """The built page of an issue, relative to the project folder."""
    return f"{settings.site_dir}/{built_page(issue.page_path, settings.use_directory_urls)}"


def fingerprints(root: Path, settings: Settings, issue: Issue) -> dict[str, Fingerprint]:
    """Every fingerprint of `issue` as the site in `root` holds it now."""
    site_dir = settings.site_dir
    page = page_file(settings, issue)
    email_html, email_text = (f"{site_dir}/{path}" for path in email_copy_paths(issue.number))
    feed = f"{site_dir}/{RSS_FILE}"
    page_bytes = _read(root / page)
    feed_bytes = _read(root / feed)
    return {
        "page": Fingerprint("page", page, _hash(page_bytes)),
        "page_text": Fingerprint("page_text", page, _hash(_page_text(page_bytes))),
        "feed_entry": Fingerprint(
            "feed_entry", feed, _hash(_feed_item(feed_bytes, entry_id(settings, issue)))
        ),
        "email_html": Fingerprint("email_html", email_html, _hash(_read(root / email_html))),
        "email_text": Fingerprint("email_text", email_text, _hash(_read(root / email_text))),
    }


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


def _hash(data: bytes | None) -> str | None:
    return None if data is None else sha256(data)


def _feed_item(feed: bytes | None, guid: str) -> bytes | None:
    """The canonical bytes of the item with `guid` (see the module's definition)."""
    if feed is None:
        return None
    try:
        canonical = ET.canonicalize(xml_data=feed.decode("utf-8"), strip_text=True)
    except (ET.ParseError, UnicodeDecodeError, ValueError):
        return None
    wanted = f">{_escape(guid)}</guid>"
    for match in _ITEM.finditer(canonical):
        if wanted in match.group(0):
            return match.group(0).encode("utf-8")
    return None


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class _ArticleText(HTMLParser):
    """Collects the text of the first `<article>`, stopping at the "More issues" heading."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.done = False
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.done:
            return
        if tag == "article":
            self.depth += 1
        elif self.depth and tag == "h2" and dict(attrs).get("id") == MORE_ISSUES_ID:
            self.done = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "article" and self.depth and not self.done:
            self.depth -= 1
            self.done = self.depth == 0

    def handle_data(self, data: str) -> None:
        if self.depth and not self.done:
            self.parts.append(data)


def _page_text(page: bytes | None) -> bytes | None:
    """The issue's words on its page (see the module's definition)."""
    if page is None:
        return None
    parser = _ArticleText()
    parser.feed(page.decode("utf-8", "replace"))
    parser.close()
    if not parser.parts:
        return None
    return " ".join("".join(parser.parts).split()).encode("utf-8")
