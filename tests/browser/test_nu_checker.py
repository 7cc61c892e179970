"""The Nu HTML checker (vnu-jar, run with Debian's java) finds no error in any HTML file of
the sample site (its email copies included), nor of a generated archive with every page
shape a 400-issue site has; axe-core in chromium finds no violation on a page of each kind
of that archive at the narrowest and widest widths (the sample is checked at all four).
Each site's files are checked in one java call, which keeps the run short.

The generated archive is `CORPUS_ISSUES` issues long: monthly then weekly issues over four
calendar years (so the archive and counting pages have several years), long tag, tool,
measure and principle lists, bulletins and team stories, and the newest issue given a
cover picture and a wide table. The full 400-issue sweep, every page at four widths with
keyboard walks and Nu, is `benchmarks/a11y_sweep.py` (see its docstring)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from browser_site import (
    chromium,
    html_files,
    nu_errors,
    page_failures,
    served,
)
from conftest import approve_again, copy_project, run_sofs
from email_samples import PICTURE_ALT, WIDE_PICTURE

from benchmarks.gen_corpus import TODAY, generate, issue_date

#: Issues 1 to 10 monthly from December 2024, then weekly: issue 80 is in January 2027.
CORPUS_ISSUES = 80
#: The archive's pages are long, and axe takes a few seconds on each: the narrowest and
#: the widest layouts.
LARGE_SITE_WIDTHS = (320, 1280)
#: A table wider than a phone: five columns, long headings.
WIDE_TABLE = (
    "| Measure | Families supported | Plans reviewed on time | Children safely at home | Next review |\n"
    "|---|---|---|---|---|\n"
    "| Keeping children safe, supported and improving their lives | 1,234 | 87% | 412 | March |\n"
    "| Families fully involved in developing plans | 987 | 91% | 377 | June |\n"
)


def _summary(errors: list[str]) -> str:
    return f"{len(errors)} errors, for example:\n" + "\n".join(errors[:15])


def test_sample_site_is_valid_html(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "project")
    result = run_sofs(root, "build")
    assert result.returncode == 0, result.stdout + result.stderr
    files = html_files(root / "site")
    assert len(files) >= 30
    errors = nu_errors(files)
    assert errors == [], _summary(errors)


def _with_cover_and_table(root: Path, number: int) -> None:
    """Give generated issue `number` a cover picture and a wide table, and seal it again."""
    (issue,) = (root / "content" / "issues").glob(f"{number:03d}-*.md")
    (root / "content" / "images").mkdir(exist_ok=True)
    (root / "content" / "images" / "cover.svg").write_text(WIDE_PICTURE, encoding="utf-8")
    text = issue.read_text(encoding="utf-8")
    text = text.replace("\nstatus: ", f'\nimage: images/cover.svg\nimage_alt: "{PICTURE_ALT}"\nstatus: ', 1)
    text = re.sub(r"(\n## [^\n]+\n\n)", lambda m: m.group(1) + WIDE_TABLE + "\n", text, count=1)
    issue.write_text(text, encoding="utf-8")
    approve_again(root, number)


@pytest.fixture(scope="module")
def large_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = generate(tmp_path_factory.mktemp("large") / "corpus", CORPUS_ISSUES)
    _with_cover_and_table(root, CORPUS_ISSUES)
    result = run_sofs(root, "build", env={"SOFS_TODAY": TODAY})
    assert result.returncode == 0, result.stdout + result.stderr
    return root / "site"


def test_the_generated_archive_has_a_large_sites_page_shapes(large_site: Path) -> None:
    years = {issue_date(n).year for n in range(1, CORPUS_ISSUES + 1)}
    assert len(years) >= 4
    archive = (large_site / "issues" / "index.html").read_text(encoding="utf-8")
    assert all(f'<h2 id="{year}">' in archive for year in years), years
    home = (large_site / "index.html").read_text(encoding="utf-8")
    assert 'class="sofs-card__image"' in home, "the latest issue's card has its cover picture"
    newest = next((large_site / "issues").glob(f"{CORPUS_ISSUES:03d}-*/index.html")).read_text("utf-8")
    assert "<table" in newest and "sofs-cover" in newest
    tags = (large_site / "tags" / "index.html").read_text(encoding="utf-8")
    assert tags.count("<li>") >= CORPUS_ISSUES, "long tag lists"
    assert len(list((large_site / "email").glob("*.html"))) == CORPUS_ISSUES


def test_large_site_is_valid_html(large_site: Path) -> None:
    files = html_files(large_site)
    assert len(files) > 2 * CORPUS_ISSUES, "every page and email copy"
    errors = nu_errors(files)
    assert errors == [], _summary(errors)


def _one_of_each_kind(site: Path) -> list[str]:
    """A page of each kind: the home page, the archive, the newest and oldest issues, every
    guide index and the first page under it, the counting, tags and glossary pages."""
    issues = sorted(p.stem for p in (site / "issues").iterdir() if p.is_dir())
    pages = ["", "issues/", f"issues/{issues[0]}/", f"issues/{issues[-1]}/"]
    for folder in sorted(p for p in site.iterdir() if p.is_dir() and (p / "index.html").is_file()):
        if folder.name in {"issues", "assets", "search"}:
            continue
        pages.append(f"{folder.name}/")
        children = sorted(p.name for p in folder.iterdir() if (p / "index.html").is_file())
        if children:
            pages.append(f"{folder.name}/{children[0]}/")
    return pages


def test_large_site_page_kinds_pass_axe(large_site: Path) -> None:
    pages = _one_of_each_kind(large_site)
    assert len(pages) >= 10
    with served(large_site) as base_url, chromium() as browser:
        failures = [
            failure
            for width in LARGE_SITE_WIDTHS
            for failure in page_failures(browser, base_url, pages, width)
        ]
    assert failures == [], "\n".join(failures)
