"""The loader on its own: fixture projects read into the content model, and what it says about
files it cannot take. No command line in between."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import PROJECT, fixture_project

from generator.basics.diagnostics import Diagnostic
from generator.content.loader import load_site
from generator.content.model import Site
from generator.settings.reader import load_settings


def loaded(root: Path) -> tuple[Site, list[Diagnostic]]:
    """The site under `root` as the loader reads it, and the loader's own problems."""
    settings, settings_problems = load_settings(root)
    assert settings_problems == []
    return load_site(settings)


def located(problems: list[Diagnostic]) -> list[tuple[str, int, str, str]]:
    return sorted((p.path, p.line, p.severity.value, p.code) for p in problems)


@pytest.fixture
def minimal(tmp_path: Path) -> Path:
    return fixture_project(tmp_path / "minimal")


def test_the_minimal_project_loads_one_of_each_without_problems(minimal: Path) -> None:
    site, problems = loaded(minimal)
    assert problems == []
    counts = {
        name: len(getattr(site, name))
        for name in ("issues", "stories", "measures", "principles", "tools", "pages", "processes", "variants")
    }
    assert counts == {
        "issues": 1,
        "stories": 1,
        "measures": 1,
        "principles": 1,
        "tools": 1,
        "pages": 1,
        "processes": 0,
        "variants": 0,
    }
    assert dict(site.acronyms) == {}


def test_an_issue_carries_its_front_matter_and_where_each_field_stands(minimal: Path) -> None:
    (issue,) = loaded(minimal)[0].issues
    assert (issue.number, issue.title, issue.date) == (1, "Our first issue", dt.date(2025, 1, 6))
    assert issue.summary == "The first issue of the fixture newsletter."
    assert (issue.status, issue.type, issue.is_draft) == ("published", "newsletter", False)
    assert issue.measures == (1,)
    assert issue.principles == ("critical-inquiry",)
    assert issue.tools == ("scaling-questions",)
    assert issue.tags == ("fixtures",)
    assert (issue.slug, issue.page_path) == ("001-first-issue", "issues/001-first-issue.md")
    assert issue.origin.path == "content/issues/001-first-issue.md"
    assert issue.origin.body_first_line == 13
    assert (issue.origin.line_of("title"), issue.origin.line_of("tags")) == (3, 11)
    assert issue.origin.line_of("approved_by") == 1, "an absent field points at the opening ---"
    assert issue.body.startswith("\n## Welcome\n")


def test_an_issue_is_split_into_its_sections_with_their_file_lines(minimal: Path) -> None:
    (issue,) = loaded(minimal)[0].issues
    assert [(s.title, s.line, s.body.strip()) for s in issue.sections] == [
        ("Welcome", 14, "Hello and welcome to the first issue."),
        ("Feedback from teams across the service", 18, "Teams tell us what is changing."),
        ("Principles", 22, "We keep asking questions."),
        ("Contact us", 26, "Write to the mailbox."),
    ]
    lines = (minimal / "content/issues/001-first-issue.md").read_text("utf-8").split("\n")
    assert all(lines[s.line - 1] == f"## {s.title}" for s in issue.sections)


def test_a_story_knows_its_issue_and_team(minimal: Path) -> None:
    (story,) = loaded(minimal)[0].stories
    assert (story.slug, story.title) == ("first-contact-story", "A plan the family made")
    assert (story.issue, story.team, story.date) == (1, "first-contact", dt.date(2025, 1, 6))
    assert (story.measures, story.tools) == ((1,), ("scaling-questions",))
    assert story.body.strip() == "The family wrote their own plan and it is working."
    assert story.anonymisation_reviewed_by is None
    assert story.origin.line_of("team") == 3


