"""WCAG 2.2 AA in a real browser: the sample site is built with `sofs build`, served over
HTTP on loopback and checked with axe-core in Debian's chromium, driven by Playwright.

Needs /usr/bin/chromium (`apt-get install chromium`) and axe-core from the npm registry
(`npm ci` in tests/browser/); `.ci/run` installs both. Playwright never downloads a
browser here: it is pointed at the system chromium.
"""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import copy_project, run_sofs
from playwright.sync_api import Browser, Page, sync_playwright

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE = Path(__file__).resolve().parent.parent / "browser" / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

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
    "accessibility statement": "accessibility/",
}

_AXE_RUN = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: "tag", values: tags}});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => n.target.join(" ") + ": " + n.failureSummary.split("\\n").slice(0, 2).join(" "))
  }));
}"""


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def site_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_project(tmp_path_factory.mktemp("browser") / "project")
    result = run_sofs(root, "build")
    assert result.returncode == 0, result.stdout + result.stderr
    return root / "site"


@pytest.fixture(scope="module")
def base_url(site_dir: Path) -> Iterator[str]:
    handler = functools.partial(_QuietHandler, directory=str(site_dir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    assert CHROMIUM.exists(), "Debian's chromium is needed: apt-get install -y chromium (.ci/run does it)"
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture(scope="module")
def axe_source() -> str:
    assert AXE.exists(), "axe-core is needed: run `npm ci` in tests/browser/ (.ci/run does it)"
    return AXE.read_text(encoding="utf-8")


def _open(browser: Browser, width: int = 1280) -> Page:
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.set_default_timeout(20_000)
    return page


def _violations(page: Page, axe_source: str) -> list[dict[str, Any]]:
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=axe_source)
    result: list[dict[str, Any]] = page.evaluate(_AXE_RUN, WCAG_TAGS)
    return result


def _describe(violations: list[dict[str, Any]]) -> str:
    return "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']}\n    " + "\n    ".join(v["nodes"][:5]) for v in violations
    )


@pytest.mark.parametrize("width", [1280, 375], ids=["desktop", "phone"])
@pytest.mark.parametrize("kind", sorted(PAGE_KINDS))
def test_page_kind_has_no_wcag_violations(
    kind: str, width: int, browser: Browser, base_url: str, axe_source: str
) -> None:
    page = _open(browser, width)
    try:
        response = page.goto(base_url + PAGE_KINDS[kind])
        assert response is not None and response.ok, f"{kind} page missing: {PAGE_KINDS[kind]}"
        violations = _violations(page, axe_source)
        assert violations == [], f"{kind} page ({PAGE_KINDS[kind]}):\n{_describe(violations)}"
    finally:
        page.close()


def test_every_page_passes(site_dir: Path, browser: Browser, base_url: str, axe_source: str) -> None:
    pages = sorted(p.parent.relative_to(site_dir).as_posix() for p in site_dir.rglob("index.html"))
    assert len(pages) >= 30
    failures = []
    page = _open(browser)
    try:
        for relative in pages:
            page.goto(base_url + ("" if relative == "." else relative + "/"))
            violations = _violations(page, axe_source)
            if violations:
                failures.append(f"{relative}/:\n{_describe(violations)}")
    finally:
        page.close()
    assert failures == [], "\n".join(failures)


def test_search_finds_issue_10_and_the_harm_matrix(browser: Browser, base_url: str, axe_source: str) -> None:
    page = _open(browser)
    try:
        page.goto(base_url)
        box = page.locator("input.md-search__input")
        box.click()
        box.press_sequentially("harm matrix", delay=20)
        page.wait_for_selector(".md-search-result__item a", state="attached")
        page.wait_for_function("() => document.querySelectorAll('.md-search-result__item a').length > 1")
        links = page.eval_on_selector_all(".md-search-result__item a", "els => els.map(e => e.href)")
        assert any("/issues/010-meaningful-measures/" in href for href in links), links
        assert any("/tools/harm-matrix/" in href for href in links), links
        meta = page.locator(".md-search-result__meta").inner_text()
        assert "matching" in meta.lower(), meta
        violations = _violations(page, axe_source)
        assert violations == [], f"search results:\n{_describe(violations)}"
    finally:
        page.close()
