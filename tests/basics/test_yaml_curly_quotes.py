"""Front-matter values in Word's curly quotes get a message that names the quotes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from conftest import DRAFT_STORY_FILE, add_draft_story, copy_project

from generator.basics.yamlread import YamlProblem, read_yaml
from generator.checks.project import check_project


@pytest.mark.parametrize(
    "text, line",
    [
        ("title: \u201cMeaningful measures: counting what counts\u201d\n", 1),
        ("issue: 10\ntitle: \u2018Meaningful: measures\u2019\n", 2),
        ("issue: 10\nsummary: \u201cOne: two\u201d\ndate: 2025-01-01\n", 2),
    ],
)
def test_curly_quotes_that_break_the_yaml_are_named(text: str, line: int) -> None:
    with pytest.raises(YamlProblem) as caught:
        read_yaml(text, first_line=1)
    assert caught.value.line == line
    assert "curly quotes \u201c \u201d (from Word)" in caught.value.message
    assert 'straight double quotes " "' in caught.value.message


def test_curly_quotes_around_a_readable_value_are_recorded() -> None:
    document = read_yaml('issue: 10\ntitle: \u201cMeaningful measures\u201d\nsummary: "\u201cQuoted\u201d"\n')
    assert document.curly_quoted == {("title",): 2}
    assert read_yaml("summary: \u201cA\u201d said a parent\n").curly_quoted == {}


def test_other_yaml_mistakes_keep_their_own_message() -> None:
    with pytest.raises(YamlProblem) as caught:
        read_yaml("title: Meaningful measures: counting\n")
    assert "curly" not in caught.value.message


def test_sofs_check_names_curly_quotes_at_their_line(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "quotes")
    story = add_draft_story(root)
    text = story.read_text("utf-8")
    story.write_text(
        text.replace('title: "A story for the draft issue"', "title: \u201cA worry statement\u201d"),
        encoding="utf-8",
    )
    tool = root / "content/tools/mapping.md"
    lines = tool.read_text("utf-8").split("\n")
    index = next(i for i, line in enumerate(lines) if line.startswith("summary:"))
    lines[index] = "summary: \u201cMapping: the framework\u201d"
    tool.write_text("\n".join(lines), encoding="utf-8")
    report = check_project(root, use_cache=False, today=dt.date(2026, 1, 10)).report
    found = {(d.path, d.line, d.severity.value) for d in report.diagnostics if "curly quotes" in d.message}
    assert found == {
        (DRAFT_STORY_FILE, 2, "warning"),
        ("content/tools/mapping.md", index + 1, "error"),
    }
