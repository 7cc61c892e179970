"""The accessibility statement follows the UK model statement and gives the mailbox."""

from __future__ import annotations

from pathlib import Path

import frontmatter
from conftest import PROJECT

from generator.content.markdown_text import headings
from generator.settings.reader import load_settings

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


def test_the_mailbox_is_the_contact_for_formats_and_problems() -> None:
    settings, problems = load_settings(PROJECT)
    assert problems == [] and settings.mailbox
    body = _statement().content
    sections = body.split("\n## ")
    for title in ("Feedback and contact information", "Reporting accessibility problems with this website"):
        section = next(s for s in sections if s.startswith(title))
        assert f"(mailto:{settings.mailbox})" in section, title


def test_it_names_the_standard_and_the_enforcement_body() -> None:
    body = _statement().content
    assert "WCAG" in body and "2.2" in body and "AA" in body
    assert "Equality and Human Rights Commission" in body
    assert "Equality Advisory and Support Service" in body
    assert Path(STATEMENT).stat().st_size > 2000
