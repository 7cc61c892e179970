"""The accessibility statement is a template on the UK model statement: its headings and
enforcement text are given, what only the service can say is a blank the check reports."""

from __future__ import annotations

import re
from pathlib import Path

import frontmatter
from conftest import PROJECT

from generator.basics.diagnostics import Severity
from generator.checks.project import check_project
from generator.content.markdown_text import headings

STATEMENT = PROJECT / "content" / "pages" / "accessibility.md"

# The model accessibility statement's headings (GOV.UK, for public sector websites), in order.
MODEL_HEADINGS = [
    (2, "How accessible this website is"),
    (2, "Feedback and contact information"),
    (2, "Reporting accessibility problems with this website"),
    (2, "Enforcement procedure"),
    (2, "Technical information about this website's accessibility"),
    (3, "Compliance status"),
    (2, "Non-accessible content"),
    (2, "What we're doing to improve accessibility"),
    (2, "Preparation of this accessibility statement"),
]


def _statement() -> frontmatter.Post:
    return frontmatter.loads(STATEMENT.read_text(encoding="utf-8"))


def test_title_names_the_website() -> None:
    assert _statement()["title"] == "Accessibility statement for the Signs of Safety newsletter"


def test_headings_follow_the_model_statement_in_order() -> None:
    found = [(h.level, h.text) for h in headings(_statement().content)]
    assert [h for h in found if h in MODEL_HEADINGS] == MODEL_HEADINGS


def _sections(body: str) -> dict[str, str]:
    """Each `##` or `###` section's text by its heading."""
    parts = re.split(r"^#{2,3} (.+)$", body, flags=re.MULTILINE)
    return {title: text.strip() for title, text in zip(parts[1::2], parts[2::2], strict=True)}


def test_what_only_the_service_can_say_is_left_as_blanks_the_check_reports(project: Path) -> None:
    """The sample states nothing it has not checked: contact details, test results and the
    compliance status are `[FILL: ...]` blanks, and `sofs check` warns about each where it is."""
    sections = _sections(_statement().content)
    for title in (
        "How accessible this website is",
        "Feedback and contact information",
        "Reporting accessibility problems with this website",
        "Compliance status",
        "Preparation of this accessibility statement",
    ):
        assert sections[title].startswith("[FILL: "), title
    lines = STATEMENT.read_text(encoding="utf-8").split("\n")
    after_note = next(n for n, line in enumerate(lines, start=1) if line.rstrip().endswith("-->"))
    # The editor's note (an HTML comment, which readers never see) mentions `[FILL: ...]` too.
    blank_lines = [n for n, line in enumerate(lines, start=1) if "[FILL: " in line and n > after_note]
    assert len(blank_lines) >= 5
    report = check_project(project, use_cache=False).report
    found = [d for d in report.diagnostics if d.path == "content/pages/accessibility.md"]
    assert {(d.line, d.code, d.severity) for d in found} == {
        (n, "example.marker", Severity.WARNING) for n in blank_lines
    }
    assert all("a blank to fill in" in d.message for d in found)


def test_it_names_the_standard_and_the_enforcement_body() -> None:
    sections = _sections(_statement().content)
    enforcement = sections["Enforcement procedure"]
    assert "[FILL" not in enforcement
    assert "Equality and Human Rights Commission" in enforcement
    assert "Accessibility Regulations 2018" in enforcement
    assert (
        "[Equality Advisory and Support Service (EASS)](https://www.equalityadvisoryservice.com/)"
        in enforcement
    )
    assert "Web Content Accessibility Guidelines version 2.2 AA" in sections["Compliance status"]
