"""Keyboard and touch in a real browser (Debian's chromium, Playwright), on the sample site:
the menu and search buttons, the closed drawer out of the Tab order, focus never under the
fixed header going forwards or backwards, and acronyms explained on focus and on tap."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from browser_site import chromium, focus_stops, open_page, served, with_probes
from conftest import copy_project, run_sofs
from playwright.sync_api import Browser, Page

ISSUE = "issues/010-meaningful-measures/"


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = copy_project(tmp_path_factory.mktemp("keyboard") / "project")
    result = run_sofs(root, "build")
    assert result.returncode == 0, result.stdout + result.stderr
    with served(root / "site") as address:
        yield address


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as launched:
        yield launched


def _tab_to(page: Page, selector: str, presses: int = 15) -> None:
    for _ in range(presses):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{selector} was not reached with Tab")


@pytest.mark.parametrize("width", [320, 390, 1024])
def test_menu_button_opens_and_closes_the_drawer(width: int, browser: Browser, base_url: str) -> None:
    page = open_page(browser, width)
    try:
        page.goto(base_url + ISSUE)
        drawer = page.locator(".md-sidebar--primary")
        assert drawer.get_attribute("inert") is not None, "the closed drawer is in the Tab order"
        _tab_to(page, "[aria-controls=__drawer]")
        button = page.locator("button[aria-controls=__drawer]")
        assert button.evaluate("b => b === document.activeElement")
        assert button.evaluate("b => b.tagName") == "BUTTON"
        assert button.get_attribute("aria-label") == "Menu"
        assert button.get_attribute("aria-expanded") == "false"
        page.keyboard.press("Enter")
        page.wait_for_function("() => document.activeElement.closest('.md-sidebar--primary') !== null")
        assert button.get_attribute("aria-expanded") == "true"
        assert drawer.get_attribute("inert") is None
        page.wait_for_timeout(400)  # the drawer slides in
        with_probes(page)
        state = page.evaluate("() => window.sofsProbe.focusState()")
        assert not state["offscreen"], state
        page.keyboard.press("Escape")
        page.wait_for_function("() => document.activeElement.matches('[aria-controls=__drawer]')")
        assert drawer.get_attribute("inert") is not None
    finally:
        page.close()


def test_desktop_drawer_stays_in_the_tab_order(browser: Browser, base_url: str) -> None:
    page = open_page(browser, 1280)
    try:
        page.goto(base_url + ISSUE)
        assert page.locator(".md-sidebar--primary").get_attribute("inert") is None
        assert page.locator("[aria-controls=__drawer]").is_hidden()
    finally:
        page.close()


@pytest.mark.parametrize(("address", "least_stops"), [(ISSUE, 40), ("glossary/", 12)])
@pytest.mark.parametrize("width", [320, 390, 1024, 1280])
@pytest.mark.parametrize("key", ["Tab", "Shift+Tab"])
def test_focus_is_never_off_screen_or_under_the_header(
    key: str, width: int, address: str, least_stops: int, browser: Browser, base_url: str
) -> None:
    page = open_page(browser, width)
    try:
        page.goto(base_url + address)
        stops = focus_stops(page, key, 70)
        assert len(stops) >= least_stops
        hidden = [s for s in stops if s["offscreen"] or s["underHeader"]]
        assert hidden == [], f"{key} at {width} px: {hidden[:5]}"
    finally:
        page.close()


def _explanation(page: Page) -> str:
    page.wait_for_selector(".md-tooltip2--active", state="attached")
    return str(page.locator(".md-tooltip2--active").inner_text())


def test_acronym_is_explained_on_keyboard_focus(browser: Browser, base_url: str) -> None:
    page = open_page(browser, 1280)
    try:
        page.goto(base_url + ISSUE)
        _tab_to(page, ".md-content abbr", presses=200)
        assert "Signs of Safety" in _explanation(page)
    finally:
        page.close()


def test_acronym_is_explained_on_tap(browser: Browser, base_url: str) -> None:
    page = open_page(browser, 390, touch=True)
    try:
        page.goto(base_url + ISSUE)
        page.locator(".md-content abbr").first.tap()
        assert "Signs of Safety" in _explanation(page)
    finally:
        page.close()
