"""`sofs new story`: a team story with its review fields, checked like any other."""

from __future__ import annotations

from pathlib import Path

from conftest import run_sofs


def test_new_story_scaffolds_a_story_with_its_review_fields(project: Path) -> None:
    result = run_sofs(
        project,
        "new",
        "story",
        "--title",
        "A plan the family wrote",
        "--team",
        "First Contact",
        "--issue",
        "11",
    )
    assert result.returncode == 0, result.stderr
    created = project / "content/feedback/a-plan-the-family-wrote.md"
    assert "content/feedback/a-plan-the-family-wrote.md" in result.stdout
    text = created.read_text("utf-8")
    for line in ("team: first-contact\n", "issue: 11\n", "measures: []\n", "tools: []\n"):
        assert line in text
    assert "anonymisation_reviewed_by:\n" in text and "anonymisation_reviewed_on:\n" in text

    check = run_sofs(project, "check")
    assert check.returncode == 0, check.stdout
    assert "a-plan-the-family-wrote.md" in check.stdout and "[scaffold.note]" in check.stdout
    assert run_sofs(project, "check", "--strict").returncode == 1

    created.write_text(
        text.replace(text[text.index("<!--") :], "The family wrote their own plan with the worker.\n"),
        encoding="utf-8",
    )
    assert "a-plan-the-family-wrote.md" not in run_sofs(project, "check").stdout


def test_new_story_for_a_ready_issue_is_refused_until_reviewed(project: Path) -> None:
    issue = project / "content/issues/011-signs-of-wellbeing.md"
    assert (
        run_sofs(project, "new", "story", "--title", "Ready story", "--team", "first-contact").returncode == 0
    )
    issue.write_text(issue.read_text("utf-8").replace("status: draft", "status: ready"), encoding="utf-8")
    check = run_sofs(project, "check")
    story_lines = [line for line in check.stdout.splitlines() if "feedback/ready-story.md" in line]
    assert any("error" in line and "[scaffold.note]" in line for line in story_lines)
    assert any("anonymisation" in line for line in story_lines)


def test_new_story_validates_team_and_issue(project: Path) -> None:
    wrong_team = run_sofs(project, "new", "story", "--title", "X", "--team", "frist-contact")
    assert wrong_team.returncode == 2
    assert 'did you mean "first-contact"?' in wrong_team.stderr and "nothing was written" in wrong_team.stderr
    wrong_issue = run_sofs(
        project, "new", "story", "--title", "X", "--team", "first-contact", "--issue", "14"
    )
    assert wrong_issue.returncode == 2 and "there is no issue 14" in wrong_issue.stderr
    empty = run_sofs(project, "new", "story", "--title", "  ", "--team", "first-contact")
    assert empty.returncode == 2
    assert not list((project / "content/feedback").glob("x*.md"))


def test_new_story_never_overwrites(project: Path) -> None:
    assert run_sofs(project, "new", "story", "--title", "Same", "--team", "first-contact").returncode == 0
    again = run_sofs(project, "new", "story", "--title", "Same", "--team", "first-contact")
    assert again.returncode == 1 and "already exists" in again.stderr
