"""`sofs new issue`: the next number, every required section, a draft that checks cleanly."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import run_sofs


def test_new_issue_scaffolds_the_next_draft(project: Path) -> None:
    result = run_sofs(
        project, "new", "issue", "--title", 'Signs of "Wellbeing": early help', "--date", "2026-02-02"
    )
    assert result.returncode == 0, result.stderr
    created = project / "content/issues/012-signs-of-wellbeing-early-help.md"
    assert "content/issues/012-signs-of-wellbeing-early-help.md" in result.stdout
    text = created.read_text("utf-8")
    assert "issue: 12\n" in text and "status: draft\n" in text
    for heading in (
        "## Meaningful measures- counting what counts",
        "## Principles",
        "## Signs of Something...",
    ):
        assert heading in text
    assert "## Message from your Practice Leads" in text
    assert text.count("<!--") == 6

    check = run_sofs(project, "check")
    assert check.returncode == 0, check.stdout
    # Six empty sections and the placeholder summary, each a warning while it is a draft.
    assert check.stdout.count("012-signs-of-wellbeing-early-help.md") == 7
    assert "[scaffold.summary]" in check.stdout
    assert "warning: required section" in check.stdout


def test_new_issue_never_overwrites(project: Path) -> None:
    assert run_sofs(project, "new", "issue", "--title", "Same", "--date", "2026-02-02").returncode == 0
    created = project / "content/issues/012-same.md"
    created.write_text(created.read_text("utf-8").replace("issue: 12", "issue: 11"), encoding="utf-8")
    (project / "content/issues/011-signs-of-wellbeing.md").unlink()
    again = run_sofs(project, "new", "issue", "--title", "Same", "--date", "2026-02-02")
    assert again.returncode == 1
    assert "already exists" in again.stderr


def test_new_issue_of_another_type(project: Path) -> None:
    result = run_sofs(project, "new", "issue", "--title", "Short bulletin", "--type", "bulletin")
    assert result.returncode == 0
    text = (project / "content/issues/012-short-bulletin.md").read_text("utf-8")
    assert "type: bulletin" in text and "## Principles" not in text
    wrong = run_sofs(project, "new", "issue", "--type", "magazine")
    assert wrong.returncode == 2 and "unknown issue type 'magazine'" in wrong.stderr


COMMANDS = [
    "check", "build", "serve", "new", "new issue", "new story", "email", "email render", "email send", "email status",
    "subscribers", "subscribers add", "subscribers remove", "subscribers list", "subscribers import",
    "publish", "audit",
]  # fmt: skip


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_with_an_example(project: Path, command: str) -> None:
    result = run_sofs(project, *command.split(), "--help")
    assert result.returncode == 0
    assert "example:" in result.stdout
