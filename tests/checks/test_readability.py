"""Plain language: syllables, sentences and Flesch reading ease; `sofs check --report`
and the warning below `reading_ease_min`."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import copy_project, fixture_project, run_sofs

from generator.checks.readability import analyse, ease_band, prose_blocks, split_sentences, syllables


@pytest.mark.parametrize(
    ("word", "count"),
    [
        ("the", 1),
        ("cat", 1),
        ("safety", 2),
        ("family", 3),
        ("meaningful", 3),
        ("plans", 1),
        ("house", 1),
        ("children", 2),
        ("questions", 2),
        ("supervision", 4),
        ("10", 1),
        ("statement", 2),
        ("safeguarding", 3),
        ("timeline", 2),
        ("lately", 2),
    ],
)
def test_syllable_estimates(word: str, count: int) -> None:
    assert syllables(word) == count


def test_flesch_reading_ease_by_hand() -> None:
    # 2 sentences, 7 words, 9 syllables (fam-i-lies has three).
    stats = analyse("The cat sat down. Families like plans.")
    assert (len(stats.sentences), stats.words, stats.syllables) == (2, 7, 9)
    assert stats.reading_ease == pytest.approx(206.835 - 1.015 * 7 / 2 - 84.6 * 9 / 7)
    assert ease_band(stats.reading_ease) == "very easy"
    assert ease_band(55) == "fairly difficult"


def test_markup_headings_code_and_comments_are_not_prose() -> None:
    markdown = (
        "## A heading\n\nSee [the guide](guide.md) and **bold** words.\n<!-- a note\nfor authors -->\n"
        "```\ncode is not prose\n```\n- A list item\n- Another one\n\n| a | table |\n"
    )
    blocks = [block.text for block in prose_blocks(markdown)]
    assert blocks == ["See the guide and bold words.", "A list item", "Another one"]


def test_sentences_split_before_capitals_and_keep_their_lines() -> None:
    assert [s for _, s in split_sentences("One e.g. two. Three! 4 more? yes.")] == [
        "One e.g. two.",
        "Three!",
        "4 more? yes.",
    ]
    stats = analyse("First line of a paragraph\nthat goes on. A second\nsentence here.\n\nNew block.")
    assert [(s.line, s.words) for s in stats.sentences] == [(0, 8), (1, 4), (4, 2)]


def test_report_shows_figures_and_longest_sentences(project: Path) -> None:
    result = run_sofs(project, "check", "--report")
    assert result.returncode == 0, result.stdout
    match = re.search(
        r"content/issues/010-meaningful-measures\.md: issue 10: reading ease (\d+\.\d)", result.stdout
    )
    assert match, result.stdout
    assert 50 <= float(match.group(1)) <= 70
    longest = re.search(r"\n  line (\d+), (\d+) words: (.*)", result.stdout[match.end() :])
    assert longest
    line = (
        (project / "content/issues/010-meaningful-measures.md")
        .read_text(encoding="utf-8")
        .split("\n")[int(longest.group(1)) - 1]
    )
    assert line.startswith(longest.group(3)[:40])


def test_report_in_json_carries_readability(project: Path) -> None:
    payload = json.loads(run_sofs(project, "check", "--report", "--format", "json").stdout)
    issue = next(item for item in payload["readability"] if item["issue"] == 10)
    assert issue["words"] > 500 and len(issue["longest"]) == 3
    assert issue["longest"][0]["words"] >= issue["longest"][1]["words"]
    assert "diagnostics" in payload


def test_a_hard_issue_warns_below_the_threshold(tmp_path: Path) -> None:
    root = fixture_project(tmp_path / "hard")
    issue = root / "content/issues/001-first-issue.md"
    hard = (
        "Notwithstanding organisational considerations, multidisciplinary practitioners "
        "systematically operationalise comprehensive safeguarding methodologies, "
        "institutionalising collaborative accountability frameworks."
    )
    original = issue.read_text(encoding="utf-8")
    issue.write_text(original.replace("Hello and welcome to the first issue.", hard), encoding="utf-8")
    short = run_sofs(root, "check")  # too few words for a dependable score: no warning
    assert "[plain-language.reading-ease]" not in short.stdout
    issue.write_text(
        original.replace("Hello and welcome to the first issue.", " ".join([hard] * 8)), encoding="utf-8"
    )
    result = run_sofs(root, "check")
    assert re.search(
        r"^content/issues/001-first-issue\.md:3: warning: the issue's Flesch reading ease is "
        r"-?\d+\.\d \(very difficult\), below reading_ease_min 50;.*\[plain-language\.reading-ease\]$",
        result.stdout,
        re.M,
    ), result.stdout
    assert result.returncode == 0
    assert run_sofs(root, "check", "--strict").returncode == 1


def test_the_threshold_is_a_setting(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "strict-reading")
    config = root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(
        re.sub(r"(\n      mailbox: .*\n)", r"\1      reading_ease_min: 95\n", text, count=1), encoding="utf-8"
    )
    result = run_sofs(root, "check")
    warned = [line for line in result.stdout.splitlines() if "[plain-language.reading-ease]" in line]
    assert [line.split(":")[0] for line in warned] == [
        "content/issues/010-meaningful-measures.md",
        "content/issues/011-signs-of-wellbeing.md",
    ]
    assert "below reading_ease_min 95" in warned[0]
