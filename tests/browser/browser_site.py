"""Shared parts of the browser tests: a built site served on loopback, Debian's chromium
driven by Playwright, axe-core, the Nu HTML checker and the page probes (`probe.js`).

Needs /usr/bin/chromium, /usr/bin/java and `npm ci` in tests/browser/ (axe-core,
vnu-jar); `.ci/run` installs them. Playwright never downloads a browser here.
"""

from __future__ import annotations

import functools
import http.server
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, Page, sync_playwright

HERE = Path(__file__).resolve().parent
CHROMIUM = Path("/usr/bin/chromium")
JAVA = Path("/usr/bin/java")
AXE = HERE / "node_modules" / "axe-core" / "axe.min.js"
VNU = HERE / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
PROBE = HERE / "probe.js"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
#: The widths the newsletter is checked at: small and common phones, a tablet or zoomed
#: laptop (the navigation is a drawer below 1,220 px), a desktop.
WIDTHS = (320, 390, 1024, 1280)
#: axe-core rules: WCAG 2.2 A and AA, and axe's best practices.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]

_AXE_RUN = """async ([tags, skipped]) => {
  const rules = Object.fromEntries(skipped.map(id => [id, {enabled: false}]));
  const result = await axe.run(document, {runOnly: {type: "tag", values: tags}, rules});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => n.target.join(" ") + ": " + n.failureSummary.split("\\n").slice(0, 2).join(" "))
  }));
}"""

#: Elements a keyboard user can reach (not inert, not hidden) that lie off the screen to
#: the left or right, where no scrolling brings them (a closed drawer), unlike the columns
#: of a wide table in a region that scrolls sideways.
_OFFSCREEN_FOCUSABLES = """() => {
  const selector = "a[href], button, input, select, textarea, summary, [tabindex]";
  return [...document.querySelectorAll(selector)].filter(el => {
    if (el.tabIndex < 0 || el.disabled || el.closest("[inert]")) return false;
    const style = getComputedStyle(el);
    if (style.visibility === "hidden" || el.getClientRects().length === 0) return false;
    const r = el.getBoundingClientRect();
    if (r.right > 0 && r.left < innerWidth) return false;
    // Inside a region that scrolls sideways and is on the screen itself, it is reached by
    // scrolling that region (focus does it).
    for (let box = el.parentElement; box && box !== document.body; box = box.parentElement) {
      if (!/(auto|scroll)/.test(getComputedStyle(box).overflowX)) continue;
      const b = box.getBoundingClientRect();
      if (b.right > 0 && b.left < innerWidth) return false;
    }
    return true;
  }).map(el => el.tagName.toLowerCase() + "." + String(el.className).split(" ")[0] + " "
    + (el.getAttribute("aria-label") || el.textContent || "").trim().slice(0, 40));
}"""


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def served(site: Path) -> Iterator[str]:
    """The folder `site` served over HTTP on loopback; yields its address, ending in `/`."""
    handler = functools.partial(_QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@contextmanager
def chromium() -> Iterator[Browser]:
    """Debian's chromium, started by Playwright."""
    assert CHROMIUM.exists(), "Debian's chromium is needed: apt-get install -y chromium (.ci/run does it)"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def open_page(browser: Browser, width: int, *, touch: bool = False) -> Page:
    """A new tab `width` pixels wide (and 800 high)."""
    page = browser.new_page(viewport={"width": width, "height": 800}, has_touch=touch)
    page.set_default_timeout(20_000)
    return page


def with_probes(page: Page) -> None:
    """Load axe-core and `probe.js` into the page (once)."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        assert AXE.exists(), "axe-core is needed: run `npm ci` in tests/browser/ (.ci/run does it)"
        page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
        page.add_script_tag(content=PROBE.read_text(encoding="utf-8"))


#: axe's best practices that do not apply to an email: a mail client shows it inside its
#: own page, whose main landmark and regions hold it (a second main landmark would be wrong).
EMAIL_SKIPPED_RULES = ("landmark-one-main", "region")


def axe_violations(page: Page, skipped: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    """axe-core's violations (WCAG 2.2 AA and best practice, but the `skipped` rules) on the
    page as it is now."""
    with_probes(page)
    result: list[dict[str, Any]] = page.evaluate(_AXE_RUN, [AXE_TAGS, list(skipped)])
    return result


def describe(violations: list[dict[str, Any]]) -> str:
    """axe's violations, one rule a line with up to five of its elements."""
    return "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']}\n    " + "\n    ".join(v["nodes"][:5]) for v in violations
    )


def layout_problems(page: Page) -> list[str]:
    """What keeps the page from reflowing or being used by keyboard at its width: a page wider
    than the window, scrolling regions without a name or Tab stop, focusable elements off
    the screen sideways."""
    with_probes(page)
    layout = page.evaluate("() => window.sofsProbe.layout()")
    problems = [f"scroll region not reachable by keyboard: {region}" for region in layout["unreachable"]]
    if layout["overflow"]:
        problems.append(f"page is {layout['pageWidth']} px wide in a {layout['viewport']} px window")
    problems += [f"focusable but off-screen: {name}" for name in page.evaluate(_OFFSCREEN_FOCUSABLES)]
    return problems


def page_failures(browser: Browser, base_url: str, pages: list[str], width: int) -> list[str]:
    """Each axe violation and layout problem of `pages` (addresses under `base_url`) at
    `width`, one message per page and problem, naming both."""
    failures: list[str] = []
    page = open_page(browser, width)
    try:
        for relative in pages:
            page.goto(base_url + relative)
            violations = axe_violations(page)
            if violations:
                failures.append(f"{relative} at {width} px:\n{describe(violations)}")
            failures += [f"{relative} at {width} px: {problem}" for problem in layout_problems(page)]
    finally:
        page.close()
    return failures


def focus_stops(page: Page, key: str, presses: int) -> list[dict[str, Any]]:
    """Press `key` (Tab or Shift+Tab) from the top of the page up to `presses` times and say
    where each focused element was: off-screen, or under the fixed header."""
    page.wait_for_load_state("networkidle")  # Material's late start-up must not move focus mid-walk
    with_probes(page)
    page.evaluate("() => { document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0); }")
    stops: list[dict[str, Any]] = []
    for _ in range(presses):
        page.keyboard.press(key)
        state = page.evaluate("() => window.sofsProbe.focusState()")
        if state is None:
            break
        stops.append(state)
    return stops


def nu_errors(files: list[Path]) -> list[str]:
    """The Nu HTML checker's errors on `files`, checked in one java call."""
    assert JAVA.exists(), "java is needed: apt-get install -y default-jre-headless (.ci/run does it)"
    assert VNU.exists(), "vnu-jar is needed: run `npm ci` in tests/browser/ (.ci/run does it)"
    result = subprocess.run(
        [str(JAVA), "-jar", str(VNU), "--errors-only", "--format", "gnu", *map(str, files)],
        capture_output=True,
        text=True,
        check=False,
        timeout=900,
    )
    return [line for line in (result.stdout + result.stderr).splitlines() if ": error" in line]


def site_pages(site: Path) -> list[str]:
    """The address of every page of the built `site`, relative to its root ("" is the home page)."""
    pages = sorted(p.parent.relative_to(site).as_posix() for p in site.rglob("index.html"))
    return ["" if p == "." else p + "/" for p in pages]


def html_files(site: Path) -> list[Path]:
    """Every HTML file of `site`: the pages, 404.html and the email copies (`email/NNN.html`)."""
    return sorted(site.rglob("*.html"))
