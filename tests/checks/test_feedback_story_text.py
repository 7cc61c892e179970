"""Team-story text written into an issue's feedback section needs the anonymisation review a story file has."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import fixture_project, run_sofs

ISSUE = "content/issues/002-second-issue.md"
INTRO = "Teams tell us what is changing for the families we work with.\n"
REVIEW = 'anonymisation_reviewed_by: "Team manager, First Contact"\nanonymisation_reviewed_on: 2026-01-08\n'
PASTED = (
    "### From First Contact\n\n"
    "The family's network met every week. Their plan is working and the children are safe at home.\n"
)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """Issue 2 is ready; its own approval is taken away, so only the text rules are in play."""
    root = fixture_project(tmp_path / "publish", "publish")
    edit(root, ISSUE, 'approved_by: "Head of Service"\napproved_on: 2026-01-09\n', "")
    text = (root / ISSUE).read_text("utf-8")
    (root / ISSUE).write_text(
        "".join(line for line in text.splitlines(True) if "approved_sha256" not in line), "utf-8"
    )
    edit(root, "mkdocs.yml", "[issue_sign_off, story_anonymisation]", "[story_anonymisation]")
    return root


def edit(root: Path, path: str, old: str, new: str) -> None:
    file = root / path
    text = file.read_text("utf-8")
    assert old in text, old
    file.write_text(text.replace(old, new, 1), "utf-8")


def line_of(root: Path, path: str, text: str) -> int:
    lines = (root / path).read_text("utf-8").splitlines()
    return next(n for n, line in enumerate(lines, start=1) if line.startswith(text))


def test_story_text_pasted_into_the_feedback_section_is_an_error_that_says_how_to_move_it(
    project: Path,
) -> None:
    edit(project, ISSUE, REVIEW, "")
    edit(project, ISSUE, INTRO, PASTED)
    result = run_sofs(project, "check")
    assert result.returncode == 1
    line = line_of(project, ISSUE, "### From First Contact")
    (found,) = [d for d in result.stdout.splitlines() if "[approval.story-text]" in d]
    assert found.startswith(
        f'{ISSUE}:{line}: error: the section "Feedback from teams across the service" has text of its own, '
        "which goes out beside the team stories; issue 2 is marked ready, so required_approvals in "
        "mkdocs.yml asks for the same anonymisation review as a story file, and this text has none. If it "
        "is a team's story, move it into its own file, content/feedback/002-first-contact.md, that starts "
        'with this front matter (one line each, between two `---` lines): `title: "A short headline"`, '
        "`team: first-contact`, `issue: 2`, `date: 2026-01-12`, `measures: [1]`, "
        '`anonymisation_reviewed_by: "Team manager, First Contact"` and `anonymisation_reviewed_on: 2026-01-15`'
    )

    edit(project, ISSUE, "status: ready", "status: draft")  # a draft needs no review yet
    assert "[approval.story-text]" not in run_sofs(project, "check").stdout


def test_the_suggested_story_file_name_is_free(project: Path) -> None:
    edit(project, ISSUE, REVIEW, "")
    story = project / "content/feedback/first-contact-second.md"
    story.rename(project / "content/feedback/002-first-contact.md")
    result = run_sofs(project, "check").stdout
    assert "move it into its own file, content/feedback/002-first-contact-2.md," in result


def test_the_issue_s_own_anonymisation_review_covers_the_text(project: Path) -> None:
    edit(project, ISSUE, INTRO, PASTED)
    result = run_sofs(project, "check", "--strict")
    assert result.returncode == 0, result.stdout


@pytest.mark.parametrize(
    "section",
    [
        "",
        "<!-- Write one line to introduce the stories. -->\n",
        "<!--\nA guidance note\nover three lines\n-->\n",
    ],
    ids=["empty", "guidance comment", "long comment"],
)
def test_an_empty_section_or_a_guidance_comment_is_not_text(project: Path, section: str) -> None:
    edit(project, ISSUE, REVIEW, "")
    edit(project, ISSUE, INTRO, section)
    result = run_sofs(project, "check", "--strict")
    assert result.returncode == 0, result.stdout


def test_half_a_review_is_reported_and_a_review_after_the_sign_off_is_an_error(project: Path) -> None:
    edit(project, ISSUE, 'anonymisation_reviewed_by: "Team manager, First Contact"\n', "")
    half = run_sofs(project, "check").stdout
    assert '"anonymisation_reviewed_on" is here but "anonymisation_reviewed_by" is not' in half
    edit(
        project,
        ISSUE,
        "anonymisation_reviewed_on: 2026-01-08\n",
        REVIEW.replace("2026-01-08", "2026-01-12") + "approved_by: Someone\napproved_on: 2026-01-10\n",
    )
    order = run_sofs(project, "check").stdout
    assert (
        f'"approved_on" is 10 January 2026, before the anonymisation review of the text in {ISSUE}\'s '
        "feedback section (12 January 2026)"
    ) in order


def test_nothing_is_asked_when_story_anonymisation_is_not_required(project: Path) -> None:
    edit(project, "mkdocs.yml", "      required_approvals: [story_anonymisation]\n", "")
    edit(project, ISSUE, REVIEW, "")
    edit(project, ISSUE, INTRO, PASTED)
    assert run_sofs(project, "check", "--strict").returncode == 0
