"""`sofs build --renderer zensical` gives the site MkDocs gives: the same pages at the same
addresses, issue 10 as printed, search that finds it, the same feeds and emails, the
theme's overrides, and pages that pass axe at a phone's and a desktop's width.

The sample is built once with each renderer for the whole module (the Zensical build's
time is printed with `-s`)."""

from __future__ import annotations

import json
import re
import shutil
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import copy_project, run_sofs
from playwright.sync_api import Browser
from seed_text import differences, visible_text

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "browser"))
from browser_site import chromium, page_failures, served

#: Files only one renderer writes, each with why. Everything else must be in both sites.
ONLY_MKDOCS = {
    "search/search_index.json": "MkDocs' search index (Zensical's is search.json)",
    "sitemap.xml.gz": "a compressed copy of the sitemap",
}
ONLY_ZENSICAL = {
    "search.json": "Zensical's search index",
}
#: The theme's own scripts, styles, fonts and icons: each renderer ships its own bundles
#: under names of its own. The project's assets (a11y.js, a11y.css, sofs.css) are compared.
THEME_BUNDLES = ("assets/javascripts/bundle.", "assets/javascripts/workers/", "assets/javascripts/lunr/")
THEME_BUNDLE_FOLDERS = (
    "assets/stylesheets/main.",
    "assets/stylesheets/palette.",
    "assets/stylesheets/classic/",
    "assets/stylesheets/modern/",
    "assets/javascripts/LICENSE",
)
PROJECT_ASSETS = (
    "assets/javascripts/a11y.js",
    "assets/stylesheets/a11y.css",
    "assets/stylesheets/sofs.css",
)

ISSUE_10 = "issues/010-meaningful-measures/"


@dataclass(frozen=True)
class Sites:
    mkdocs: Path
    zensical: Path
    project: Path
    zensical_seconds: float


def files_of(site: Path) -> set[str]:
    return {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}


def theme_bundle(name: str) -> bool:
    return name.startswith(THEME_BUNDLES + THEME_BUNDLE_FOLDERS) and name not in PROJECT_ASSETS


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> Sites:
    root = copy_project(tmp_path_factory.mktemp("renderers") / "project")
    built = run_sofs(root, "build")
    assert built.returncode == 0, built.stdout + built.stderr
    mkdocs_site = root.parent / "mkdocs-site"
    shutil.copytree(root / "site", mkdocs_site)
    started = time.perf_counter()
    built = run_sofs(root, "build", "--renderer", "zensical")
    seconds = time.perf_counter() - started
    assert built.returncode == 0, built.stdout + built.stderr
    assert "Traceback" not in built.stderr
    print(f"\nZensical build of the sample through sofs: {seconds:.2f} s")
    return Sites(mkdocs_site, root / "site", root, seconds)


def test_both_renderers_write_the_same_pages_and_files(sites: Sites) -> None:
    mkdocs = {name for name in files_of(sites.mkdocs) if not theme_bundle(name)}
    zensical = {name for name in files_of(sites.zensical) if not theme_bundle(name)}
    assert mkdocs - zensical == set(ONLY_MKDOCS), "only in the MkDocs site"
    assert zensical - mkdocs == set(ONLY_ZENSICAL), "only in the Zensical site"
    pages = {name for name in mkdocs if name.endswith(".html")}
    assert len(pages) > 40 and f"{ISSUE_10}index.html" in pages and "404.html" in pages


def test_the_sitemaps_list_the_same_addresses(sites: Sites) -> None:
    def addresses(site: Path) -> list[str]:
        return sorted(re.findall(r"<loc>([^<]+)</loc>", (site / "sitemap.xml").read_text(encoding="utf-8")))

    assert addresses(sites.zensical) == addresses(sites.mkdocs)


def article_text(page: Path) -> str | None:
    found = re.search(r"<article\b.*?</article>", page.read_text(encoding="utf-8"), flags=re.DOTALL)
    return visible_text(found.group(0)) if found else None


