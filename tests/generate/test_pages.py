"""Page generation on its own: a loaded fixture site turned into Markdown pages and a
navigation, without MkDocs or the command line."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from conftest import fixture_project

from generator.content.loader import load_site
from generator.content.model import Site
from generator.content.visibility import Visibility
from generator.generate.context import BuildContext
from generator.generate.pages import GeneratedDocs, generate_docs
from generator.generate.templates import TemplateProblem
from generator.settings.reader import load_settings

TODAY = dt.date(2026, 1, 15)
NORMAL = Visibility(TODAY)
PREVIEW = Visibility(TODAY, include_drafts=True)


def generated_pages(site: Site, visibility: Visibility) -> GeneratedDocs:
    """Every page of `site` under `visibility`: the one call into page generation."""
    return generate_docs(BuildContext(site, visibility))


def loaded_site(root: Path) -> Site:
    settings, problems = load_settings(root)
    site, load_problems = load_site(settings)
    assert problems == [] and load_problems == []
    return site


def edit(file: Path, old: str, new: str) -> None:
    text = file.read_text("utf-8")
    assert old in text
    file.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def minimal(tmp_path: Path) -> Path:
    return fixture_project(tmp_path / "minimal")


@pytest.fixture
def two_years(tmp_path: Path) -> Path:
    return fixture_project(tmp_path / "two-years", "two-years")


def issue_page(root: Path, visibility: Visibility = NORMAL, number: int = 1) -> str:
    site = loaded_site(root)
    issue = next(i for i in site.issues if i.number == number)
    return generated_pages(site, visibility).pages[issue.page_path]


def test_the_minimal_site_has_these_pages(minimal: Path) -> None:
    docs = generated_pages(loaded_site(minimal), NORMAL)
    assert sorted(docs.pages) == [
        "counting/index.md",
        "feedback/index.md",
        "guide/index.md",
        "index.md",
        "issues/001-first-issue.md",
        "issues/index.md",
        "measures/1-keeping-children-safe.md",
        "measures/index.md",
        "principles/critical-inquiry.md",
        "principles/index.md",
        "processes/index.md",
        "tags.md",
        "tools/index.md",
        "tools/scaling-questions.md",
        "variants/index.md",
    ]
    assert all(page.startswith("---\n") for page in docs.pages.values())


def test_an_acronyms_file_adds_a_glossary_and_defines_them_on_every_page(minimal: Path) -> None:
    (minimal / "content/acronyms.md").write_text(
        "---\nacronyms:\n  SGO: Special Guardianship Order\n---\n", encoding="utf-8"
    )
    docs = generated_pages(loaded_site(minimal), NORMAL)
    assert "glossary.md" in docs.pages
    assert all(page.endswith("\n*[SGO]: Special Guardianship Order\n") for page in docs.pages.values())


def test_the_issue_page_has_its_title_date_summary_and_sections(minimal: Path) -> None:
    page = issue_page(minimal)
    assert page.startswith(
        "---\n"
        'title: "Issue 1: Our first issue"\n'
        'description: "The first issue of the fixture newsletter."\n'
        "---\n"
    )
    cover = page.split("\n## ", 1)[0]
    assert (
        '<p class="sofs-cover__kicker"><span class="sofs-cover__number">Issue 1</span> '
        '<time datetime="2025-01-06">6 January 2025</time></p>\n'
    ) in cover
    assert "\n# Our first issue { .sofs-cover__title }\n" in cover
    assert "\nThe first issue of the fixture newsletter.\n{: .sofs-standfirst }\n" in cover
    # The measures are named once, as a chip linking to the measure's page.
    assert (
        '[<span class="sofs-visually-hidden">Measure </span>1<span class="sofs-visually-hidden">: '
        'Keeping children safe</span>](../measures/1-keeping-children-safe.md "Measure 1: Keeping children safe")'
        "{: .sofs-chip }"
    ) in cover
    assert cover.count("Keeping children safe") == 2  # the chip's text and its tooltip
    assert "[Stance of critical inquiry](../principles/critical-inquiry.md)" in page
    assert "**Tags:** [fixtures](../tags.md#tag-fixtures)" in page
    headings = re.findall(r"^## (.+)$", page, re.MULTILINE)
    assert headings == ["Welcome", "Feedback from teams across the service", "Principles", "Contact us"]
    assert "Preview only" not in page


def test_team_stories_are_placed_at_the_end_of_the_feedback_section(minimal: Path) -> None:
    page = issue_page(minimal)
    feedback = page.split("## Feedback from teams across the service\n", 1)[1].split("\n## ", 1)[0]
    assert [part.strip() for part in feedback.split("\n\n") if part.strip()] == [
        "Teams tell us what is changing.",
        "### First Contact: A plan the family made {: #story-first-contact-story }",
        "The family wrote their own plan and it is working.",
    ]
    assert page.count("The family wrote their own plan") == 1


def test_stories_go_under_a_feedback_heading_of_their_own_when_the_issue_has_none(minimal: Path) -> None:
    issue_file = minimal / "content/issues/001-first-issue.md"
    edit(issue_file, "## Feedback from teams across the service\n\nTeams tell us what is changing.\n\n", "")
    page = issue_page(minimal)
    after_body = page.split("Write to the mailbox.\n", 1)[1]
    assert after_body.startswith("\n## Feedback from teams\n\n### First Contact: A plan the family made")


def test_a_storys_headings_are_pushed_down_under_the_story(minimal: Path) -> None:
    edit(
        minimal / "content/feedback/first-contact-story.md",
        "The family wrote",
        "## What changed\n\nThe family wrote",
    )
    page = issue_page(minimal)
    assert "\n#### What changed\n" in page and "\n## What changed" not in page


def test_a_draft_is_left_out_normally_and_shown_in_preview(minimal: Path) -> None:
    edit(minimal / "content/issues/001-first-issue.md", "status: published", "status: draft")
    site = loaded_site(minimal)
    normal = generated_pages(site, NORMAL).pages
    assert "issues/001-first-issue.md" not in normal
    assert "001-first-issue" not in normal["issues/index.md"]
    assert "No issues have been published yet." in normal["issues/index.md"]
    assert "A plan the family made" not in normal["feedback/index.md"], "a draft's stories wait with it"
    preview = generated_pages(site, PREVIEW).pages
    assert "issues/001-first-issue.md" in preview
    draft_page = preview["issues/001-first-issue.md"]
    assert '!!! warning "Preview only"' in draft_page and "This issue is a draft" in draft_page
    assert '<a href="001-first-issue/">Our first issue</a>' in preview["issues/index.md"]
    assert 'Issue 1 · <time datetime="2025-01-06">6 January 2025</time> · draft' in preview["issues/index.md"]


def test_an_issue_dated_after_today_waits_for_its_date(minimal: Path) -> None:
    edit(minimal / "content/issues/001-first-issue.md", "date: 2025-01-06", "date: 2026-02-02")
    site = loaded_site(minimal)
    assert "issues/001-first-issue.md" not in generated_pages(site, NORMAL).pages
    later = Visibility(dt.date(2026, 2, 2))
    assert "issues/001-first-issue.md" in generated_pages(site, later).pages


def neighbours(page: str) -> tuple[str | None, str | None]:
    older = re.search(r"^- Previous issue: \[Issue (\d+):", page, re.MULTILINE)
    newer = re.search(r"^- Next issue: \[Issue (\d+):", page, re.MULTILINE)
    return (older.group(1) if older else None, newer.group(1) if newer else None)


def test_each_issue_links_to_the_older_and_newer_one_shown(two_years: Path) -> None:
    site = loaded_site(two_years)
    pages = generated_pages(site, NORMAL).pages
    found = {i.number: neighbours(pages[i.page_path]) for i in site.issues}
    assert found == {
        1: (None, "2"),
        2: ("1", "3"),
        3: ("2", "4"),
        4: ("3", "5"),
        5: ("4", None),
    }
    assert "- Previous issue: [Issue 2: Issue number 2](002-issue-2.md)" in pages["issues/003-issue-3.md"]


def test_a_hidden_issue_is_nobodys_neighbour(two_years: Path) -> None:
    edit(two_years / "content/issues/004-issue-4.md", "status: published", "status: draft")
    site = loaded_site(two_years)
    pages = generated_pages(site, NORMAL).pages
    assert neighbours(pages["issues/003-issue-3.md"]) == ("2", "5")
    assert neighbours(pages["issues/005-issue-5.md"]) == ("3", None)
    preview = generated_pages(site, PREVIEW).pages
    assert neighbours(preview["issues/003-issue-3.md"]) == ("2", "4")


def test_only_the_first_mention_of_a_tool_is_linked(minimal: Path) -> None:
    edit(
        minimal / "content/issues/001-first-issue.md",
        "Hello and welcome to the first issue.",
        "### Scaling questions in practice\n\n"
        "Hello and welcome to the first issue. Scaling questions help families.\n\n"
        "We used scaling questions again, and `scaling questions` in code stays as it is.",
    )
    page = issue_page(minimal)
    links = re.findall(r"\[([^\]]+)\]\(\.\./tools/scaling-questions\.md\)", page)
    assert links == ["Scaling questions"]
    assert "\n### Scaling questions in practice\n" in page, "headings are never linked"
    assert "first issue. [Scaling questions](../tools/scaling-questions.md) help families." in page
    assert "We used scaling questions again, and `scaling questions` in code" in page


def test_the_navigation_does_not_grow_with_the_number_of_issues(minimal: Path, two_years: Path) -> None:
    small = generated_pages(loaded_site(minimal), NORMAL)
    larger_site = loaded_site(two_years)
    larger = generated_pages(larger_site, NORMAL)
    assert len(larger_site.issues) == 5
    assert len(larger.pages) > len(small.pages)
    assert larger.nav == small.nav
    assert "issues/" not in json.dumps(larger.nav).replace("issues/index.md", "")
    assert small.nav[:2] == [{"Home": "index.md"}, {"Newsletter archive": "issues/index.md"}]


def break_template(root: Path, name: str, line: int, text: str) -> None:
    template = root / "templates/pages" / name
    lines = template.read_text("utf-8").split("\n")
    lines.insert(line - 1, text)
    template.write_text("\n".join(lines), encoding="utf-8")


def test_a_template_that_fails_while_rendering_names_its_file_and_line(minimal: Path) -> None:
    break_template(minimal, "issue.md.j2", 7, "{{ issue.no_such_field }}")
    with pytest.raises(TemplateProblem) as raised:
        generated_pages(loaded_site(minimal), NORMAL)
    problem = raised.value.diagnostic
    assert (problem.path, problem.line, problem.code) == ("templates/pages/issue.md.j2", 7, "template.render")
    assert "no_such_field" in problem.message


def test_a_template_that_cannot_be_read_names_its_file_and_line(minimal: Path) -> None:
    break_template(minimal, "tool.md.j2", 3, "{% if %}")
    with pytest.raises(TemplateProblem) as raised:
        generated_pages(loaded_site(minimal), NORMAL)
    problem = raised.value.diagnostic
    assert (problem.path, problem.line, problem.code) == ("templates/pages/tool.md.j2", 3, "template.syntax")
    assert str(problem).startswith("templates/pages/tool.md.j2:3: error: the page template cannot be read")


def test_a_missing_template_names_the_file(minimal: Path) -> None:
    (minimal / "templates/pages/tags.md.j2").unlink()
    with pytest.raises(TemplateProblem) as raised:
        generated_pages(loaded_site(minimal), NORMAL)
    problem = raised.value.diagnostic
    assert (problem.path, problem.line, problem.code) == ("templates/pages/tags.md.j2", 0, "template.missing")
