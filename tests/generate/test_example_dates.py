"""An issue's date that is only an example (`examples: [date]`) is said to be one wherever
a reader sees it on a built site: the issue's cover, the home page's cards, the archive,
the tags, tool, measure and principle pages' lists, the counting page and the email."""

from __future__ import annotations

import html
import re
from pathlib import Path

from conftest import fixture_project, run_sofs

NOTE = "(an example date)"
ISSUE_DATE = "6 January 2025"
_TAG = re.compile(r"<[^>]+>")
#: The pages that name the fixture issue's date, and the email edition.
SHOWN_ON = (
    "index.html",
    "issues/index.html",
    "issues/001-first-issue/index.html",
    "tags/index.html",
    "tools/scaling-questions/index.html",
    "measures/1-keeping-children-safe/index.html",
    "principles/critical-inquiry/index.html",
    "counting/index.html",
    "email/001.html",
    "email/001.txt",
)


def _text(file: Path) -> str:
    """What a reader reads in `file`: HTML without its tags, spaces collapsed."""
    text = file.read_text(encoding="utf-8")
    if file.suffix == ".html":
        text = html.unescape(_TAG.sub("", text))
    return " ".join(text.split())


def _readable_files(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*") if p.suffix in {".html", ".txt"})


def _build(root: Path) -> Path:
    result = run_sofs(root, "build")
    assert result.returncode == 0, result.stdout + result.stderr
    return root / "site"


def _mark_date_as_example(file: Path) -> None:
    text = file.read_text(encoding="utf-8")
    file.write_text(text.replace("\ndate: ", "\nexamples: [date]\ndate: ", 1), encoding="utf-8")


def test_an_example_date_is_noted_everywhere_a_reader_sees_it(tmp_path: Path) -> None:
    root = fixture_project(tmp_path / "minimal")
    _mark_date_as_example(root / "content" / "issues" / "001-first-issue.md")
    site = _build(root)
    for name in SHOWN_ON:
        assert ISSUE_DATE in _text(site / name), name
    unnoted = [
        f"{file.relative_to(site)}: ...{text[max(0, at - 60) : at + 40]}..."
        for file in _readable_files(site)
        for text in [_text(file)]
        for at in (m.start() for m in re.finditer(re.escape(ISSUE_DATE), text))
        if not text[at + len(ISSUE_DATE) :].startswith(" " + NOTE)
    ]
    assert unnoted == [], "\n".join(unnoted)


def test_a_story_dated_like_its_example_dated_issue_is_noted_too(tmp_path: Path) -> None:
    root = fixture_project(tmp_path / "minimal")
    _mark_date_as_example(root / "content" / "issues" / "001-first-issue.md")
    text = _text(_build(root) / "measures" / "1-keeping-children-safe" / "index.html")
    assert f"Team story: A plan the family made (First Contact), {ISSUE_DATE} {NOTE}" in text


def test_a_real_date_has_no_note(tmp_path: Path) -> None:
    site = _build(fixture_project(tmp_path / "minimal"))
    for name in SHOWN_ON:
        text = _text(site / name)
        assert ISSUE_DATE in text and NOTE not in text, name
