"""Misspelt required headings (issue 10's, as printed) are named at their own line, headings are never acronyms,
and notes or a placeholder summary left from `sofs new` are found."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from conftest import copy_project

from generator.basics.diagnostics import Diagnostic
from generator.checks.project import check_project
from generator.content.scaffold import FEEDBACK_NOTE, SECTION_NOTE, SUMMARY_PLACEHOLDER

TODAY = dt.date(2026, 1, 10)
ISSUE_11 = "content/issues/011-signs-of-wellbeing.md"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "headings")


def _edit(root: Path, relative: str, old: str, new: str) -> int:
    """Replace `old` (once) in a file; the 1-based line where it was."""
    path = root / relative
    text = path.read_text("utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return text[: text.index(old)].count("\n") + 1


def _found(root: Path, *codes: str) -> list[Diagnostic]:
    report = check_project(root, use_cache=False, today=TODAY).report
    return [d for d in report.diagnostics if d.code in codes]


def test_misspelt_headings_are_reported_at_their_line_with_did_you_mean(root: Path) -> None:
    measures = _edit(
        root, ISSUE_11, "## Meaningful measures- counting what counts\n", "## Meaningfull measures\n"
    )
    principles = _edit(root, ISSUE_11, "## Principles\n", "## Principels\n")
    message = _edit(
        root, ISSUE_11, "## Message from your Practice Leads\n", "## Mesage from you Practise Leads\n"
    )
    found = _found(root, "section.misspelt", "section.missing")
    assert [(d.line, d.code) for d in found] == [
        (measures, "section.misspelt"),
        (principles, "section.misspelt"),
        (message, "section.misspelt"),
    ]
    assert 'did you mean "Meaningful measures- counting what counts"?' in found[0].message
    assert 'did you mean "Principles"?' in found[1].message
    assert 'did you mean "Message from your Practice Leads"?' in found[2].message
    assert all(d.severity.value == "warning" for d in found)  # issue 11 is a draft


def test_a_heading_unlike_any_required_one_is_still_a_missing_section(root: Path) -> None:
    _edit(root, ISSUE_11, "## Principles\n", "## Something else entirely\n")
    found = _found(root, "section.misspelt", "section.missing")
    assert [d.code for d in found] == ["section.missing"]
    assert '"Principles"' in found[0].message


def test_ready_issue_misspelt_heading_is_an_error(root: Path) -> None:
    _edit(root, ISSUE_11, "status: draft", "status: ready")
    line = _edit(root, ISSUE_11, "## Signs of Something...\n", "## Sings of Something...\n")
    found = _found(root, "section.misspelt")
    assert [(d.line, d.severity.value) for d in found] == [(line, "error")]
    assert 'did you mean "Signs of Something..."?' in found[0].message


def test_headings_in_capitals_are_not_acronyms(root: Path) -> None:
    _edit(
        root,
        ISSUE_11,
        "## Principles\n",
        "## PRINCIPLES\n\n##PRINCIPLES FIRST\n\nIN CAPITALS\n===\n\nA note on QWZ.\n",
    )
    found = [d.message for d in _found(root, "acronym.undefined")]
    assert len(found) == 1 and '"QWZ"' in found[0]
    # The heading in capitals is still the required "Principles".
    assert _found(root, "section.misspelt", "section.missing") == []


def test_placeholder_summary_and_notes_in_a_ready_issue_are_errors(root: Path) -> None:
    _edit(root, ISSUE_11, "status: draft", "status: ready")
    summary = _edit(root, ISSUE_11, 'summary: "[EXAMPLE: ', f'summary: "{SUMMARY_PLACEHOLDER}"\nx: "')
    rewrapped = SECTION_NOTE.replace(" then", "\n  then").upper()  # rewrapped, in capitals
    note = _edit(root, ISSUE_11, "## Principles\n", f"## Principles\n\n<!-- {rewrapped} -->\n") + 2
    bare = (
        _edit(
            root,
            ISSUE_11,
            "## Message from your Practice Leads\n",
            f"## Message from your Practice Leads\n\n{FEEDBACK_NOTE.format(number=11)}\n",
        )
        + 2
    )
    found = _found(root, "scaffold.summary", "scaffold.note")
    assert [(d.line, d.code, d.severity.value) for d in found] == [
        (summary, "scaffold.summary", "error"),
        (note, "scaffold.note", "error"),
        (bare, "scaffold.note", "error"),
    ]
    assert "sofs new issue" in found[1].message


def test_a_new_draft_issue_warns_only_about_notes_under_written_text(root: Path) -> None:
    from conftest import run_sofs

    assert run_sofs(root, "new", "issue", "--title", "Next", "--date", "2026-02-02").returncode == 0
    new = "content/issues/012-next.md"
    found = _found(root, "scaffold.summary", "scaffold.note")
    assert [(d.path, d.code) for d in found] == [(new, "scaffold.summary")]
    line = _edit(root, new, "## Principles\n\n", "## Principles\n\nWe keep asking questions.\n\n") + 4
    found = _found(root, "scaffold.note")
    assert [(d.line, d.severity.value) for d in found] == [(line, "warning")]
