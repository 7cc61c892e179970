"""Pictures of the newsletter for reviewers: the home page, an issue, a guide page, the
counting page and the email edition, each at phone (390 px) and desktop (1280 px) width.

    python scripts/screenshots.py                  # builds the sample into a temporary copy
    python scripts/screenshots.py --out docs/screenshots --issue 10 --full-page

It copies the project (content, templates, mkdocs.yml) to a temporary folder, builds it with
`sofs build` and renders issue N's email there, serves the site on 127.0.0.1 and opens each
page in Debian's chromium (/usr/bin/chromium) through Playwright; nothing in the project is
written except the PNG files. PNGs are saved as 8-bit palette images (Pillow) to keep the
repository small. Needs `pip install playwright pillow` and `apt-get install chromium`.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]
WIDTHS = {"phone": 390, "desktop": 1280}
#: Each picture: its name and the page, relative to the site (the email is `email/NNN.html`).
PAGES = {
    "home": "",
    "issue": "issues/{slug}/",
    "guide": "measures/1-keeping-children-safe/",
    "counting": "counting/",
    "email": "email/{number:03d}.html",
}
#: A picture this tall at most (CSS pixels); a full page is cut there.
MAX_HEIGHT = {"phone": 1800, "desktop": 1400}
PROJECT_PARTS = ("content", "templates", "mkdocs.yml", "pyproject.toml")


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def _served(folder: Path) -> Iterator[str]:
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def _sofs(project: Path, *args: str, today: str) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "SOFS_TODAY": today}
    done = subprocess.run(
        [sys.executable, "-m", "generator.cli", *args], cwd=project, env=env, capture_output=True, text=True
    )
    if done.returncode != 0:
        raise SystemExit(f"sofs {' '.join(args)} failed:\n{done.stdout}{done.stderr}")


def _build(project: Path, number: int, today: str) -> None:
    for part in PROJECT_PARTS:
        source = ROOT / part
        if source.is_dir():
            shutil.copytree(source, project / part)
        elif source.exists():
            shutil.copy2(source, project / part)
    _sofs(project, "build", today=today)
    _sofs(project, "email", "render", str(number), "--out", str(project / "site" / "email"), today=today)


def _optimise(path: Path) -> None:
    """Save the PNG as a 256-colour palette image: a third of the size, no visible change for text."""
    try:
        from PIL import Image
    except ImportError:  # pragma: no cover - Pillow is optional
        return
    with Image.open(path) as image:
        small = image.convert("RGB").quantize(
            colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE
        )
    small.save(path, optimize=True)


def take(out: Path, number: int, today: str, full_page: bool) -> list[Path]:
    """Build the sample and write one PNG per page and width into `out`; returns them."""
    from playwright.sync_api import FloatRect, sync_playwright

    if not CHROMIUM.exists():
        raise SystemExit("Debian's chromium is needed: apt-get install -y chromium")
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    with tempfile.TemporaryDirectory(prefix="sofs-shots-") as temporary:
        project = Path(temporary) / "project"
        project.mkdir()
        _build(project, number, today)
        slug = next((project / "site" / "issues").glob(f"{number:03d}-*")).name
        with _served(project / "site") as base, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            try:
                for device, width in WIDTHS.items():
                    page = browser.new_page(viewport={"width": width, "height": 900}, device_scale_factor=1)
                    for name, address in PAGES.items():
                        page.goto(base + address.format(slug=slug, number=number), wait_until="networkidle")
                        page.add_style_tag(content="*{caret-color:transparent!important}")
                        target = out / f"{name}-{device}.png"
                        height = min(
                            MAX_HEIGHT[device], page.evaluate("document.documentElement.scrollHeight")
                        )
                        clip = FloatRect(x=0, y=0, width=width, height=height if full_page else 900)
                        page.screenshot(path=str(target), full_page=full_page, clip=clip)
                        _optimise(target)
                        written.append(target)
                    page.close()
            finally:
                browser.close()
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots", help="folder for the PNGs")
    parser.add_argument("--issue", type=int, default=10, help="the issue to show (default 10)")
    parser.add_argument("--today", default="2026-01-01", help="the day the site is built for (SOFS_TODAY)")
    parser.add_argument("--full-page", action="store_true", help="the whole page (cut at a few screens)")
    args = parser.parse_args(argv)
    for path in take(args.out, args.issue, args.today, args.full_page):
        print(
            f"{path.relative_to(Path.cwd()) if path.is_relative_to(Path.cwd()) else path} "
            f"({path.stat().st_size // 1024} KB)"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
