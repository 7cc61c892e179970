"""The email reflows on a phone: opened in Debian's chromium (Playwright) at 320 and 375
px, neither the sample's issue 10 nor an issue with a wide five-column table, a long
address and a picture makes the page wider than the screen.

Needs /usr/bin/chromium (`.ci/run` installs it); Playwright is pointed at it and never
downloads a browser.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import lxml.html
import pytest
from conftest import copy_project, run_sofs
from email_samples import PICTURE_ALT, wide_issue_project
from playwright.sync_api import Browser, sync_playwright

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
WIDTHS = (320, 375)
#: The widths of the page and of everything in it that sticks out past the screen.
_MEASURE = """(width) => ({
  scrollWidth: document.documentElement.scrollWidth,
  bodyWidth: document.body.scrollWidth,
  outside: [...document.body.querySelectorAll('*')]
    .filter(e => e.closest('.table-scroll') === null || e.classList.contains('table-scroll'))
    .filter(e => e.getBoundingClientRect().right > width + 0.5)
    .slice(0, 5)
    .map(e => `<${e.tagName.toLowerCase()} class="${e.className}"> ${Math.round(e.getBoundingClientRect().right)}px`)
})"""


@pytest.fixture(scope="module")
def emails(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The sample's issue 10 email, and issue 10 again with a wide table, a long address and
    a wide picture in its welcome (`email_samples.wide_issue_project`)."""
    sample = copy_project(tmp_path_factory.mktemp("sample") / "project")
    result = run_sofs(sample, "email", "render", "10", "--out", str(sample / "out"))
    assert result.returncode == 0, result.stdout + result.stderr

    wide = wide_issue_project(tmp_path_factory.mktemp("wide") / "project")
    result = run_sofs(wide, "email", "render", "10", "--out", str(wide / "out"))
    assert result.returncode == 0, result.stdout + result.stderr
    return {"sample": sample / "out/010.html", "wide table": wide / "out/010.html"}


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    assert CHROMIUM.exists(), "Debian's chromium is needed: apt-get install -y chromium (.ci/run does it)"
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("which", ["sample", "wide table"])
def test_email_is_no_wider_than_a_phone(
    which: str, width: int, emails: dict[str, Path], browser: Browser
) -> None:
    page = browser.new_page(viewport={"width": width, "height": 800})
    try:
        page.goto(emails[which].as_uri())
        measured = page.evaluate(_MEASURE, width)
        # A client that ignores `overflow` (no sideways scrolling box) must still fit it.
        page.add_style_tag(content=".table-scroll { overflow: visible !important; }")
        without_scrolling = page.evaluate("document.documentElement.scrollWidth")
    finally:
        page.close()
    assert measured["scrollWidth"] <= width, f"{which} email at {width}px: {measured}"
    assert measured["bodyWidth"] <= width, f"{which} email at {width}px: {measured}"
    assert measured["outside"] == [], f"{which} email at {width}px: {measured}"
    assert without_scrolling <= width, f"{which} email at {width}px without overflow: {without_scrolling}px"


#: Each text element's colour and the background it is drawn on, as the reader sees them.
_COLOURS = """() => [...document.querySelectorAll('h1, h2, p, li, td, th, a')].map(e => {
  let back = e;
  while (back && getComputedStyle(back).backgroundColor === 'rgba(0, 0, 0, 0)') back = back.parentElement;
  return [e.tagName, getComputedStyle(e).color, back ? getComputedStyle(back).backgroundColor : 'rgb(255, 255, 255)'];
})"""


def _luminance(rgb: str) -> float:
    channels = [int(v) / 255 for v in rgb[rgb.index("(") + 1 : rgb.index(")")].split(",")[:3]]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_text_reads_in_light_and_dark_mode(scheme: str, emails: dict[str, Path], browser: Browser) -> None:
    page = browser.new_page(viewport={"width": 375, "height": 800}, color_scheme=scheme)  # type: ignore[arg-type]
    try:
        page.goto(emails["wide table"].as_uri())
        colours = page.evaluate(_COLOURS)
        background = page.evaluate("getComputedStyle(document.querySelector('td.main')).backgroundColor")
    finally:
        page.close()
    assert (_luminance(background) < 0.05) == (scheme == "dark"), background
    assert len(colours) > 20
    for tag, colour, back in colours:
        light, dark = sorted((_luminance(colour), _luminance(back)), reverse=True)
        assert (light + 0.05) / (dark + 0.05) >= 4.5, (scheme, tag, colour, back)


def test_tables_scroll_and_pictures_carry_a_width(emails: dict[str, Path]) -> None:
    document = lxml.html.fromstring(emails["wide table"].read_bytes())
    boxes = document.find_class("table-scroll")
    assert len(boxes) == 1
    assert "overflow-x: auto" in boxes[0].get("style", "")
    (table,) = boxes[0].findall("table")
    assert table.get("class") == "data" and "role" not in table.attrib, "a data table keeps its meaning"
    cells = table.findall(".//td")
    assert len(cells) == 10 and all("style" not in cell.attrib for cell in cells), "styled from the <head>"
    (head_rules,) = document.xpath("//head/style/text()")
    cell_rule = head_rules.split(".data th, .data td {", 1)[1].split("}", 1)[0]
    assert "word-break: break-word" in cell_rule and "padding: 8px" in cell_rule
    (picture,) = document.iter("img")
    assert (picture.get("width"), picture.get("height")) == ("552", "276"), "800 by 400, made 552 wide"
    assert "max-width: 100%" in picture.get("style", "")
    assert picture.get("alt") == PICTURE_ALT
