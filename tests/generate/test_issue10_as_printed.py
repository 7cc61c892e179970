"""Issue 10's email follows the seed phrase by phrase, in order, with its marks and bold."""

from __future__ import annotations

from pathlib import Path

from conftest import approve_again, run_sofs
from seed_text import differences, seed_phrases, visible_text


def test_the_seed_copy_keeps_every_phrase_and_mark() -> None:
    phrases = [phrase for phrase, _ in seed_phrases()]
    assert phrases[0].startswith("Hello, and welcome to the 10th")
    assert phrases[-1] == "Authority - Honoring - Vision - Questioning - Compassion."
    assert phrases.count("What will you see or hear that tells you we are meeting this?") == 4
    assert "✓ Signs of belonging" in phrases


def test_the_email_of_issue_10_follows_the_seed(project: Path, tmp_path: Path) -> None:
    result = run_sofs(project, "email", "render", "10", "--out", str(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    html = (tmp_path / "010.html").read_text(encoding="utf-8")
    assert differences(visible_text(html)) == []
    assert "<strong>fundamental</strong>" in html
    assert "(an example date)" in html, "the made-up date says it is an example"


def test_a_drift_from_the_seed_is_found(project: Path, tmp_path: Path) -> None:
    issue = project / "content/issues/010-meaningful-measures.md"
    text = issue.read_text(encoding="utf-8")
    edited = text.replace("living safety and securely", "living safely and securely").replace(
        "\n## Principles\n", "\n## Principles\n\nA sentence the seed does not have.\n"
    )
    issue.write_text(edited, encoding="utf-8")
    approve_again(project, 10)
    result = run_sofs(project, "email", "render", "10", "--out", str(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    html = (tmp_path / "010.html").read_text(encoding="utf-8")
    found = differences(visible_text(html))
    assert any("living safety and securely" in problem for problem in found), found
    assert any("A sentence the seed does not have." in problem for problem in found), found
