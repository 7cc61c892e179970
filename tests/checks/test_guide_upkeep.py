"""Guide pages' upkeep: `owner`, `sources`, `review_by` (and `examples`) as the loader reads
them, as `sofs check` warns about them, and as the pages show them; and the sample guide
itself, which must say who owns each page and what it rests on."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from conftest import PROJECT, fixture_project, run_sofs

from generator.checks.guide_upkeep import guide_pages, upkeep_problems
from generator.content.loader import load_site
from generator.content.model import GuideUpkeep
from generator.content.visibility import Visibility
from generator.generate.context import BuildContext
from generator.generate.pages import generate_docs
from generator.settings.reader import load_settings

TOOL = "content/tools/scaling-questions.md"
PRINCIPLE = "content/principles/critical-inquiry.md"
MEASURE = "content/measures/1-keeping-children-safe.md"
TE1999 = (
    "Turnell, A. & Edwards, S. (1999) Signs of Safety: A Solution and Safety Oriented Approach to "
    "Child Protection Casework. New York: W. W. Norton."
)


@pytest.fixture
def minimal(tmp_path: Path) -> Path:
    return fixture_project(tmp_path / "upkeep")


def edit(root: Path, path: str, old: str, new: str) -> None:
    file = root / path
    text = file.read_text("utf-8")
    assert old in text, old
    file.write_text(text.replace(old, new, 1), "utf-8")


#: The upkeep lines every guide page of the minimal fixture carries.
UPKEEP = 'owner: "Practice lead"\nsources:\n  - "' + TE1999 + '"\nreview_by: 2030-01-01\n'


def test_the_loader_reads_owner_sources_review_dates_and_examples(minimal: Path) -> None:
    edit(
        minimal,
        TOOL,
        "review_by: 2030-01-01\n",
        "last_reviewed: 2025-11-03\nreview_by: 2030-01-01\nexamples: [owner, review_by]\n",
    )
    settings, _ = load_settings(minimal)
    site, problems = load_site(settings)
    assert problems == []
    (tool,) = site.tools
    assert tool.upkeep == GuideUpkeep(
        owner="Practice lead",
        sources=(TE1999,),
        last_reviewed=dt.date(2025, 11, 3),
        review_by=dt.date(2030, 1, 1),
        examples=("owner", "review_by"),
    )
    assert tool.origin.line_of("sources") == 7
    (principle,) = site.principles
    assert principle.upkeep.examples == ()


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            'owner: "Practice lead"',
            "owner: [Practice lead, Team manager]",
            'field "owner" should be text, like `owner: "Practice lead"`',
        ),
        (
            'owner: "Practice lead"',
            'owner: "' + "x" * 121 + '"',
            'field "owner" is 121 characters long; keep it to 120 characters or fewer',
        ),
        (
            '  - "' + TE1999 + '"',
            "  - {author: Turnell}",
            'field "sources" should be a list of text items',
        ),
        (
            "review_by: 2030-01-01",
            "review_by: next spring",
            'field "review_by" should be a date written as YYYY-MM-DD, like `review_by: 2026-09-01`',
        ),
    ],
)
def test_a_wrong_upkeep_field_is_an_error_at_its_line(
    minimal: Path, old: str, new: str, message: str
) -> None:
    edit(minimal, PRINCIPLE, old, new)
    result = run_sofs(minimal, "check")
    assert result.returncode == 1
    (line,) = [line for line in result.stdout.splitlines() if line.startswith(PRINCIPLE)]
    text = (minimal / PRINCIPLE).read_text("utf-8").splitlines()
    field = new.split(":")[0].strip(" -")
    expected_line = next(
        number
        for number, content in enumerate(text, 1)
        if content.startswith(field + ":") or (field.startswith("{") and content.startswith("sources:"))
    )
    assert line.startswith(f"{PRINCIPLE}:{expected_line}: error: {message}")


def test_a_single_source_on_one_line_is_a_list_of_one(minimal: Path) -> None:
    edit(minimal, TOOL, 'sources:\n  - "' + TE1999 + '"\n', 'sources: "' + TE1999 + '"\n')
    settings, _ = load_settings(minimal)
    site, problems = load_site(settings)
    assert problems == []
    assert site.tools[0].upkeep.sources == (TE1999,)


def test_missing_owner_sources_and_review_date_are_each_a_located_warning_with_the_fix(
    minimal: Path,
) -> None:
    edit(minimal, TOOL, UPKEEP, "")
    edit(minimal, PRINCIPLE, 'owner: "Practice lead"\n', "")
    edit(minimal, MEASURE, 'sources:\n  - "' + TE1999 + '"\n', "sources: []\n")
    result = run_sofs(minimal, "check")
    assert result.returncode == 0, result.stdout
    assert result.stdout.splitlines() == [
        f"{MEASURE}:9: warning: this guide page cites no sources; add a `sources:` list to its front "
        "matter with the full reference of each published book, paper or newsletter issue it is based "
        'on, one per line, like `  - "Turnell, A. & Edwards, S. (1999) Signs of Safety. New York: W. W. '
        'Norton."` [guide.sources-missing]',
        f"{PRINCIPLE}:1: warning: this guide page does not say who keeps it accurate; add a line like "
        '`owner: "Practice lead"` to its front matter, naming a role rather than a person '
        "[guide.owner-missing]",
        f"{TOOL}:1: warning: this guide page does not say who keeps it accurate; add a line like "
        '`owner: "Practice lead"` to its front matter, naming a role rather than a person '
        "[guide.owner-missing]",
        f"{TOOL}:1: warning: this guide page has no review date; add a line like `review_by: 2027-01-01` "
        "to its front matter, the day by which someone should check it is still right "
        "[guide.review-by-missing]",
        f"{TOOL}:1: warning: this guide page cites no sources; add a `sources:` list to its front matter "
        "with the full reference of each published book, paper or newsletter issue it is based on, one "
        'per line, like `  - "Turnell, A. & Edwards, S. (1999) Signs of Safety. New York: W. W. Norton."` '
        "[guide.sources-missing]",
        "0 errors, 5 warnings.",
    ]
    assert run_sofs(minimal, "check", "--strict").returncode == 1


def test_every_kind_of_guide_page_is_checked(minimal: Path) -> None:
    for folder in ("processes", "variants"):
        (minimal / "content" / folder).mkdir()
        (minimal / "content" / folder / "vision.md").write_text(
            '---\ntitle: "Vision"\n---\n\nText.\n', "utf-8"
        )
    result = run_sofs(minimal, "check")
    for folder in ("processes", "variants"):
        path = f"content/{folder}/vision.md"
        codes = re.findall(rf"^{path}:1: warning: .* \[([a-z.-]+)\]$", result.stdout, re.M)
        assert codes == ["guide.owner-missing", "guide.review-by-missing", "guide.sources-missing"]


def test_review_by_is_compared_with_the_runs_fixed_day() -> None:
    settings, _ = load_settings(PROJECT)
    site, _ = load_site(settings)
    due = {page.upkeep.review_by for page in guide_pages(site)}
    assert len(due) == 1
    (day,) = due
    assert day is not None
    assert upkeep_problems(site, day) == []
    late = upkeep_problems(site, day + dt.timedelta(days=1))
    assert {problem.code for problem in late} == {"review.due"}
    assert len(late) == len(list(guide_pages(site)))
    first = late[0]
    assert first.line == site.tools[0].origin.line_of("review_by") > 1


def test_the_command_line_uses_sofs_today_for_the_review_date(minimal: Path) -> None:
    assert "review.due" not in run_sofs(minimal, "check", env={"SOFS_TODAY": "2030-01-01"}).stdout
    later = run_sofs(minimal, "check", env={"SOFS_TODAY": "2030-01-02"}).stdout
    assert later.count("[review.due]") == 3
    assert f"{TOOL}:9: warning: this page was due for review by 1 January 2030" in later


def test_a_page_lists_its_sources_and_marks_example_values(minimal: Path) -> None:
    edit(
        minimal,
        TOOL,
        "review_by: 2030-01-01\n",
        "review_by: 2030-01-01\nexamples: [owner]\n",
    )
    edit(minimal, TOOL, '  - "' + TE1999 + '"\n', '  - "' + TE1999 + '"\n  - "A *guide* <b>here</b>"\n')
    edit(minimal, PRINCIPLE, 'sources:\n  - "' + TE1999 + '"\n', "")
    settings, _ = load_settings(minimal)
    site, _ = load_site(settings)
    pages = generate_docs(BuildContext(site, Visibility(dt.date(2026, 1, 15)))).pages
    tool = pages["tools/scaling-questions.md"]
    escaped = TE1999.replace("&", "&amp;")
    assert f"## Sources\n\n- {escaped}\n- A \\*guide\\* &lt;b&gt;here&lt;/b&gt;\n" in tool
    assert "*Page owner: Practice lead (example). Review by 1 January 2030.*" in tool
    assert tool.index("## Where the newsletter mentions it") < tool.index("## Sources")
    principle = pages["principles/critical-inquiry.md"]
    assert "## Sources" not in principle
    assert "*Page owner: Practice lead. Review by 1 January 2030.*" in principle
    assert "Page owner" not in pages["issues/001-first-issue.md"]


# The sample guide: what it says must come from the seed or a cited published source.


def sample_site():  # type: ignore[no-untyped-def]
    settings, _ = load_settings(PROJECT)
    return load_site(settings)[0]


def test_every_sample_guide_page_has_an_example_owner_a_review_date_and_sources() -> None:
    for page in guide_pages(sample_site()):
        upkeep = page.upkeep
        assert upkeep.owner and upkeep.review_by and upkeep.sources, page.origin.path
        assert set(upkeep.examples) == {"owner", "review_by"}, page.origin.path


def test_sample_guide_pages_describe_no_local_practice_of_their_own() -> None:
    for page in guide_pages(sample_site()):
        text = page.body.casefold()
        for phrase in ("as used in our service", "our service", "is used locally", "in our service"):
            assert phrase not in text, (page.origin.path, phrase)


def test_in_text_citations_name_a_listed_source() -> None:
    for page in guide_pages(sample_site()):
        cited = re.findall(r"\(([A-Z][A-Za-z' ]+?)(?: & ([A-Z][a-z]+))? (\d{4})\)", page.body)
        for author, _, year in cited:
            assert any(author.split()[0] in source and year in source for source in page.upkeep.sources), (
                page.origin.path,
                author,
                year,
            )


def test_the_mapping_page_gives_the_frameworks_parts() -> None:
    (mapping,) = [tool for tool in sample_site().tools if tool.slug == "mapping"]
    for part in (
        "What are we worried about?",
        "What's working well?",
        "What needs to happen?",
        "harm",
        "danger statements",
        "complicating factors",
        "Existing strengths",
        "existing safety",
        "Safety goals",
        "next steps",
        "from 0 to 10",
        "each person's number is recorded",
    ):
        assert part in mapping.body, part
    assert any(source.startswith("Turnell, A. & Edwards, S. (1999)") for source in mapping.upkeep.sources)


def test_the_childrens_tools_cite_their_published_sources() -> None:
    expected = {
        "safety-house": "Parker, S. (2009)",
        "three-houses": "Weld, N. & Greening, M. (2004)",
        "words-and-pictures": "Turnell, A. & Essex, S. (2006)",
        "scaling-questions": "Turnell, A. & Edwards, S. (1999)",
    }
    tools = {tool.slug: tool for tool in sample_site().tools}
    for slug, reference in expected.items():
        assert any(source.startswith(reference) for source in tools[slug].upkeep.sources), slug
    assert {"house of worries", "house of good things", "house of dreams"} <= set(
        re.findall(r"house of [a-z ]+?(?=[,.:]| and)", tools["three-houses"].body)
    )


def test_every_tool_issue_10_names_has_a_guide_page() -> None:
    site = sample_site()
    (issue,) = [issue for issue in site.issues if issue.number == 10]
    assert set(issue.tools) <= {tool.slug for tool in site.tools}