def test_tools_measures_principles_and_pages_are_read(minimal: Path) -> None:
    site = loaded(minimal)[0]
    (tool,) = site.tools
    assert (tool.slug, tool.name, tool.aliases, tool.category) == (
        "scaling-questions",
        "Scaling questions",
        ("scaling",),
        "assessment",
    )
    (measure,) = site.measures
    assert (measure.number, measure.slug, measure.indicators) == (
        1,
        "1-keeping-children-safe",
        ("Scaling questions",),
    )
    (principle,) = site.principles
    assert (principle.slug, principle.folder, principle.summary) == (
        "critical-inquiry",
        "principles",
        "Be ready to admit you may have it wrong.",
    )
    (page,) = site.pages
    assert (page.slug, page.title, page.page_path) == ("home", "Fixture newsletter", "index.md")


def test_a_larger_project_is_loaded_in_order(tmp_path: Path) -> None:
    site, problems = loaded(fixture_project(tmp_path / "p", "two-years"))
    assert problems == []
    assert [i.number for i in site.issues] == [1, 2, 3, 4, 5]
    assert [m.number for m in site.measures] == [1, 2, 3, 4, 5]
    assert [(s.slug, s.issue) for s in site.stories] == [
        ("first-contact-story", 1),
        ("story-a", 2),
        ("story-b", 4),
        ("story-c", 4),
    ]
    issue_2 = site.issues[1]
    assert issue_2.type == site.settings.default_issue_type, "an issue without `type` gets the default"
    assert issue_2.tags == () and issue_2.tools == ()
    assert site.issues[4].measures == ()


def test_the_sample_project_loads_clean_with_issue_10_and_its_draft_successor() -> None:
    site, problems = loaded(PROJECT)
    assert problems == []
    assert [(i.number, i.status) for i in site.issues] == [(10, "published"), (11, "draft")]
    assert [(s.issue, s.team) for s in site.stories] == [(10, "first-contact")]
    issue_10 = site.issues[0]
    assert issue_10.origin.path == "content/issues/010-meaningful-measures.md"
    assert "Feedback from teams across the service" in [s.title for s in issue_10.sections]
    assert "SOS" in site.acronyms


def test_each_bad_front_matter_field_is_an_error_at_its_line_and_the_file_is_still_read(
    tmp_path: Path,
) -> None:
    site, problems = loaded(fixture_project(tmp_path / "p", "invalid/wrong-types"))
    path = "content/issues/002-types.md"
    assert located(problems) == [
        (path, 2, "error", "field.type"),
        (path, 4, "error", "field.type"),
        (path, 6, "error", "field.type"),
        (path, 7, "error", "field.type"),
        (path, 8, "error", "field.type"),
    ]
    by_line = {p.line: p.message for p in problems}
    assert '"issue" should be a whole number' in by_line[2] and 'found "two"' in by_line[2]
    assert '"status" should be one of: draft, ready, published; found "finished"' in by_line[6]
    # Kept with stand-ins, so its body is still checked; its number is read from its file name.
    issue = next(i for i in site.issues if i.origin.path == path)
    assert issue.number == 2 and issue.status == "draft"
    assert issue.origin.unread == {"issue", "date", "status", "measures", "tags"}
    assert not issue.origin.read("issue") and issue.origin.read("title")


def test_a_missing_field_points_at_the_opening_line(tmp_path: Path) -> None:
    site, problems = loaded(fixture_project(tmp_path / "p", "invalid/missing-fields"))
    assert located(problems) == [
        ("content/issues/002-missing.md", 1, "error", "field.missing"),
        ("content/issues/002-missing.md", 1, "error", "field.missing"),
    ]
    assert sorted('"date"' in p.message for p in problems) == [False, True]
    assert len(site.issues) == 2 and site.issues[1].origin.unread


def test_an_impossible_date_is_an_error_at_its_line(tmp_path: Path) -> None:
    site, problems = loaded(fixture_project(tmp_path / "p", "invalid/impossible-date"))
    assert located(problems) == [("content/feedback/second-story.md", 5, "error", "field.type")]
    assert "not a real date: there is no month 13" in problems[0].message
    assert {s.slug: s.origin.unread for s in site.stories} == {
        "first-contact-story": frozenset(),
        "second-story": frozenset({"date"}),
    }


