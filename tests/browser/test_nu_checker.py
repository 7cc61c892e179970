"""The Nu HTML checker (vnu-jar, run with Debian's java) finds no error in any web page of
the sample site, nor of a generated 400-issue site; axe-core in chromium finds no
violation on a page of each kind of the large site at the narrowest and widest widths
(the sample is checked at all four; `benchmarks/a11y_sweep.py` sweeps every page of the
large site at all four). Each site's pages are checked in one java call, which keeps the
run short."""

from __future__ import annotations

from pathlib import Path

import pytest
from browser_site import (
    chromium,
    html_files,
    nu_errors,
    page_failures,
    served,
)
from conftest import copy_project, run_sofs

from benchmarks.gen_corpus import TODAY, generate

LARGE_SITE_ISSUES = 400
#: The large site's pages are long (the archive lists 400 issues), and axe takes a few
#: seconds on each: the narrowest and the widest layouts.
LARGE_SITE_WIDTHS = (320, 1280)


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


@pytest.fixture(scope="module")
def large_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = generate(tmp_path_factory.mktemp("large") / "corpus", LARGE_SITE_ISSUES)
    result = run_sofs(root, "build", env={"SOFS_TODAY": TODAY})
    assert result.returncode == 0, result.stdout + result.stderr
    return root / "site"


def test_large_site_is_valid_html(large_site: Path) -> None:
    files = html_files(large_site)
    assert len(files) > LARGE_SITE_ISSUES
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
