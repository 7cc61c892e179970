"""`sofs build --offline`: the site opened from a folder (file://) in Debian's chromium has
links that go to pages and a search that works, while its feeds still link to the
published site."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from browser_site import chromium, open_page
from conftest import copy_project, run_sofs

SITE_URL = "https://signs-of-safety.example.org/"


@pytest.fixture(scope="module")
def offline_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_project(tmp_path_factory.mktemp("offline") / "project")
    result = run_sofs(root, "build", "--offline")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "open index.html" in result.stdout
    return root / "site"


def test_every_link_goes_to_a_page_not_a_folder(offline_site: Path) -> None:
    pages = sorted(offline_site.rglob("*.html"))
    assert len(pages) >= 30
    broken = []
    for page in pages:
        if page.relative_to(offline_site).parts[0] == "email" or page.name == "404.html":
            continue  # an email, and the page only a web server shows
        for href in re.findall(r'<a [^>]*href="([^"]+)"', page.read_text(encoding="utf-8")):
            parts = urlsplit(href)
            if parts.scheme or href.startswith(("#", "mailto:")):
                continue
            target = (page.parent / unquote(parts.path)).resolve()
            if not target.is_file():
                broken.append(f"{page.relative_to(offline_site)}: {href}")
    assert broken == [], "\n".join(broken[:20])


def test_feeds_still_link_to_the_published_site(offline_site: Path) -> None:
    feed = (offline_site / "feed.xml").read_text(encoding="utf-8")
    links = re.findall(r"<link>([^<]+)</link>", feed)
    assert links and all(link.startswith(SITE_URL) for link in links), links
    assert all(not link.endswith(".html") for link in links), links


def test_opened_from_disk_links_and_search_work(offline_site: Path) -> None:
    with chromium() as browser:
        page = open_page(browser, 1280)
        page.goto((offline_site / "index.html").as_uri())
        page.locator(".md-content a[href$='.html']").first.click()
        assert page.url.endswith(".html") and page.locator("h1").count() == 1
        page.goto((offline_site / "index.html").as_uri())
        page.locator(".md-content a[href='issues/index.html']").first.click()  # All issues
        page.locator(".md-content a[href*='010-meaningful-measures']").first.click()
        assert page.url.endswith("/issues/010-meaningful-measures.html"), page.url
        box = page.locator("input.md-search__input")
        box.click()
        box.press_sequentially("harm matrix", delay=20)
        page.wait_for_function("() => document.querySelectorAll('.md-search-result__item a').length > 1")
        assert "matching" in page.locator(".md-search-result__meta").inner_text().lower()
        target = page.locator(".md-search-result__item a").first
        assert "tools/harm-matrix.html" in str(target.get_attribute("href"))
        target.click()
        assert "Harm matrix" in page.title()
        page.close()
