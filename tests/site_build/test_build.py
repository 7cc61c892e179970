"""`sofs build` end to end: real MkDocs + Material builds of the sample and fixture sites."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest
from conftest import PROJECT, add_draft_story, copy_project, fixture_project, run_sofs
from seed_text import differences
from seed_text import visible_text as reader_text

SEED_SECTIONS = [
    "Meaningful measures- counting what counts",
    "What does meaningful measures mean?",
    "Feedback from teams across the service",
    "Signs of Something...",
    "Principles",
    "Message from your Practice Leads",
]


def tree_digest(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def visible_text(html: str) -> str:
    text = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.DOTALL)
    text = re.sub(r"</?(?:a|abbr|em|strong|span|code)\b[^>]*>", "", text)
    text = re.sub(r"<[^>]+>", " ", text)
    text = text.replace("&quot;", '"').replace("&#39;", "'").replace("&amp;", "&")
    return " ".join(text.split())


@pytest.fixture(scope="module")
def built_sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_project(tmp_path_factory.mktemp("sample"))
    add_draft_story(root)
    result = run_sofs(root, "build")
    assert result.returncode == 0, result.stdout + result.stderr
    return root / "site"


def test_issue_10_page_shows_every_section_of_the_seed(built_sample: Path) -> None:
    html = (built_sample / "issues/010-meaningful-measures/index.html").read_text(encoding="utf-8")
    headings = [visible_text(h) for h in re.findall(r"<h2[^>]*>(.*?)</h2>", html, flags=re.DOTALL)]
    for section in SEED_SECTIONS:
        assert any(h.startswith(section) for h in headings), section
    assert differences(reader_text(html)) == [], "the page follows the printed issue phrase by phrase"
    assert "<strong>fundamental</strong>" in html


def test_issue_page_links_its_measures_and_story(built_sample: Path) -> None:
    html = (built_sample / "issues/010-meaningful-measures/index.html").read_text(encoding="utf-8")
    for number in range(1, 6):
        assert re.search(rf'href="\.\./\.\./measures/{number}-[a-z-]+/"', html), number
    assert 'id="story-first-contact-family-led-plans"' in html


def search_hits(site: Path, phrase: str) -> set[str]:
    index = json.loads((site / "search/search_index.json").read_text(encoding="utf-8"))
    return {
        doc["location"].split("#")[0]
        for doc in index["docs"]
        if phrase.lower() in (doc["title"] + " " + doc["text"]).lower()
    }


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("harm matrix", {"issues/010-meaningful-measures/", "tools/harm-matrix/"}),
        ("safety circles", {"issues/010-meaningful-measures/", "tools/safety-circles/"}),
        ("First Contact", {"issues/010-meaningful-measures/", "feedback/"}),
    ],
)
def test_search_index_finds_the_right_pages(built_sample: Path, phrase: str, expected: set[str]) -> None:
    assert expected <= search_hits(built_sample, phrase)


def test_guide_pages_exist(built_sample: Path) -> None:
    for page in [
        "index.html",
        "issues/index.html",
        "measures/index.html",
        "measures/1-keeping-children-safe/index.html",
        "principles/critical-inquiry/index.html",
        "tools/index.html",
        "tools/three-houses/index.html",
        "feedback/index.html",
        "about/index.html",
        "subscribe/index.html",
        "accessibility/index.html",
    ]:
        assert (built_sample / page).is_file(), page
    measure = visible_text((built_sample / "measures/1-keeping-children-safe/index.html").read_text("utf-8"))
    assert "Using the harm matrix" in measure
    home = visible_text((built_sample / "index.html").read_text("utf-8"))
    assert "Latest issue" in home and "Issue 10 · 1 September 2025" in home
    assert "Meaningful measures- counting what counts" in home


def everything_in(site: Path) -> str:
    return "\n".join(p.read_text("utf-8", errors="replace") for p in site.rglob("*") if p.is_file())


def test_drafts_are_left_out_of_pages_search_and_sitemap(built_sample: Path) -> None:
    draft = (PROJECT / "content/issues/011-signs-of-wellbeing.md").read_text("utf-8")
    title = re.search(r'^title: "(.*)"$', draft, flags=re.MULTILINE)
    assert title is not None
    everything = everything_in(built_sample)
    assert title.group(1) not in everything
    assert "011-signs-of-wellbeing" not in everything
    assert "A story for the draft issue" not in everything
    assert "draft-story" not in everything


def test_drafts_build_only_when_asked(project: Path) -> None:
    result = run_sofs(project, "build", "--drafts")
    assert result.returncode == 0, result.stderr
    page = project / "site/issues/011-signs-of-wellbeing/index.html"
    assert "Preview only" in page.read_text("utf-8")
    assert "011-signs-of-wellbeing" in (project / "site/sitemap.xml").read_text("utf-8")


def test_future_dated_issues_are_left_out(tmp_path: Path) -> None:
    root = fixture_project(tmp_path / "future")
    first = (root / "content/issues/001-first-issue.md").read_text("utf-8")
    future = first.replace("issue: 1", "issue: 2").replace("2025-01-06", "2026-06-01")
    future = future.replace("Our first issue", "A scheduled issue")
    (root / "content/issues/002-scheduled.md").write_text(future, encoding="utf-8")
    assert run_sofs(root, "build").returncode == 0
    assert "A scheduled issue" not in everything_in(root / "site")
    later = run_sofs(root, "build", env={"SOFS_TODAY": "2026-06-01"})
    assert later.returncode == 0
    assert "A scheduled issue" in everything_in(root / "site")


def test_failed_build_leaves_previous_site_byte_for_byte(project: Path) -> None:
    assert run_sofs(project, "build").returncode == 0
    before = tree_digest(project / "site")
    issue = project / "content/issues/010-meaningful-measures.md"
    issue.write_text(issue.read_text("utf-8").replace("## Principles", "## Nothing here"), encoding="utf-8")
    result = run_sofs(project, "build")
    assert result.returncode == 1
    assert 'missing required section "Principles"' in result.stdout
    assert "site/ is unchanged" in result.stderr
    assert tree_digest(project / "site") == before
    assert not list(project.glob(".sofs-build-*"))


def test_mkdocs_failure_is_explained_and_leaves_site(project: Path) -> None:
    assert run_sofs(project, "build").returncode == 0
    before = tree_digest(project / "site")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text("utf-8").replace("name: material", "name: no-such-theme"), "utf-8")
    result = run_sofs(project, "build")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "no-such-theme" in result.stderr
    assert tree_digest(project / "site") == before


def test_broken_page_template_is_located(project: Path) -> None:
    template = project / "templates/pages/tool.md.j2"
    template.write_text(template.read_text("utf-8") + "\n{% if %}\n", encoding="utf-8")
    result = run_sofs(project, "build")
    assert result.returncode == 1
    assert "templates/pages/tool.md.j2:" in result.stderr
    assert "Traceback" not in result.stderr


def test_navigation_does_not_list_issues(tmp_path: Path) -> None:
    root = fixture_project(tmp_path / "many")
    first = (root / "content/issues/001-first-issue.md").read_text("utf-8")
    for number in range(2, 31):
        text = first.replace("issue: 1", f"issue: {number}").replace(
            "Our first issue", f"Issue title {number:03d}"
        )
        (root / f"content/issues/{number:03d}-issue.md").write_text(text, encoding="utf-8")
    assert run_sofs(root, "build").returncode == 0
    page = (root / "site/issues/015-issue/index.html").read_text("utf-8")
    mentioned = set(re.findall(r"Issue title (\d{3})", page))
    assert mentioned == {"014", "015", "016"}
