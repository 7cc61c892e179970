"""Accessibility sweep of a built site: axe-core (WCAG 2.2 AA and best practice), reflow,
keyboard-unreachable scroll regions, a keyboard walk (off-screen focus, focus under the
header) at 320, 390, 1024 and 1280 px in Debian's chromium on every page, axe and reflow
on every email copy (`email/NNN.html`, without the two page-landmark rules a mail
client's own page meets), and the Nu HTML checker over every HTML file in one java call.

    python benchmarks/gen_corpus.py --issues 400 --out /tmp/corpus-400
    (cd /tmp/corpus-400 && SOFS_TODAY=2099-12-31 sofs build)
    python benchmarks/a11y_sweep.py /tmp/corpus-400/site --walk-limit 0

The Nu part alone is one command (what tests/browser/test_nu_checker.py runs):

    java -jar tests/browser/node_modules/vnu-jar/build/dist/vnu.jar --errors-only \
        --format gnu $(find /tmp/corpus-400/site -name '*.html')

Needs tests/browser/node_modules (`npm ci` there) and /usr/bin/chromium and java.
Prints a summary and writes the details as JSON with --json.
"""

from __future__ import annotations

import argparse
import collections
import functools
import http.server
import json
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

from playwright.sync_api import Page, sync_playwright

REPO = Path(__file__).resolve().parent.parent
BROWSER_TOOLS = REPO / "tests" / "browser"
AXE = BROWSER_TOOLS / "node_modules" / "axe-core" / "axe.min.js"
VNU = BROWSER_TOOLS / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
PROBE = BROWSER_TOOLS / "probe.js"
WIDTHS = (320, 390, 1024, 1280)
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]

#: axe's best practices a mail client's own page meets for the email it shows.
EMAIL_SKIPPED_RULES = ["landmark-one-main", "region"]

AXE_RUN = """async ([tags, skipped]) => {
  const rules = Object.fromEntries(skipped.map(id => [id, {enabled: false}]));
  const result = await axe.run(document, {runOnly: {type: "tag", values: tags}, rules});
  return result.violations.map(v => ({id: v.id, nodes: v.nodes.map(n => n.target.join(" "))}));
}"""


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


def nu_errors(site: Path) -> list[str]:
    """Every Nu HTML checker error over all HTML files of `site`, in one java call."""
    files = sorted(str(p) for p in site.rglob("*.html"))
    result = subprocess.run(
        ["/usr/bin/java", "-jar", str(VNU), "--errors-only", "--format", "gnu", *files],
        capture_output=True,
        text=True,
        check=False,
    )
    return [line for line in (result.stdout + result.stderr).splitlines() if ": error" in line]


def keyboard_walk(page: Page, key: str, limit: int) -> dict[str, list[str]]:
    """Press `key` up to `limit` times; list focus stops that are off-screen or under the header."""
    found: dict[str, list[str]] = {"offscreen": [], "under_header": []}
    page.evaluate("() => { document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0); }")
    seen: set[str] = set()
    for _ in range(limit):
        page.keyboard.press(key)
        state = page.evaluate("() => window.sofsProbe.focusState()")
        if state is None:
            break
        name = f"{state['tag']}.{state['cls'].split(' ')[0]} {state['label']!r}"
        if state["offscreen"]:
            found["offscreen"].append(name)
        if state["underHeader"]:
            found["under_header"].append(name)
        key_id = page.evaluate(
            "() => { const e = document.activeElement; return e.outerHTML.slice(0, 200) + e.getBoundingClientRect().top; }"
        )
        if key_id in seen and len(seen) > 3:
            break
        seen.add(key_id)
    return found


def sweep(site: Path, widths: tuple[int, ...], walk_limit: int, pages_filter: str | None) -> dict[str, Any]:
    pages = sorted(p.parent.relative_to(site).as_posix() for p in site.rglob("index.html"))
    pages = [("" if p == "." else p + "/") for p in pages if p != "404"]
    emails = sorted(p.relative_to(site).as_posix() for p in (site / "email").glob("*.html"))
    if pages_filter:
        pages = [p for p in pages if pages_filter in p]
        emails = [p for p in emails if pages_filter in p]
    handler = functools.partial(_QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    axe_source = AXE.read_text(encoding="utf-8")
    probe = PROBE.read_text(encoding="utf-8")
    report: dict[str, Any] = {
        "pages": len(pages),
        "emails": len(emails),
        "widths": list(widths),
        "axe": {},
        "overflow": [],
        "unreachable": [],
        "offscreen": [],
        "under_header": [],
    }
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        for width in widths:
            page = browser.new_page(viewport={"width": width, "height": 800})
            for relative in pages + emails:
                is_email = relative in emails
                page.goto(base + relative)
                page.add_script_tag(content=axe_source)
                page.add_script_tag(content=probe)
                skipped = EMAIL_SKIPPED_RULES if is_email else []
                for violation in page.evaluate(AXE_RUN, [AXE_TAGS, skipped]):
                    report["axe"].setdefault(violation["id"], []).append(
                        f"{width} {relative} {violation['nodes'][:3]}"
                    )
                layout = page.evaluate("() => window.sofsProbe.layout()")
                if layout["overflow"]:
                    report["overflow"].append(f"{width} {relative} {layout['pageWidth']}px")
                for region in layout["unreachable"]:
                    report["unreachable"].append(f"{width} {relative} {region}")
                if walk_limit and not is_email:
                    forward = keyboard_walk(page, "Tab", walk_limit)
                    backward = keyboard_walk(page, "Shift+Tab", walk_limit)
                    report["offscreen"] += [f"{width} {relative} {n}" for n in forward["offscreen"]]
                    report["under_header"] += [
                        f"{width} {relative} {n}" for n in backward["under_header"] + forward["under_header"]
                    ]
            page.close()
        browser.close()
    server.shutdown()
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("site", type=Path)
    parser.add_argument(
        "--walk-limit", type=int, default=250, help="Tab presses per page and direction (0: no walk)"
    )
    parser.add_argument("--widths", default=",".join(map(str, WIDTHS)))
    parser.add_argument("--only", default=None, help="only pages whose path contains this")
    parser.add_argument("--no-nu", action="store_true")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    started = time.monotonic()
    widths = tuple(int(w) for w in args.widths.split(","))
    report = sweep(args.site, widths, args.walk_limit, args.only)
    if not args.no_nu:
        errors = nu_errors(args.site)
        report["nu"] = errors
        messages = collections.Counter(e.split(": error: ", 1)[-1] for e in errors)
        print(f"Nu errors: {len(errors)}")
        for message, count in messages.most_common(8):
            print(f"  {count:5} {message[:120]}")
    violations = sum(len(v) for v in report["axe"].values())
    print(f"pages: {report['pages']} and email copies: {report['emails']}, x widths {widths}")
    print(f"axe violations (page x width x rule): {violations}")
    for rule, where in sorted(report["axe"].items()):
        print(f"  {rule}: {len(where)}  e.g. {where[0][:160]}")
    for key in ("overflow", "unreachable", "offscreen", "under_header"):
        print(f"{key}: {len(report[key])}" + (f"  e.g. {report[key][:3]}" if report[key] else ""))
    print(f"took {time.monotonic() - started:.0f} s")
    if args.json:
        args.json.write_text(json.dumps(report, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