def test_every_page_reads_the_same(sites: Sites) -> None:
    pages = sorted(name for name in files_of(sites.mkdocs) if name.endswith(".html"))
    differing = [
        name for name in pages if article_text(sites.mkdocs / name) != article_text(sites.zensical / name)
    ]
    assert differing == [], "pages whose text differs between the renderers"


def test_issue_10_follows_the_printed_issue(sites: Sites) -> None:
    html = (sites.zensical / ISSUE_10 / "index.html").read_text(encoding="utf-8")
    assert differences(visible_text(html)) == [], "the page follows the printed issue phrase by phrase"
    assert "<title>Issue 10: Meaningful measures" in html


def test_search_finds_issue_10(sites: Sites) -> None:
    index = json.loads((sites.zensical / "search.json").read_text(encoding="utf-8"))
    hits = {
        item["location"].split("#")[0]
        for item in index["items"]
        if "Signs of Wellbeing" in item.get("text", "") or "Signs of Wellbeing" in item.get("title", "")
    }
    assert ISSUE_10 in hits
    titles = {item["location"]: item["title"] for item in index["items"]}
    assert titles[ISSUE_10].startswith("Issue 10")


def test_feeds_and_emails_are_the_same_bytes(sites: Sites) -> None:
    shared = [name for name in files_of(sites.mkdocs) if name.endswith(".xml") and "sitemap" not in name]
    shared += [name for name in files_of(sites.mkdocs) if name.startswith("email/")]
    assert {"feed.xml", "atom.xml"} <= set(shared) and any(n.startswith("email/") for n in shared)
    for name in shared:
        assert (sites.zensical / name).read_bytes() == (sites.mkdocs / name).read_bytes(), name


def test_the_theme_overrides_and_markup_fixes_are_applied(sites: Sites) -> None:
    for name in (f"{ISSUE_10}index.html", "index.html", "404.html"):
        html = (sites.zensical / name).read_text(encoding="utf-8")
        assert "assets/javascripts/a11y.js" in html and "assets/stylesheets/a11y.css" in html, name
        assert 'class="md-footer sofs-footer"' in html and "sofs-masthead" in html, name
        assert 'rel="alternate" type="application/rss+xml"' in html, name
        checkboxes = re.findall(r"<input\b[^<>]*type=\"checkbox\"[^<>]*>", html)
        assert checkboxes and not any("autocomplete" in box for box in checkboxes), name
    for asset in PROJECT_ASSETS:
        assert (sites.zensical / asset).read_bytes() == (sites.mkdocs / asset).read_bytes(), asset
    measure = (sites.zensical / "measures/1-keeping-children-safe/index.html").read_text(encoding="utf-8")
    assert 'aria-label="Breadcrumb"' in measure and "Meaningful measures" in measure


def test_a_rebuild_keeps_the_site_whole_and_uses_the_kept_tree(sites: Sites) -> None:
    before = files_of(sites.zensical)
    built = run_sofs(sites.project, "build", "--renderer", "zensical")
    assert built.returncode == 0, built.stdout + built.stderr
    assert files_of(sites.zensical) == before
    assert (sites.project / ".cache/sofs/zensical/mkdocs.yml").is_file()
    assert not (sites.project / ".cache/sofs/zensical/site").exists()


@pytest.fixture(scope="module")
def zensical_url(sites: Sites) -> Iterator[str]:
    with served(sites.zensical) as address:
        yield address


PAGE_KINDS = [
    "",
    "issues/",
    ISSUE_10,
    "measures/",
    "measures/1-keeping-children-safe/",
    "tools/",
    "tools/harm-matrix/",
    "counting/",
    "feedback/",
    "principles/",
    "glossary/",
    "tags/",
    "accessibility/",
    "404.html",
]


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as launched:
        yield launched


@pytest.mark.parametrize("width", [390, 1280])
def test_page_kinds_pass_axe_on_the_zensical_site(width: int, browser: Browser, zensical_url: str) -> None:
    failures = page_failures(browser, zensical_url, PAGE_KINDS, width)
    assert failures == [], "\n".join(failures)
