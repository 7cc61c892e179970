"""Sign-offs, the `ready` status and review-by dates, as `sofs check` reports them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from conftest import fixture_project, run_sofs

from generator.content.loader import load_site
from generator.content.visibility import Visibility
from generator.generate.context import BuildContext
from generator.generate.pages import generate_docs
from generator.settings.reader import load_settings

ISSUE = "content/issues/002-second-issue.md"
STORY = "content/feedback/first-contact-second.md"
#: Issue 2's sign-off, as `sofs approve` wrote it.
SIGN_OFF = (
    'approved_by: "Head of Service"\napproved_on: 2026-01-09\n'
    'approved_sha256: "be3c6435111ee0fc6261271c6a9564095a28143bc41f5c174228daca4712629f"\n'
)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return fixture_project(tmp_path / "publish", "publish")


def edit(root: Path, path: str, old: str, new: str) -> None:
    file = root / path
    text = file.read_text("utf-8")
    assert old in text, old
    file.write_text(text.replace(old, new, 1), "utf-8")


def test_a_draft_without_sign_offs_is_valid_but_ready_needs_them(project: Path) -> None:
    edit(project, ISSUE, SIGN_OFF, "")
    edit(project, STORY, 'anonymisation_reviewed_by: "Team manager, First Contact"\n', "")
    edit(project, STORY, "anonymisation_reviewed_on: 2026-01-08\n", "")
    ready = run_sofs(project, "check")
    assert ready.returncode == 1
    assert ready.stdout.splitlines()[:2] == [
        f"{STORY}:4: error: this story goes out in issue 2, which is marked ready, so required_approvals in "
        "mkdocs.yml asks for its anonymisation review: who checked that no child or family can be recognised, "
        'and when; add `anonymisation_reviewed_by: "Team manager, First Contact"` and '
        "`anonymisation_reviewed_on: 2026-01-15` to the front matter [approval.missing]",
        f"{ISSUE}:6: error: issue 2 is marked ready, so required_approvals in mkdocs.yml asks for its sign-off; "
        "after reviewing the issue and its team stories, the practice lead runs `sofs approve 2`, which writes "
        "who approved it, when, and the SHA-256 of what they approved (approved_by, approved_on and "
        "approved_sha256) into the front matter [approval.missing]",
    ]
    edit(project, ISSUE, "status: ready", "status: draft")
    draft = run_sofs(project, "check", "--strict")
    assert draft.returncode == 0, draft.stdout


def test_nothing_is_required_when_mkdocs_yml_asks_for_nothing(project: Path) -> None:
    edit(project, "mkdocs.yml", "      required_approvals: [issue_sign_off, story_anonymisation]\n", "")
    edit(project, ISSUE, SIGN_OFF, "")
    assert run_sofs(project, "check", "--strict").returncode == 0


def test_impossible_and_half_written_sign_offs(project: Path) -> None:
    edit(project, ISSUE, "approved_on: 2026-01-09", "approved_on: 2026-02-01")
    edit(project, STORY, "anonymisation_reviewed_on: 2026-01-08", "anonymisation_reviewed_on: 2026-01-10")
    result = run_sofs(project, "check").stdout
    assert (
        f'{ISSUE}:15: error: "approved_on" is 1 February 2026, after today (15 January 2026); '
        "write the day it actually happened [approval.future]" in result
    )
    edit(project, ISSUE, "approved_on: 2026-02-01", "approved_on: 2026-01-09")
    order = run_sofs(project, "check").stdout
    assert (
        f'{ISSUE}:15: error: "approved_on" is 9 January 2026, before the anonymisation review of {STORY} '
        "(10 January 2026)" in order
    )
    edit(project, ISSUE, "status: ready", "status: draft")
    edit(project, ISSUE, 'approved_by: "Head of Service"\n', "")
    edit(project, STORY, "anonymisation_reviewed_on: 2026-01-10", "anonymisation_reviewed_on: 2026-01-08")
    half = run_sofs(project, "check")
    assert half.returncode == 0
    assert (
        f'{ISSUE}:14: warning: "approved_on" is here but "approved_by" is not: a sign-off needs both; after '
        "reviewing the issue and its team stories, the practice lead runs `sofs approve 2`" in half.stdout
    )


def test_a_sign_off_long_before_the_issue_date_is_a_likely_typo(project: Path) -> None:
    edit(project, ISSUE, "approved_on: 2026-01-09", "approved_on: 2025-01-09")
    edit(project, STORY, "anonymisation_reviewed_on: 2026-01-08", "anonymisation_reviewed_on: 2025-01-08")
    result = run_sofs(project, "check", "--strict")
    assert result.returncode == 1
    assert f'{ISSUE}:15: warning: "approved_on" is 9 January 2025, more than 180 days before' in result.stdout


def test_required_approvals_setting_is_validated_with_its_line(project: Path) -> None:
    edit(project, "mkdocs.yml", "[issue_sign_off, story_anonymisation]", "[issue_signoff, 3]")
    result = run_sofs(project, "check")
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert (
        "mkdocs.yml:11: error: \"required_approvals\" has an unknown approval 'issue_signoff'; "
        'did you mean "issue_sign_off"? [config.invalid]' in lines
    )
    assert any(
        line.startswith('mkdocs.yml:11: error: "required_approvals" has an unknown approval 3;')
        for line in lines
    )
    edit(project, "mkdocs.yml", "[issue_signoff, 3]", "issue_sign_off")
    single = run_sofs(project, "check").stdout
    assert 'mkdocs.yml:11: error: "required_approvals" should be a list' in single


def test_a_ready_issue_is_strict_about_sections_and_is_not_shown(project: Path) -> None:
    edit(project, ISSUE, "## Principles\n\nWe keep asking questions and we are ready to be wrong.\n", "")
    result = run_sofs(project, "check")
    assert result.returncode == 1
    assert f'{ISSUE}:18: error: missing required section "Principles"' in result.stdout
    settings, _ = load_settings(project)
    site, _ = load_site(settings)
    today = dt.date(2026, 1, 15)
    assert [i.number for i in Visibility(today).issues(site)] == [1]
    assert [i.number for i in Visibility(today, include_drafts=True).issues(site)] == [2, 1]


def test_review_by_warns_when_passed_and_the_page_shows_the_last_review(project: Path) -> None:
    tool = "content/tools/scaling-questions.md"
    edit(
        project,
        tool,
        "review_by: 2030-01-01\n",
        "last_reviewed: 2025-06-01\nreview_by: 2026-01-01\n",
    )
    edit(
        project,
        "content/measures/1-keeping-children-safe.md",
        "review_by: 2030-01-01\n",
        "last_reviewed: 2025-07-01\nreview_by: 2026-07-01\n",
    )
    edit(
        project,
        "content/principles/critical-inquiry.md",
        'summary: "Be ready to admit you may have it wrong."\n',
        'summary: "Be ready to admit you may have it wrong."\nlast_reviewed: 2026-03-01\n',
    )
    result = run_sofs(project, "check")
    assert result.stdout.splitlines() == [
        'content/principles/critical-inquiry.md:4: error: "last_reviewed" is 1 March 2026, after today '
        "(15 January 2026); write the day the page was actually reviewed [review.future]",
        f"{tool}:10: warning: this page was due for review by 1 January 2026; check it is still right, then set "
        "`last_reviewed: 2026-01-15` and a new `review_by` date [review.due]",
        "1 error, 1 warning.",
    ]
    earlier = run_sofs(project, "check", env={"SOFS_TODAY": "2025-12-31"})
    assert "review.due" not in earlier.stdout
    settings, _ = load_settings(project)
    site, _ = load_site(settings)
    pages = generate_docs(BuildContext(site, Visibility(dt.date(2026, 1, 15)))).pages
    assert "Last reviewed 1 June 2025." in pages["tools/scaling-questions.md"]
    assert "Last reviewed 1 July 2025." in pages["measures/1-keeping-children-safe.md"]
    assert "Last reviewed 1 March 2026." in pages["principles/critical-inquiry.md"]
    assert "Last reviewed" not in pages["issues/001-first-issue.md"]
