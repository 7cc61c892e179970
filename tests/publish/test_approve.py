"""`sofs approve`, `sofs check` and `sofs publish` on real git repositories: sign-off as an act."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
from conftest import fixture_project, run_sofs

ISSUE = "content/issues/002-second-issue.md"
STORY = "content/feedback/first-contact-second.md"
ALICE = ("Alice Writer", "alice@example.org")
SAM = ("Sam Approver", "sam@example.org")


def git(root: Path, *args: str, who: tuple[str, str] | None = None) -> str:
    identity = ["-c", f"user.name={who[0]}", "-c", f"user.email={who[1]}"] if who else []
    result = subprocess.run(
        ["git", "-c", "commit.gpgsign=false", *identity, *args],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout


def be(root: Path, who: tuple[str, str]) -> None:
    """Make `who` the person running sofs in `root` (the repository's own git identity)."""
    git(root, "config", "user.name", who[0])
    git(root, "config", "user.email", who[1])


def commit_all(root: Path, who: tuple[str, str], message: str) -> None:
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", message, who=who)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """The publish fixture as a git repository, every file committed by Alice."""
    root = fixture_project(tmp_path / "publish", "publish")
    git(root, "init", "-q")
    (root / ".gitignore").write_text("data/\nsite/\n.cache/\n", "utf-8")
    commit_all(root, ALICE, "The newsletter as Alice wrote it")
    return root


def approval_records(root: Path) -> list[dict[str, Any]]:
    log = root / "data" / "publications.jsonl"
    return [r for r in map(json.loads, log.read_text("utf-8").splitlines()) if r["event"] == "approval"]


def edit(root: Path, path: str, old: str, new: str) -> None:
    file = root / path
    text = file.read_text("utf-8")
    assert old in text, old
    file.write_text(text.replace(old, new, 1), "utf-8")


def front_matter_line(root: Path, path: str, name: str) -> int:
    lines = (root / path).read_text("utf-8").splitlines()
    return next(n for n, line in enumerate(lines, start=1) if line.startswith(f"{name}:"))


def test_approve_writes_only_its_lines_and_records_who_when_and_what(project: Path) -> None:
    be(project, SAM)
    before = (project / ISSUE).read_bytes()
    result = run_sofs(project, "approve", "2", "--role", "Head of Service")
    assert result.returncode == 0, result.stdout + result.stderr
    assert (
        "Issue 2 approved by Sam Approver <sam@example.org> (git identity) on 15 January 2026."
        in result.stdout
    )
    after = (project / ISSUE).read_bytes()
    old, new = before.splitlines(keepends=True), after.splitlines(keepends=True)
    assert len(old) == len(new)
    changed = [(a, b) for a, b in zip(old, new, strict=True) if a != b]
    assert [b for _, b in changed][:2] == [
        b'approved_by: "Sam Approver, Head of Service"\n',
        b"approved_on: 2026-01-15\n",
    ]
    assert all(a.split(b":")[0] == b.split(b":")[0] for a, b in changed)
    assert {a.split(b":")[0] for a, _ in changed} <= {b"approved_by", b"approved_on", b"approved_sha256"}

    (record,) = approval_records(project)
    assert record["issue"] == 2 and record["approved_by"] == "Sam Approver, Head of Service"
    assert record["approver"] == {"name": "Sam Approver", "email": "sam@example.org", "from": "git"}
    assert [f["path"] for f in record["files"]] == [STORY, ISSUE]
    assert f'approved_sha256: "{record["approved_sha256"]}"'.encode() in after
    check = run_sofs(project, "check", "--strict")
    assert check.returncode == 0, check.stdout
    assert run_sofs(project, "audit", "--verify").returncode == 0

    again = run_sofs(project, "approve", "2", "--role", "Head of Service")
    assert again.returncode == 0 and "nothing was written" in again.stdout
    assert len(approval_records(project)) == 1


def test_an_edit_after_approval_voids_it_and_check_names_the_file(project: Path) -> None:
    be(project, SAM)
    assert run_sofs(project, "approve", "2").returncode == 0
    line = front_matter_line(project, ISSUE, "approved_sha256")
    edit(project, STORY, "The plan is theirs", "The plan is still theirs")
    result = run_sofs(project, "check")
    assert result.returncode == 1
    assert (
        f"{ISSUE}:{line}: error: {STORY} was edited since issue 2 was approved, so its approval "
        "(approved_sha256) no longer covers what would go out: the practice lead reviews the change and "
        "runs `sofs approve 2` again [approval.changed]"
    ) in result.stdout.splitlines()

    edit(project, ISSUE, "status: ready", "status: draft")  # a draft is only warned about
    draft = run_sofs(project, "check")
    assert draft.returncode == 0
    assert f"{ISSUE}:{line}: warning: {STORY} was edited since issue 2 was approved" in draft.stdout
    assert "again, before the issue is marked ready [approval.changed]" in draft.stdout

    edit(project, STORY, "The plan is still theirs", "The plan is theirs")  # undone: valid again
    assert run_sofs(project, "check", "--strict").returncode == 0

    extra = project / "content/feedback/first-contact-extra.md"
    extra.write_text(
        (project / STORY).read_text("utf-8").replace("A network that stayed", "Another"), "utf-8"
    )
    added = run_sofs(project, "check").stdout
    assert (
        "content/feedback/first-contact-extra.md was added to the issue since issue 2 was approved" in added
    )
    extra.unlink()

    edit(project, ISSUE, "approved_on: 2026-01-15", "approved_on: 2026-01-14")
    assert (
        "approved_by or approved_on was edited by hand since issue 2 was approved"
        in run_sofs(project, "check").stdout
    )
    (project / "data/publications.jsonl").rename(project / "elsewhere.jsonl")  # a fresh clone: no record
    unknown = run_sofs(project, "check").stdout
    assert (
        f"the issue, one of its team stories or its approved_by or approved_on line was edited (the approval "
        f"covers {STORY}, {ISSUE}; its record, which says which, is not in data/publications.jsonl on this "
        "computer)"
    ) in unknown


def test_line_endings_and_the_status_line_do_not_void_an_approval(project: Path) -> None:
    be(project, SAM)
    assert run_sofs(project, "approve", "2").returncode == 0
    for path in (ISSUE, STORY):
        file = project / path
        file.write_bytes(file.read_bytes().replace(b"\n", b"\r\n"))
    edit(project, ISSUE, "status: ready", "status: published")
    assert run_sofs(project, "check", "--strict").returncode == 0


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            'approved_sha256: "',
            '# approved_sha256: "',
            '"approved_by" was written by hand: an approval must be recorded with `sofs approve 2`',
        ),
        (
            'approved_sha256: "',
            'approved_sha256: "0',
            '"approved_sha256" should be the 64 characters `sofs approve` wrote',
        ),
    ],
)
def test_an_approval_typed_by_hand_is_reported(project: Path, old: str, new: str, message: str) -> None:
    edit(project, ISSUE, old, new)
    result = run_sofs(project, "check")
    assert result.returncode == 1
    assert message in result.stdout
    assert run_sofs(project, "publish", "2", "--dry-run", "--no-email").returncode == 1


def test_approve_refuses_unreviewed_or_unfinished_text(project: Path) -> None:
    be(project, SAM)
    edit(project, STORY, 'anonymisation_reviewed_by: "Team manager, First Contact"\n', "")
    edit(project, STORY, "anonymisation_reviewed_on: 2026-01-08\n", "")
    before = (project / ISSUE).read_bytes()
    result = run_sofs(project, "approve", "2")
    assert result.returncode == 1
    assert f"{STORY}:4: error: this story goes out in issue 2, which is being approved" in result.stdout
    assert "cannot be approved yet" in result.stderr and "nothing was written" in result.stderr
    assert (project / ISSUE).read_bytes() == before
    assert not (project / "data/publications.jsonl").exists()
    missing = run_sofs(project, "approve", "9")
    assert missing.returncode == 1 and "there is no issue 9 (issues: 1, 2)" in missing.stderr


def test_four_eyes_publish_refuses_when_the_approver_is_the_only_author(project: Path) -> None:
    be(project, ALICE)
    assert run_sofs(project, "approve", "2").returncode == 0
    refused = run_sofs(project, "publish", "2", "--dry-run", "--no-email")
    assert refused.returncode == 1, refused.stdout
    assert refused.stdout.rstrip().endswith("2/6 approvals: stopped")
    assert (
        "issue 2 was approved by Alice Writer <alice@example.org> (git identity), who is also the only "
        "author of its text in git" in refused.stderr
    )
    assert "--allow-self-approval" in refused.stderr

    allowed = run_sofs(project, "publish", "2", "--dry-run", "--no-email", "--allow-self-approval")
    assert allowed.returncode == 0, allowed.stdout + allowed.stderr
    assert "its only author (--allow-self-approval" in allowed.stdout

    published = run_sofs(project, "publish", "2", "--no-email", "--allow-self-approval", "--by", "Alice")
    assert published.returncode == 0, published.stdout + published.stderr
    log = [json.loads(line) for line in (project / "data/publications.jsonl").read_text("utf-8").splitlines()]
    assert [r["event"] for r in log] == ["approval", "publication"]
    record = log[-1]
    assert record["allow_self_approval"] is True
    assert record["four_eyes"]["sole_author"] is True
    assert record["four_eyes"]["authors"] == [{"name": "Alice Writer", "email": "alice@example.org"}]
    assert record["approvals"]["issue"]["sha256"] == log[0]["approved_sha256"]
    assert run_sofs(project, "audit", "--verify").returncode == 0


def test_four_eyes_a_second_person_may_approve(project: Path) -> None:
    be(project, SAM)
    assert run_sofs(project, "approve", "2").returncode == 0
    commit_all(project, SAM, "Approve issue 2")  # committing the approval lines is not authorship
    result = run_sofs(project, "publish", "2", "--dry-run", "--no-email")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "four eyes: written by Alice Writer, approved by Sam Approver <sam@example.org>" in result.stdout


def test_four_eyes_counts_uncommitted_text_and_every_story_author(project: Path) -> None:
    be(project, ALICE)
    edit(project, STORY, "The plan is theirs", "The plan is their own")
    commit_all(project, SAM, "Sam edits the story")  # Sam wrote part of it, Alice approves
    assert run_sofs(project, "approve", "2").returncode == 0
    assert run_sofs(project, "publish", "2", "--dry-run", "--no-email").returncode == 0

    be(project, SAM)  # now Sam approves with an uncommitted edit of his own: Alice wrote some too
    edit(project, STORY, "The plan is their own", "The plan is theirs")
    assert run_sofs(project, "approve", "2").returncode == 0
    assert run_sofs(project, "publish", "2", "--dry-run", "--no-email").returncode == 0


def test_four_eyes_sole_author_with_uncommitted_changes(tmp_path: Path) -> None:
    root = fixture_project(tmp_path / "solo", "publish")
    git(root, "init", "-q")
    be(root, SAM)  # nothing committed yet: every file is Sam's uncommitted work
    assert run_sofs(root, "approve", "2").returncode == 0
    refused = run_sofs(root, "publish", "2", "--dry-run", "--no-email")
    assert refused.returncode == 1
    assert "and the changes not committed yet" in refused.stderr


def test_without_git_four_eyes_is_not_checked_and_says_so(tmp_path: Path) -> None:
    root = fixture_project(tmp_path / "plain", "publish")
    result = run_sofs(root, "publish", "2", "--dry-run", "--no-email")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "four eyes not checked: the project is not a git checkout" in result.stdout
