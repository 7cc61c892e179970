"""Example text, blanks to fill in and example field values: each is found where it is,
with what to replace; an error only in an issue that goes out to readers."""

from __future__ import annotations

from pathlib import Path

from conftest import fixture_project, run_sofs

from generator.basics.diagnostics import Diagnostic, Severity
from generator.checks.examples import MARKER, find_markers
from generator.checks.project import check_project

ISSUE = "content/issues/001-first-issue.md"
STORY = "content/feedback/first-contact-story.md"


def _examples(root: Path) -> list[Diagnostic]:
    report = check_project(root, use_cache=False).report
    return [d for d in report.diagnostics if d.code.startswith("example.")]


def _edit(root: Path, path: str, old: str, new: str) -> None:
    file = root / path
    text = file.read_text(encoding="utf-8")
    assert old in text, old
    file.write_text(text.replace(old, new, 1), encoding="utf-8")


def _line_of(root: Path, path: str, start: str) -> int:
    lines = (root / path).read_text(encoding="utf-8").split("\n")
    return next(number for number, line in enumerate(lines, start=1) if line.startswith(start))


def test_a_marker_in_a_draft_is_a_located_warning_that_says_what_to_do(tmp_path: Path) -> None:
    root = fixture_project(tmp_path / "p")
    _edit(root, ISSUE, "status: published", "status: draft")
    _edit(root, ISSUE, "Write to the mailbox.", "Write to [FILL: the team's mailbox address].")
    _edit(root, ISSUE, "We keep asking questions.", "[EXAMPLE: We keep asking questions.]")
    found = _examples(root)
    assert [(d.path, d.line, d.severity) for d in found] == [
        (ISSUE, _line_of(root, ISSUE, "[EXAMPLE:"), Severity.WARNING),
        (ISSUE, _line_of(root, ISSUE, "Write to [FILL"), Severity.WARNING),
    ]
    example, blank = (d.message for d in found)
    assert '"[EXAMPLE: We keep asking questions.]"' in example
    assert "replace the whole marker with your own text, or delete it" in example
    assert '"[FILL: the team\'s mailbox address]"' in blank
    assert "write what it asks for in place of the whole marker" in blank


def test_a_marker_in_a_published_issue_or_its_story_is_an_error(tmp_path: Path) -> None:
    root = fixture_project(tmp_path / "p")
    _edit(root, ISSUE, "Write to the mailbox.", "Write to [fill: the mailbox].")
    _edit(root, STORY, "The family wrote", "[Example: The family wrote")
    _edit(root, STORY, "it is working.", "it is working.]")
    found = {(d.path, d.severity) for d in _examples(root)}
    assert found == {(ISSUE, Severity.ERROR), (STORY, Severity.ERROR)}
    messages = " ".join(d.message for d in _examples(root))
    assert "issue 1 is published but still has" in messages
    assert "this story is in issue 1, which is published, but" in messages


def test_markers_readers_never_see_are_not_reported(tmp_path: Path) -> None:
    root = fixture_project(tmp_path / "p")
    _edit(
        root,
        ISSUE,
        "Write to the mailbox.",
        "Write `[FILL: x]` to mark a blank. <!-- [EXAMPLE: a note] -->\n\n```\n[EXAMPLE: code]\n```",
    )
    assert _examples(root) == []


def test_markers_in_pages_front_matter_and_settings_are_warnings(tmp_path: Path) -> None:
    root = fixture_project(tmp_path / "p")
    _edit(root, ISSUE, 'summary: "The first', 'summary: "[FILL: one sentence] The first')
    _edit(root, "content/pages/home.md", "\n---\n", "\n---\n\n[FILL: who the newsletter is for]\n")
    _edit(root, "mkdocs.yml", "      teams:\n", "      # [EXAMPLE: list your own teams]\n      teams:\n")
    found = {(d.path, d.line, d.severity) for d in _examples(root)}
    assert (ISSUE, _line_of(root, ISSUE, "summary:"), Severity.ERROR) in found  # published
    assert (
        "content/pages/home.md",
        _line_of(root, "content/pages/home.md", "[FILL"),
        Severity.WARNING,
    ) in found
    assert ("mkdocs.yml", _line_of(root, "mkdocs.yml", "      # [EXAMPLE"), Severity.WARNING) in found
    assert len(found) == 3


def test_example_field_values_are_warnings_at_their_lines(tmp_path: Path) -> None:
    root = fixture_project(tmp_path / "p")
    _edit(root, ISSUE, "date: 2025-01-06\n", "date: 2025-01-06\nexamples: [date, approved_by]\n")
    _edit(root, STORY, "date: 2025-01-06\n", "date: 2025-01-06\nexamples: [date]\n")
    found = _examples(root)
    by_place = {(d.path, d.line, d.code): d for d in found}
    assert all(d.severity is Severity.WARNING for d in found)
    date = by_place[(ISSUE, _line_of(root, ISSUE, "date:"), "example.value")]
    assert "`date: 2025-01-06` is an example value" in date.message
    assert 'take "date" out of `examples`' in date.message
    missing = by_place[(ISSUE, _line_of(root, ISSUE, "examples:"), "example.unknown-field")]
    assert '`examples` names "approved_by", but this file has no field "approved_by"' in missing.message
    assert (STORY, _line_of(root, STORY, "date:"), "example.value") in by_place
    assert len(found) == 3


def test_a_marker_keyword_is_not_an_undefined_acronym(tmp_path: Path) -> None:
    root = fixture_project(tmp_path / "p")
    _edit(root, ISSUE, "status: published", "status: draft")
    _edit(root, ISSUE, "Write to the mailbox.", "[EXAMPLE: Write to `sofs` and the mailbox.] [FILL: x]")
    codes = {d.code for d in check_project(root, use_cache=False).report.diagnostics}
    assert "acronym.undefined" not in codes
    assert "example.marker" in codes


def test_find_markers_reads_each_marker_on_a_line() -> None:
    found = list(find_markers([(3, "[EXAMPLE: one] and [ FILL : two ] but not [EXAMPLES: three] or [x](y)")]))
    assert found == [(3, "EXAMPLE", "one"), (3, "FILL", "two")]
    assert MARKER.fullmatch("[Fill: the date]")


def test_the_sample_has_no_errors_and_says_what_it_made_up(project: Path) -> None:
    result = run_sofs(project, "check")
    assert result.returncode == 0, result.stdout
    lines = result.stdout.splitlines()[:-1]
    assert lines and all(line.endswith(("[example.value]", "[example.marker]")) for line in lines), lines
    issue_10 = "content/issues/010-meaningful-measures.md"
    for name in ("date", "approved_by", "approved_on"):
        assert any(line.startswith(issue_10) and f"`{name}: " in line for line in lines), name
    story = "content/feedback/first-contact-family-led-plans.md"
    for name in ("anonymisation_reviewed_by", "anonymisation_reviewed_on"):
        assert any(line.startswith(story) and f"`{name}: " in line for line in lines), name
    for page in ("about", "subscribe", "accessibility"):
        assert any(line.startswith(f"content/pages/{page}.md") for line in lines), page
    assert any(line.startswith("mkdocs.yml") and "Mel and Paul" in line for line in lines)
