"""Regenerating only what an edit changed: the docs tree written with a `PageMemo` after each
kind of edit is byte for byte the tree a full run writes, and files that did not change
are not written again."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import DRAFT_STORY_FILE, FIXED_TODAY, add_draft_story

from generator.checks.project import check_project
from generator.generate.page_memo import PageMemo
from generator.site_build.docs_tree import TreeWritten, write_docs_tree

TODAY = dt.date.fromisoformat(FIXED_TODAY)


def _files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def _mtimes(folder: Path) -> dict[str, int]:
    return {p.relative_to(folder).as_posix(): p.stat().st_mtime_ns for p in folder.rglob("*") if p.is_file()}


def _replace(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def _add_issues(root: Path) -> None:
    """Two more issues after the sample's, so that an issue has neighbours on both sides."""
    source = (root / "content/issues/011-signs-of-wellbeing.md").read_text(encoding="utf-8")
    for number, day in ((12, "2026-01-05"), (13, "2026-02-02")):
        text = re.sub(r"(?m)^issue: 11$", f"issue: {number}", source)
        text = re.sub(r"(?m)^date: .*$", f"date: {day}", text, count=1)
        text = text.replace("Example draft: Signs of Wellbeing", f"Issue {number}: Signs of Wellbeing", 1)
        (root / f"content/issues/0{number}-more-wellbeing.md").write_text(text, encoding="utf-8")


Edit = Callable[[Path], None]

EDITS: dict[str, Edit] = {
    "issue text": lambda root: _replace(
        root / "content/issues/012-more-wellbeing.md",
        "## Principles\n",
        "## Principles\n\nA new first line.\n",
    ),
    "issue title": lambda root: _replace(
        root / "content/issues/012-more-wellbeing.md", "Issue 12:", "Number 12:"
    ),
    "issue measures and tools": lambda root: _replace(
        root / "content/issues/013-more-wellbeing.md", "measures: [1, 2]", "measures: [4]"
    ),
    "new issue": lambda root: (root / "content/issues/014-more-wellbeing.md").write_text(
        (root / "content/issues/013-more-wellbeing.md")
        .read_text(encoding="utf-8")
        .replace("issue: 13", "issue: 14")
        .replace("date: 2026-02-02", "date: 2026-03-02"),
        encoding="utf-8",
    ),
    "removed issue": lambda root: (root / "content/issues/014-more-wellbeing.md").unlink(),
    "story": lambda root: _replace(root / DRAFT_STORY_FILE, "The team's story", "The team's own story"),
    "story moved to another issue": lambda root: _replace(root / DRAFT_STORY_FILE, "issue: 11", "issue: 12"),
    # The story's issue moves to another file name: the pages listing the story link to it anew.
    "story's issue renamed": lambda root: (root / "content/issues/012-more-wellbeing.md").rename(
        root / "content/issues/012-renamed-wellbeing.md"
    ),
    "tool": lambda root: _replace(
        root / "content/tools/harm-matrix.md", 'name: "Harm matrix"', 'name: "Harm grid"'
    ),
    "measure": lambda root: _replace(
        root / "content/measures/1-keeping-children-safe.md",
        "Keeping children safe,",
        "Keeping children safe:",
    ),
    "principle": lambda root: _replace(
        root / "content/principles/critical-inquiry.md", "Stance of critical inquiry", "A critical stance"
    ),
    "page": lambda root: _replace(root / "content/pages/about.md", "What this newsletter is", "What it is"),
    "mkdocs.yml setting": lambda root: _replace(
        root / "mkdocs.yml", "first-contact: First Contact", "first-contact: Contact First"
    ),
    "organisation and colour": lambda root: _replace(
        root / "mkdocs.yml",
        "organisation: Adults and Children's Services\n      # The masthead's colour and the colour of links and highlights, as `#rrggbb`.\n      # `sofs check` refuses a colour too light for white text (WCAG AA, 4.5:1).\n      brand_colour: \"#1d4f91\"",
        'organisation: Children\'s Services\n      brand_colour: "#14365f"',
    ),
    "acronyms": lambda root: _replace(
        root / "content/acronyms.md",
        "  NHS: National Health Service\n",
        "  NHS: National Health Service\n  GP: General practitioner\n",
    ),
}


def _write(root: Path, out: Path, memo: PageMemo | None) -> TreeWritten:
    context = check_project(root, include_drafts=True, today=TODAY).context
    return write_docs_tree(context, out, memo)


@pytest.fixture
def grown(project: Path) -> Path:
    _add_issues(project)
    # The story names a tool its issue does not, so the tool's page lists the story alone.
    _replace(add_draft_story(project), "tools: [scaling-questions]", "tools: [harm-matrix]")
    return project


def test_each_kind_of_edit_regenerates_exactly_what_a_full_run_writes(grown: Path, tmp_path: Path) -> None:
    memo = PageMemo()
    incremental = tmp_path / "incremental"
    first = _write(grown, incremental, memo)
    assert len(memo.rendered) == first.pages and memo.reused == 0
    for number, (kind, edit) in enumerate(EDITS.items()):
        before = _mtimes(incremental)
        edit(grown)
        context = check_project(grown, include_drafts=True, today=TODAY).context
        written = write_docs_tree(context, incremental, memo)
        full = tmp_path / f"full-{number}"
        write_docs_tree(context, full, None)
        assert _files(incremental) == _files(full), f"after the {kind} edit the trees differ"
        after = _mtimes(incremental)
        # The marker lists the tree's files: it changes when a file comes or goes.
        untouched = [
            p for p in before.keys() & after.keys() if p not in written.changed and p != ".sofs-docs-out"
        ]
        assert untouched, kind
        assert all(before[p] == after[p] for p in untouched), f"{kind}: an unchanged file was written again"
        assert written.changed, f"{kind}: nothing changed"
        if kind in ("issue text", "story"):
            # The issue's page and the pages that list it: not the other issues, tools or measures.
            assert "issues/010-meaningful-measures.md" not in memo.rendered, kind
            assert sum(p.startswith("tools/") for p in memo.rendered) < 10, (kind, memo.rendered)
        if kind == "issue text":
            # The lists that name the issue show its title, date and summary, not its text.
            assert memo.rendered == ["issues/012-more-wellbeing.md"], memo.rendered


def test_nothing_is_written_when_nothing_changed(grown: Path, tmp_path: Path) -> None:
    memo = PageMemo()
    out = tmp_path / "tree"
    _write(grown, out, memo)
    before = _mtimes(out)
    again = _write(grown, out, memo)
    assert again.changed == () and memo.rendered == []
    assert _mtimes(out) == before
