"""WCAG 2.2 AA in a real browser: the sample site is built with `sofs build`, served over
HTTP on loopback and checked in Debian's chromium, driven by Playwright, at 320, 390,
1,024 and 1,280 px: axe-core with its best practices, reflow (no sideways page scroll),
scrolling regions reachable by keyboard, and no focusable element off the screen.

Needs /usr/bin/chromium and axe-core (`npm ci` in tests/browser/); `.ci/run` installs both.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from browser_site import (
    EMAIL_SKIPPED_RULES,
    WIDTHS,
    axe_violations,
    chromium,
    describe,
    layout_problems,
    open_page,
    page_failures,
    served,
    site_pages,
)
from conftest import copy_project, run_sofs
from playwright.sync_api import Browser

# One page of each kind; every other page is swept by test_every_page_passes.
PAGE_KINDS = {
    "home": "",
    "archive": "issues/",
    "issue": "issues/010-meaningful-measures/",
    "measures index": "measures/",
    "measure": "measures/1-keeping-children-safe/",
    "tools index": "tools/",
    "tool": "tools/harm-matrix/",
    "counting": "counting/",
    "team stories": "feedback/",
    "team story": "issues/010-meaningful-measures/#story-first-contact-family-led-plans",
    "principles": "principles/",
    "glossary": "glossary/",
    "tags": "tags/",
    "accessibility statement": "accessibility/",
}


@pytest.fixture(scope="module")
def site_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_project(tmp_path_factory.mktemp("browser") / "project")
    result = run_sofs(root, "build")
    assert result.returncode == 0, result.stdout + result.stderr
    return root / "site"


@pytest.fixture(scope="module")
def base_url(site_dir: Path) -> Iterator[str]:
    with served(site_dir) as address:
        yield address


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as launched:
        yield launched


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("kind", sorted(PAGE_KINDS))
def test_page_kind_is_accessible(kind: str, width: int, browser: Browser, base_url: str) -> None:
    page = open_page(browser, width)
    try:
        response = page.goto(base_url + PAGE_KINDS[kind])
        assert response is not None and response.ok, f"{kind} page missing: {PAGE_KINDS[kind]}"
        violations = axe_violations(page)
        assert violations == [], f"{kind} page ({PAGE_KINDS[kind]}) at {width} px:\n{describe(violations)}"
        problems = layout_problems(page)
        assert problems == [], f"{kind} page ({PAGE_KINDS[kind]}) at {width} px:\n" + "\n".join(problems)
    finally:
        page.close()


def test_the_sites_email_copy_passes_axe_at_320_px(browser: Browser, base_url: str) -> None:
    """The email as published beside the site (and as subscribers get it), on a small phone:
    axe with best practices but the page-landmark rules a mail client's own page meets."""
    page = open_page(browser, 320)
    try:
        response = page.goto(base_url + "email/010.html")
        assert response is not None and response.ok
        violations = axe_violations(page, EMAIL_SKIPPED_RULES)
        assert violations == [], describe(violations)
        problems = layout_problems(page)
        assert problems == [], "\n".join(problems)
        assert (
            page.get_by_role("article", name="Issue 10: Meaningful measures- counting what counts").count()
            == 1
        )
    finally:
        page.close()


@pytest.mark.parametrize("width", [320, 1280])
def test_every_page_passes(width: int, site_dir: Path, browser: Browser, base_url: str) -> None:
    pages = site_pages(site_dir)
    assert len(pages) >= 30
    failures = page_failures(browser, base_url, pages, width)
    assert failures == [], "\n".join(failures)


@pytest.mark.parametrize("width", [390, 1280])
def test_search_finds_and_announces(width: int, browser: Browser, base_url: str) -> None:
    page = open_page(browser, width)
    try:
        page.goto(base_url)
        dialog = page.locator(".md-search[role=dialog]")
        assert dialog.get_attribute("aria-label"), "the search dialog has no name"
        page.keyboard.press("Tab")  # the skip link, then the header's controls
        for _ in range(12):
            if page.evaluate(
                "() => document.activeElement.matches('.md-search__input, [aria-controls=__search]')"
            ):
                break
            page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.matches('[aria-controls=__search]')"):
            page.keyboard.press("Enter")  # the search button on a phone
        page.wait_for_function("() => document.activeElement.matches('.md-search__input')")
        page.keyboard.type("harm matrix", delay=20)
        page.wait_for_function("() => document.querySelectorAll('.md-search-result__item a').length > 1")
        links = page.eval_on_selector_all(".md-search-result__item a", "els => els.map(e => e.href)")
        assert any("/issues/010-meaningful-measures/" in href for href in links), links
        assert any("/tools/harm-matrix/" in href for href in links), links
        live = page.locator("[aria-live=polite]", has_text="matching")
        assert live.count() == 1, "the number of results is not in a live region"
        assert "matching" in live.inner_text().lower()
        if width < 960:  # the search is an overlay: Escape closes it and focus goes back to its button
            page.keyboard.press("Escape")
            page.wait_for_function(
                "() => document.activeElement.matches('.md-header__button[aria-controls=__search]')"
            )
            page.keyboard.press("Enter")
            page.wait_for_function("() => document.activeElement.matches('.md-search__input')")
        violations = axe_violations(page)
        assert violations == [], f"search results at {width} px:\n{describe(violations)}"
    finally:
        page.close()


def test_counting_page_prints_every_column(browser: Browser, base_url: str) -> None:
    page = open_page(browser, 680)  # about the width of A4 paper inside its margins
    try:
        page.goto(base_url + "counting/")
        page.emulate_media(media="print")
        cut = page.evaluate(
            """() => [...document.querySelectorAll('.md-content table')].flatMap(table => {
              const cells = [...table.querySelectorAll('th, td')];
              return cells.filter(c => c.getBoundingClientRect().right > innerWidth + 1
                  || c.closest('[role=region], .md-typeset__scrollwrap') &&
                     c.getBoundingClientRect().right > c.closest('[role=region], .md-typeset__scrollwrap')
                       .getBoundingClientRect().right + 1)
                .map(c => c.textContent.trim().slice(0, 30));
            })"""
        )
        assert cut == [], f"cut off when printed: {cut}"
    finally:
        page.close()
