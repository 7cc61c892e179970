"""The "counting what counts" page agrees with the front matter, across two years."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from conftest import fixture_project, run_sofs


class TableReader(HTMLParser):
    """Collects every table as (caption, rows of cell texts)."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[tuple[str, list[list[str]]]] = []
        self._caption: str | None = None
        self._cell: str | None = None
        self._row: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self.tables.append(("", []))
        elif tag == "caption":
            self._caption = ""
        elif tag == "tr":
            self._row = []
        elif tag in ("td", "th"):
            self._cell = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "caption" and self._caption is not None:
            self.tables[-1] = (self._caption.strip(), self.tables[-1][1])
            self._caption = None
        elif tag in ("td", "th") and self._row is not None and self._cell is not None:
            # What a screen reader announces: the tick is aria-hidden, "Yes"/"No" is not.
            self._row.append(" ".join(self._cell.replace("\u2713", "").split()))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.tables[-1][1].append(self._row)
            self._row = None

    def handle_data(self, data: str) -> None:
        if self._caption is not None:
            self._caption += data
        if self._cell is not None:
            self._cell += data


def front_matter(path: Path) -> dict[str, object]:
    return dict(yaml.safe_load(path.read_text("utf-8").split("---")[1]))


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = fixture_project(tmp_path_factory.mktemp("counting"), "two-years")
    result = run_sofs(root, "build")
    assert result.returncode == 0, result.stdout + result.stderr
    return root


def tables(project: Path) -> dict[str, list[list[str]]]:
    reader = TableReader()
    reader.feed((project / "site/counting/index.html").read_text("utf-8"))
    return dict(reader.tables)


def test_issue_tables_match_front_matter(project: Path) -> None:
    found = tables(project)
    measures = sorted(int(p.name.split("-")[0]) for p in (project / "content/measures").glob("*.md"))
    for issue_file in (project / "content/issues").glob("*.md"):
        meta = front_matter(issue_file)
        year = str(meta["date"])[:4]
        rows = found[f"Meaningful measures evidenced by each issue of {year}"]
        assert rows[0] == ["Issue", *[f"Measure {n}" for n in measures]]
        row = next(r for r in rows if r[0].startswith(f"Issue {meta['issue']}:"))
        expected = ["Yes" if n in meta["measures"] else "No" for n in measures]  # type: ignore[operator]
        assert row[1:] == expected, issue_file.name


def test_years_are_newest_first_and_complete(project: Path) -> None:
    html = (project / "site/counting/index.html").read_text("utf-8")
    years = re.findall(r"each issue of (\d{4})</caption>", html)
    assert years == ["2026", "2025"]


def test_story_counts_per_measure_per_year(project: Path) -> None:
    rows = tables(project)["Number of team stories that evidence each measure, by year"]
    assert rows[0] == ["Measure", "2026", "2025"]
    counts: dict[tuple[int, str], int] = {}
    for story in (project / "content/feedback").glob("*.md"):
        meta = front_matter(story)
        for number in meta["measures"]:  # type: ignore[attr-defined]
            key = (number, str(meta["date"])[:4])
            counts[key] = counts.get(key, 0) + 1
    for row in rows[1:]:
        number = int(row[0].split(":")[0].removeprefix("Measure "))
        assert row[1:] == [str(counts.get((number, "2026"), 0)), str(counts.get((number, "2025"), 0))]


def test_neglected_measures_are_named(project: Path) -> None:
    glance = tables(project)["Issues and team stories that evidence each meaningful measure"]
    assert glance[3][:3] == ["Measure 3: Measure number 3", "0", "1"]
    assert glance[5] == ["Measure 5: Measure number 5", "0", "0", "None yet"]
    html = (project / "site/counting/index.html").read_text("utf-8")
    warning = html.split("Not covered yet")[1].split("</div>")[0]
    assert "measure 5" in warning and "measure 3" not in warning


def test_tables_are_accessible_structures(project: Path) -> None:
    html = (project / "site/counting/index.html").read_text("utf-8")
    assert html.count("<caption") == html.count("<table") >= 3
    assert 'scope="col"' in html and 'scope="row"' in html
    assert html.count('role="region"') == html.count("<table")
