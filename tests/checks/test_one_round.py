"""One round of `sofs check` finds every mistake of a file, and none that another file's
mistake would make up: fields in error are reported each at its line while the rest of the
file (its other fields, sections, links) is still checked, and checks between files say
nothing about a number or name that a file in error may hold."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import FIXED_TODAY, run_sofs

from generator.basics.diagnostics import Diagnostic, Severity
from generator.checks.project import check_project

ISSUE = "content/issues/010-meaningful-measures.md"
STORY = "content/feedback/first-contact-family-led-plans.md"


def _edit(root: Path, path: str, *changes: tuple[str, str], append: str = "") -> None:
    file = root / path
    text = file.read_text(encoding="utf-8")
    for pattern, replacement in changes:
        text, count = re.subn(pattern, replacement, text, count=1, flags=re.MULTILINE)
        assert count == 1, pattern
    file.write_text(text + append, encoding="utf-8")


def _check(root: Path) -> list[Diagnostic]:
    import datetime as dt

    return list(
        check_project(root, use_cache=False, today=dt.date.fromisoformat(FIXED_TODAY)).report.diagnostics
    )


def _errors_outside(problems: list[Diagnostic], path: str) -> list[str]:
    return [str(p) for p in problems if p.path != path and p.severity is Severity.ERROR]


def test_an_issue_with_many_mistakes_gets_all_of_them_in_one_run_and_other_files_none(
    project: Path,
) -> None:
    text = (project / ISSUE).read_text(encoding="utf-8")
    last_heading = [line for line in text.split("\n") if line.startswith("## ")][-1]
    _edit(
        project,
        ISSUE,
        (r"^issue: 10$", "issue: ten"),
        (r"^title: .*$", "title: Meaningful measures: counting what counts"),  # a colon, unquoted
        (r"^date: .*$", "date: 2025-13-01"),
        (r"^measures: .*$", "measures: one"),
        (rf"^{re.escape(last_heading)}$", ""),
        append="\nRead [the report](javascript:alert(1)).\n",
    )
    result = run_sofs(project, "check")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    lines = result.stdout.splitlines()
    mine = [line for line in lines if line.startswith(ISSUE + ":")]
    by_code: dict[str, list[str]] = {}
    for line in mine:
        by_code.setdefault(line.rsplit("[", 1)[1].rstrip("]"), []).append(line)
    assert len(by_code["field.type"]) == 3, mine
    assert any('"issue"' in line and 'found "ten"' in line for line in by_code["field.type"])
    assert any("there is no month 13" in line for line in by_code["field.type"])
    assert any('"measures"' in line for line in by_code["field.type"])
    assert [line.split(":")[1] for line in by_code["front-matter.yaml"]] == ["3"]
    assert any(last_heading.removeprefix("## ") in line for line in by_code["section.missing"])
    assert "unsafe-html.url" in by_code
    others = [line for line in lines[:-1] if not line.startswith(ISSUE + ":") and ": error: " in line]
    assert others == [], "no other file gets an error made up by this one"


def test_a_story_whose_issue_number_cannot_be_read_invents_no_error_in_its_issue(project: Path) -> None:
    _edit(project, STORY, (r"^issue: 10$", "issue: ten"), (r"^team: .*$", "team: 42"))
    problems = _check(project)
    mine = sorted(p.code for p in problems if p.path == STORY and p.severity is Severity.ERROR)
    assert mine == ["field.type", "ref.team"]  # "42" is read, and is no team
    assert _errors_outside(problems, STORY) == [], "no empty feedback section, no voided approval"


def test_a_story_pointing_at_an_issue_whose_number_cannot_be_read_is_not_told_it_is_unknown(
    project: Path,
) -> None:
    (project / "content/issues/010-meaningful-measures.md").rename(project / "content/issues/meaningful.md")
    _edit(project, "content/issues/meaningful.md", (r"^issue: 10$", "issue: X"))
    problems = _check(project)
    assert not [p for p in problems if p.code == "ref.issue"]
    assert [p.code for p in problems if p.path == "content/issues/meaningful.md" and p.line == 2] == [
        "field.type"
    ]


def test_a_story_pointing_at_an_issue_file_that_cannot_be_read_is_not_told_it_is_unknown(
    project: Path,
) -> None:
    issue = project / ISSUE
    issue.write_bytes(issue.read_bytes().replace(b"Hello", b"\x93Hello\x94", 1))
    problems = _check(project)
    assert [p.code for p in problems if p.severity is Severity.ERROR] == ["file.encoding"]


def test_a_measure_whose_number_cannot_be_read_keeps_the_issues_naming_it_clean(project: Path) -> None:
    measure = next((project / "content/measures").glob("3-*.md"))
    path = f"content/measures/{measure.name}"
    _edit(project, path, (r"^measure: 3$", "measure: three"))
    problems = _check(project)
    assert _errors_outside(problems, path) == []
    # The sample's example values (`examples:`) are warned about as before; the number is the only new problem.
    assert [p.code for p in problems if p.path == path and not p.code.startswith("example.")] == [
        "field.type"
    ]


def test_an_unquoted_colon_and_a_tab_are_each_reported_and_the_other_fields_still_read(project: Path) -> None:
    _edit(
        project,
        ISSUE,
        (r"^title: .*$", "title: Meaningful measures: counting what counts"),
        (r"^summary: ", "\tsummary: "),
    )
    lines = (project / ISSUE).read_text(encoding="utf-8").split("\n")
    title, summary = (
        next(n for n, line in enumerate(lines, start=1) if line.startswith(start))
        for start in ("title: ", "\tsummary: ")
    )
    problems = [p for p in _check(project) if p.path == ISSUE and p.severity is Severity.ERROR]
    codes = sorted((p.line, p.code) for p in problems)
    assert (title, "front-matter.yaml") in codes and (summary, "front-matter.yaml") in codes
    assert not [p for p in problems if p.code == "field.missing"], "a field written wrongly is not missing"
