"""Internal links, pictures and anchors that point nowhere are located errors from
`sofs check`, with the address that was probably meant; working ones say nothing."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from conftest import DRAFT_STORY_FILE, PROJECT, add_draft_story, copy_project

from generator.checks.heading_ids import heading_ids, heading_lines, toc_options
from generator.checks.project import check_project
from generator.checks.site_addresses import SiteAddresses
from generator.content.visibility import Visibility
from generator.generate.pages import PageGenerator

TODAY = dt.date(2026, 1, 10)
# A one-pixel PNG.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010800000000"
    "3a7e9b550000000a4944415478da6300000002000167de2b3b0000000049454e44ae426082"
)


def _link_lines(root: Path) -> list[tuple[str, int, str, str]]:
    report = check_project(root, use_cache=False, today=TODAY).report
    return [
        (d.path, d.line, d.severity.value, d.message)
        for d in report.diagnostics
        if d.code in ("link.broken", "link.image")
    ]


def _append(root: Path, relative: str, text: str) -> int:
    """Add `text` at the end of a content file; the 1-based line its first line lands on."""
    path = root / "content" / relative
    before = path.read_text("utf-8").rstrip("\n")
    path.write_text(before + "\n\n" + text, encoding="utf-8")
    return before.count("\n") + 3


@pytest.fixture
def linked(tmp_path: Path) -> Path:
    root = copy_project(tmp_path / "links")
    (root / "content/images").mkdir()
    (root / "content/images/plan.png").write_bytes(PNG)
    add_draft_story(root)
    return root


def test_the_sample_site_has_no_broken_links() -> None:
    assert _link_lines(PROJECT) == []


def test_working_links_of_every_kind_say_nothing(linked: Path) -> None:
    _append(
        linked,
        "tools/mapping.md",
        "See [harm](harm-matrix.md), [its use](safety-house.md#sources), [archive](../issues/index.md),\n"
        "[guide](../guide/index.md), [counting](../counting/index.md), [tags](../tags.md),\n"
        "[measure](../measures/1-keeping-children-safe.md), [issue](../issues/010-meaningful-measures.md),\n"
        "[about](../about.md), [home](../index.md), [top](#sources), ![plan](../images/plan.png),\n"
        "[the story](../issues/011-signs-of-wellbeing.md#story-draft-story) and\n"
        "[the web](https://example.org/nowhere.md), [mail](mailto:someone@example.org), [ref][h].\n\n"
        "[h]: harm-matrix.md\n\n"
        '<a href="../../tools/harm-matrix/">HTML link</a> <img src="../../images/plan.png" alt="A plan">\n\n'
        "`[code](nowhere.md)` <!-- [a note](nowhere.md) -->\n\n"
        "```\n[fenced](nowhere.md)\n```\n",
    )
    # The draft issue's own link is a warning only: it is on the site once it is published.
    assert [line[3] for line in _link_lines(linked) if line[2] == "error"] == []


def test_broken_links_are_located_errors_with_did_you_mean(linked: Path) -> None:
    first = _append(
        linked,
        "tools/mapping.md",
        "See [the harm matrix](harm-matrx.md) and [issue 12](../issues/012-nothing.md).\n"
        "[About us](../pages/about.md) and [the story](../feedback/draft-story.md).\n"
        "[Web style](../tools/safety-house/) and [a section](safety-house.md#sourcess).\n"
        "[Nowhere here](#nowhere) and ![A plan](../images/plann.png) and [a PDF](../files/plan.pdf).\n"
        "[Missing reference][nope] and [a reference][bad].\n\n"
        "[bad]: ../tools/harm-matrix.md#no-such-section\n\n"
        '<a href="harm-matrix.md">HTML link</a> <img src="../images/plan.png" alt="A plan">\n',
    )
    found = _link_lines(linked)
    assert all(path == "content/tools/mapping.md" and severity == "error" for path, _, severity, _ in found)
    by_line: dict[int, list[str]] = {}
    for _, line, _, message in found:
        by_line.setdefault(line - first, []).append(message)
    assert any('"harm-matrx.md"' in m and 'did you mean "harm-matrix.md"' in m for m in by_line[0])
    assert any('"../issues/012-nothing.md" points to a page that does not exist' in m for m in by_line[0])
    assert any('write "../about.md" instead' in m for m in by_line[1])
    assert any('write "../issues/011-signs-of-wellbeing.md#story-draft-story"' in m for m in by_line[1])
    assert any('link to the page\'s file instead: "safety-house.md"' in m for m in by_line[2])
    assert any('did you mean "safety-house.md#sources"' in m for m in by_line[2])
    assert any('"#nowhere" points to a section this page does not have' in m for m in by_line[3])
    assert any(
        'picture "../images/plann.png"' in m and 'did you mean "../images/plan.png"' in m for m in by_line[3]
    )
    assert any('"../files/plan.pdf" points to a file that does not exist' in m for m in by_line[3])
    assert any('"[nope]" has no address' in m for m in by_line[4])
    assert any("#no-such-section" in m for m in by_line[6])
    assert sum("written in HTML" in m for m in by_line[8]) == 2
    assert len(found) == 13


def test_a_story_links_from_its_issue_page_and_a_free_page_from_the_top(linked: Path) -> None:
    story = _append(linked, "feedback/draft-story.md", "[Mapping](../tools/mappin.md)\n")
    about = _append(
        linked, "pages/about.md", "[Mapping](../tools/mapping.md) and [tools](tools/mapping.md)\n"
    )
    found = _link_lines(linked)
    assert [(p, n) for p, n, _, _ in found] == [
        (DRAFT_STORY_FILE, story),
        ("content/pages/about.md", about),
    ]
    assert 'did you mean "../tools/mapping.md"' in found[0][3]
    assert "shown on the site (about.md)" in found[1][3] and 'write "tools/mapping.md"' in found[1][3]


def test_a_link_to_a_draft_issue_from_a_published_page_is_a_warning(linked: Path) -> None:
    line = _append(linked, "tools/mapping.md", "[Next issue](../issues/011-signs-of-wellbeing.md)\n")
    assert [(n, s) for _, n, s, _ in _link_lines(linked)] == [(line, "warning")]


def test_an_anchor_made_by_a_page_template_is_found(linked: Path) -> None:
    measure_page = (
        PageGenerator(check_project(PROJECT, use_cache=False, today=TODAY).context).generate()
    ).pages["measures/1-keeping-children-safe.md"]
    slugify = toc_options([])
    assert slugify is not None
    template_ids = heading_ids(measure_page, slugify)
    source = (PROJECT / "content/measures/1-keeping-children-safe.md").read_text("utf-8")
    extra = sorted(template_ids - heading_ids(source, slugify))
    assert extra, "the measure template adds no heading of its own"
    _append(linked, "tools/mapping.md", f"[Evidence](../measures/1-keeping-children-safe.md#{extra[0]})\n")
    assert _link_lines(linked) == []


@pytest.mark.parametrize("drafts", [False, True])
def test_site_addresses_are_the_pages_the_generator_makes(drafts: bool) -> None:
    result = check_project(PROJECT, use_cache=False, today=TODAY)
    context = result.context.seen_as(Visibility(TODAY, include_drafts=drafts))
    generated = set(PageGenerator(context).generate().pages)
    addresses = SiteAddresses.of(result.site, context.content_files.copied, TODAY)
    assert set(addresses.pages if drafts else addresses.published) == generated


def test_heading_ids_follow_the_toc_extension() -> None:
    import markdown

    text = (
        "## Meaningful measures: counting what counts\n\n## Notes\n\n## Notes\n\n"
        "### Café *and* `code` [link](x.md)\n\nSetext heading\n--------------\n\n"
        '## Named {: #my-own }\n\n<span id="spot"></span>\n'
    )
    html = markdown.markdown(text, extensions=["toc", "attr_list"])
    import re

    rendered = set(re.findall(r'id="([^"]+)"', html))
    slugify = toc_options([("toc", {"permalink": True})])
    assert slugify is not None
    assert heading_ids(text, slugify) == rendered
    assert toc_options([("toc", {"slugify": "!!python/name:pymdownx.slugs.uslugify"})]) is None


def test_heading_lines_take_every_kind_of_heading() -> None:
    text = "##WELCOME\n\n- ## IN A LIST\n\nTWO LINE\nSETEXT\n===\n\nPlain SGO text\n\n    ## CODE\n"
    assert heading_lines(text) == {0, 2, 4, 5}