def test_an_unknown_field_alone_is_a_warning_and_the_file_still_loads(minimal: Path) -> None:
    tool_file = minimal / "content/tools/scaling-questions.md"
    tool_file.write_text(
        tool_file.read_text("utf-8").replace("category:", "colour: blue\ncategory:"), encoding="utf-8"
    )
    site, problems = loaded(minimal)
    assert located(problems) == [("content/tools/scaling-questions.md", 5, "warning", "field.unknown")]
    assert 'unknown field "colour"' in problems[0].message
    assert [t.category for t in site.tools] == ["assessment"]


def test_a_file_that_is_not_utf8_is_an_error_at_the_line_of_the_bad_byte(tmp_path: Path) -> None:
    site, problems = loaded(fixture_project(tmp_path / "p", "invalid/not-utf8"))
    assert located(problems) == [("content/principles/pasted.md", 6, "error", "file.encoding")]
    assert "byte 0x92" in problems[0].message and "UTF-8" in problems[0].message
    assert [p.slug for p in site.principles] == ["critical-inquiry"]


def test_a_byte_order_mark_and_windows_line_endings_keep_the_lines_right(minimal: Path) -> None:
    issue_file = minimal / "content/issues/001-first-issue.md"
    text = issue_file.read_text("utf-8").replace("Our first issue", "Our “first” issue")
    issue_file.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    site, problems = loaded(minimal)
    assert problems == []
    (issue,) = site.issues
    assert issue.title == "Our “first” issue"
    assert "\r" not in issue.body
    assert [s.line for s in issue.sections] == [14, 18, 22, 26]


def test_a_bad_file_name_is_refused_and_a_stray_file_ignored(tmp_path: Path) -> None:
    site, problems = loaded(fixture_project(tmp_path / "p", "invalid/bad-file-name"))
    assert located(problems) == [
        ("content/stray.md", 0, "warning", "content.unknown-file"),
        ("content/tools/Safety House.md", 0, "error", "file.name"),
    ]
    assert '"safety-house.md"' in next(p.message for p in problems if p.code == "file.name")
    assert [t.slug for t in site.tools] == ["scaling-questions"]


def test_a_missing_content_folder_is_one_error_and_an_empty_site(minimal: Path) -> None:
    (minimal / "content").rename(minimal / "elsewhere")
    site, problems = loaded(minimal)
    assert located(problems) == [("content", 0, "error", "content.missing")]
    assert site.issues == () and site.tools == ()


_LOAD_AND_REPORT = """
import json, sys
from pathlib import Path
from generator.content.loader import load_site
from generator.settings.reader import load_settings
settings, _ = load_settings(Path(sys.argv[1]))
site, problems = load_site(settings)
print(json.dumps({"tools": [t.slug for t in site.tools], "problems": [p.as_dict() for p in problems]}))
"""


def test_a_file_that_cannot_be_read_is_an_error_and_the_rest_still_loads(minimal: Path) -> None:
    unreadable = minimal / "content/tools/locked-away.md"
    unreadable.write_text('---\nname: "Locked"\n---\n', encoding="utf-8")
    unreadable.chmod(0)
    # root reads any file; without the capabilities that allow it, permissions hold for it too
    drop = ["--inh-caps=-all", "--bounding-set=-dac_override,-dac_read_search"]
    prefix = ["setpriv", *drop] if os.geteuid() == 0 else []
    result = subprocess.run(
        [*prefix, sys.executable, "-c", _LOAD_AND_REPORT, str(minimal)],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(PROJECT)},
        timeout=120,
        check=True,
    )
    report = json.loads(result.stdout)
    assert report["tools"] == ["scaling-questions"]
    assert [(p["path"], p["line"], p["severity"], p["code"]) for p in report["problems"]] == [
        ("content/tools/locked-away.md", 0, "error", "file.unreadable")
    ]
    assert "cannot be read (Permission denied)" in report["problems"][0]["message"]
