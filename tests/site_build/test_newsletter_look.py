"""The site looks like the service's newsletter: the built sample has the organisation's
masthead and colours, issue covers with the measures named once, cards on the home page and
in the archive, breadcrumbs in the guide and a footer with the organisation, the mailbox,
the feeds and the accessibility statement (and no "Made with Material for MkDocs")."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import urljoin

import lxml.html
import pytest
import yaml
from conftest import copy_project, run_sofs

from generator.settings.rules import contrast_ratio

ORGANISATION = "Adults and Children's Services"
MAILBOX = "signsofsafety@northumberland.gov.uk"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_project(tmp_path_factory.mktemp("look") / "project")
    result = run_sofs(root, "build")
    assert result.returncode == 0, result.stdout + result.stderr
    return root / "site"


def page(site: Path, relative: str) -> lxml.html.HtmlElement:
    return lxml.html.fromstring((site / relative / "index.html").read_bytes())


def find(element: lxml.html.HtmlElement, tag: str, cls: str | None = None) -> list[lxml.html.HtmlElement]:
    """Descendants `tag` (with class `cls`), by XPath."""
    test = f"[contains(concat(' ', normalize-space(@class), ' '), ' {cls} ')]" if cls else ""
    found: list[lxml.html.HtmlElement] = element.xpath(f".//{tag}{test}")
    return found


def text(element: lxml.html.HtmlElement) -> str:
    return " ".join(element.text_content().split())


def test_every_page_has_the_masthead_and_the_footer(site: Path) -> None:
    pages = sorted(site.rglob("index.html"))
    assert len(pages) > 30
    for path in pages:
        html = path.read_text("utf-8")
        tree = lxml.html.fromstring(html)
        where = path.relative_to(site).as_posix()
        [masthead] = find(tree, "aside", "sofs-masthead")
        assert ORGANISATION in text(masthead), where
        [footer] = find(tree, "footer", "sofs-footer")
        links = {text(a): a.get("href") for a in find(footer, "a")}
        assert links[MAILBOX] == f"mailto:{MAILBOX}", where
        here = "http://host/" + where.removesuffix("index.html")
        assert urljoin(here, links["RSS feed"]) == "http://host/feed.xml", where
        assert urljoin(here, links["Atom feed"]) == "http://host/atom.xml", where
        assert urljoin(here, links["Accessibility statement"]) == "http://host/accessibility/", where
        assert ORGANISATION in text(footer), where
        assert "Made with" not in html and "Material for MkDocs" not in html, where


def test_the_colours_come_from_mkdocs_yml_and_are_readable(site: Path) -> None:
    html = (site / "index.html").read_text("utf-8")
    colours = dict(re.findall(r"--sofs-(brand|brand-dark|accent): (#[0-9a-f]{6});", html))
    settings = yaml.safe_load((Path(__file__).parents[2] / "mkdocs.yml").read_text("utf-8"))
    sofs = next(p["sofs"] for p in settings["plugins"] if isinstance(p, dict) and "sofs" in p)
    assert colours["brand"] == sofs["brand_colour"] and colours["accent"] == sofs["accent_colour"]
    for colour in colours.values():
        assert contrast_ratio(colour, "#ffffff") >= 4.5, colour


def test_an_issue_opens_with_its_cover_and_names_its_measures_once(site: Path) -> None:
    tree = page(site, "issues/010-meaningful-measures")
    article = find(tree, "article")[0]
    [kicker] = find(article, "*", "sofs-cover__kicker")
    # The printed issue has no date: the sample's date is an example, and the cover says so.
    assert text(kicker) == "Issue 10 1 September 2025 (an example date)"
    assert find(kicker, "time")[0].get("datetime") == "2025-09-01"
    [title] = find(article, "h1")
    assert text(title).rstrip("¶").strip() == "Meaningful measures- counting what counts"
    [standfirst] = find(article, "*", "sofs-standfirst")
    assert text(standfirst).startswith("Our five meaningful measures")
    chips = find(article, "a", "sofs-chip")
    assert [c.get("href") for c in chips] == [
        f"../../measures/{slug}/"
        for slug in (
            "1-keeping-children-safe",
            "2-families-involved-in-plans",
            "3-living-safely-and-securely",
            "4-working-together",
            "5-training-and-supervision",
        )
    ]
    assert text(chips[0]) == "Measure 1: Keeping children safe, supported and improving their lives"
    # Between the title and the first section, each measure is named once: in its chip.
    before_sections = lxml.html.tostring(article, encoding="unicode").split("<h2")[0]
    assert before_sections.count("Keeping children safe, supported") == 2  # the chip's text and tooltip
    # The contents list the sections only, not the measures again.
    css = (site / "assets/stylesheets/sofs.css").read_text("utf-8")
    assert ".md-main:has(.sofs-cover__title) .md-nav--secondary .md-nav__item > .md-nav" in css


def test_the_home_page_leads_with_the_latest_issue_as_a_card(site: Path) -> None:
    tree = page(site, ".")
    article = find(tree, "article")[0]
    headings = [text(h).rstrip("¶").strip() for h in find(article, "h2")]
    assert headings[0] == "Latest issue"
    [lead] = find(article, "li", "sofs-card--lead")
    assert text(find(lead, "*", "sofs-card__kicker")[0]) == "Issue 10 · 1 September 2025 (an example date)"
    link = find(find(lead, "*", "sofs-card__title")[0], "a")[0]
    assert (text(link), link.get("href")) == (
        "Meaningful measures- counting what counts",
        "issues/010-meaningful-measures/",
    )
    assert text(find(lead, "*", "sofs-card__summary")[0]).startswith("Our five meaningful measures")
    # The nine section names are no longer listed for each issue.
    assert "In this issue" not in text(article)


def test_the_archive_shows_cards_by_year(site: Path) -> None:
    tree = page(site, "issues")
    article = find(tree, "article")[0]
    [year] = find(article, "h2")
    assert text(year).rstrip("¶").strip() == "2025"
    cards = find(article, "li", "sofs-card")
    assert [text(find(c, "h3")[0]) for c in cards] == ["Meaningful measures- counting what counts"]


@pytest.mark.parametrize(
    ("relative", "trail"),
    [
        ("measures/1-keeping-children-safe", ["Home", "Practice guide", "Meaningful measures"]),
        ("tools/harm-matrix", ["Home", "Practice guide", "Tools A to Z"]),
        ("counting", ["Home", "Practice guide"]),
        ("issues/010-meaningful-measures", ["Home", "Newsletter archive"]),
    ],
)
def test_guide_pages_have_breadcrumbs(site: Path, relative: str, trail: list[str]) -> None:
    [path] = find(page(site, relative), "nav", "md-path")
    assert [text(a) for a in find(path, "a")] == trail


def test_a_docs_tree_keeps_the_look_without_the_plugin(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "project")
    out = tmp_path / "tree"
    assert run_sofs(root, "build", "--docs-out", str(out)).returncode == 0
    built = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q"], cwd=out, capture_output=True, text=True, timeout=300
    )
    assert built.returncode == 0, built.stderr
    html = (out / "site/index.html").read_text("utf-8")
    assert ORGANISATION.replace("'", "&#39;") in html or ORGANISATION in html
    assert f"mailto:{MAILBOX}" in html and "Made with" not in html
