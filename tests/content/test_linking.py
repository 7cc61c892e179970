"""Tool links: golden output on tricky Markdown, and the real issue 10 page."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import FIXTURES, PROJECT, assert_golden, copy_project, fixture_project, run_sofs

from generator.checks.project import check_project
from generator.content.tool_mentions import ToolMatcher


@pytest.fixture(scope="module")
def matcher() -> ToolMatcher:
    return ToolMatcher(check_project(PROJECT, use_cache=False).site.tools)


def test_linking_on_tricky_text_matches_golden(matcher: ToolMatcher) -> None:
    source = (FIXTURES / "linking/tricky.md").read_text("utf-8")
    linked, slugs = matcher.link_first_mentions(source, lambda slug: f"../tools/{slug}.md")
    assert_golden("linking/tricky.md", linked)
    assert len(slugs) == len(set(slugs))


def test_words_containing_a_tool_name_are_not_linked(matcher: ToolMatcher) -> None:
    text = "The remapping and safetycircles and fire-drills-like words stay."
    assert matcher.link_first_mentions(text, lambda s: s) == (text, [])


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_project(tmp_path_factory.mktemp("linked"))
    assert run_sofs(root, "build").returncode == 0
    return root / "site"


@pytest.mark.parametrize(
    "slug",
    [
        "harm-matrix",
        "scaling-questions",
        "safety-circles",
        "three-houses",
        "danger-statements",
        "worry-statements",
        "family-network-meetings",
        "words-and-pictures",
        "safety-house",
        "plan-rules",
        "fire-drills",
        "rapid-safety-plans",
        "group-supervision",
    ],
)
def test_issue_10_links_each_tool_exactly_once_in_its_text(built: Path, slug: str) -> None:
    html = (built / "issues/010-meaningful-measures/index.html").read_text("utf-8")
    article = html[html.index("<article") : html.index("</article>")]
    body = article[article.index("Hello, and welcome") :]
    links = re.findall(rf'<a href="\.\./\.\./tools/{slug}/">(.*?)</a>', body)
    assert len(links) == 1, (slug, links)


def test_m3h_links_to_three_houses(built: Path) -> None:
    html = (built / "issues/010-meaningful-measures/index.html").read_text("utf-8")
    assert re.search(
        r'<a href="\.\./\.\./tools/three-houses/"><abbr title="My Three Houses">M3H</abbr></a>', html
    )


def test_tool_page_lists_issue_and_story_that_mention_it(built: Path) -> None:
    html = (built / "tools/fire-drills/index.html").read_text("utf-8")
    assert 'href="../../issues/010-meaningful-measures/"' in html
    assert 'href="../../issues/010-meaningful-measures/#story-first-contact-family-led-plans"' in html


def test_measure_2_page_lists_issue_10_and_first_contact_story(built: Path) -> None:
    html = (built / "measures/2-families-involved-in-plans/index.html").read_text("utf-8")
    assert "Issue 10: Meaningful measures- counting what counts" in html
    assert "First Contact team" in html
    assert "Family network meetings" in html


def test_acronyms_show_their_meaning_and_are_listed(built: Path) -> None:
    html = (built / "issues/010-meaningful-measures/index.html").read_text("utf-8")
    assert '<abbr title="Special Guardianship Order">SGO</abbr>' in html
    glossary = (built / "glossary/index.html").read_text("utf-8")
    assert "<caption" in glossary and "Special Guardianship Order" in glossary


def test_undefined_acronym_is_a_located_warning(tmp_path: Path) -> None:
    root = fixture_project(tmp_path / "acronym")
    story = root / "content/feedback/first-contact-story.md"
    story.write_text(story.read_text("utf-8") + "\nThe ICPC was held and the `CODE` stays.\n", "utf-8")
    result = run_sofs(root, "check")
    assert result.returncode == 0
    assert (
        'content/feedback/first-contact-story.md:12: warning: "ICPC" is not in content/acronyms.md'
        in result.stdout
    )
    assert "CODE" not in result.stdout


def test_issue_tags_link_to_the_tags_page(built: Path) -> None:
    issue = (built / "issues/010-meaningful-measures/index.html").read_text("utf-8")
    assert '<a href="../../tags/#tag-first-contact">first contact</a>' in issue
    tags = (built / "tags/index.html").read_text("utf-8")
    section = tags.split('id="tag-first-contact"')[1].split("<h2")[0]
    assert "Issue 10: Meaningful measures- counting what counts" in section


def test_previous_and_next_issue_links(tmp_path: Path) -> None:
    root = fixture_project(tmp_path / "prevnext", "two-years")
    assert run_sofs(root, "build").returncode == 0
    page = (root / "site/issues/003-issue-3/index.html").read_text("utf-8")
    assert re.search(r'Previous issue: <a href="\.\./002-issue-2/">Issue 2: Issue number 2</a>', page)
    assert re.search(r'Next issue: <a href="\.\./004-issue-4/">Issue 4: Issue number 4</a>', page)


def test_a_very_long_tool_name_is_checked_without_exhausting_recursion(project: Path) -> None:
    from generator.checks.project import check_project

    tool = project / "content" / "tools" / "scaling-questions.md"
    long_name = " ".join(["scaling"] * 300)
    text = tool.read_text(encoding="utf-8").replace('"Scaling questions"', f'"{long_name}"')
    tool.write_text(text.replace('["scaling"]', '["' + "s" * 3000 + '"]'), encoding="utf-8")
    result = check_project(project, use_cache=False)
    assert not [d for d in result.report.diagnostics if d.code.startswith("internal")]
