"""`build_project` with renderers handed in: the build stage knows no renderer by name,
swaps in what one makes, and keeps the old site when one fails."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from conftest import copy_project

from generator.generate.context import BuildContext
from generator.generate.extra_files import extra_outputs
from generator.generate.pages import generate_docs
from generator.site_build.builder import RenderFailed, build_project
from generator.site_build.project_lock import ProjectLockError, project_lock

TODAY = dt.date(2026, 1, 15)


def markdown_renderer(context: BuildContext, into: Path, *, source_date_epoch: int) -> list[str]:
    """A renderer that writes the generated Markdown as it is, one index.html per page."""
    for path, text in generate_docs(context).pages.items():
        page = into / path.removesuffix(".md") / "index.html"
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(text, encoding="utf-8")
    for path, data in extra_outputs(context).items():
        (into / path).parent.mkdir(parents=True, exist_ok=True)
        (into / path).write_bytes(data)
    return [f"epoch {source_date_epoch}"]


def failing_renderer(context: BuildContext, into: Path, *, source_date_epoch: int) -> list[str]:
    (into / "half.html").write_text("half", encoding="utf-8")
    raise RenderFailed("the renderer gave up")


def test_the_site_is_what_the_handed_renderer_made(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "p")
    result = build_project(root, markdown_renderer, today=TODAY)
    assert result.built and result.failure is None
    issue_page = root / "site/issues/010-meaningful-measures/index.html"
    assert "# Meaningful measures- counting what counts { .sofs-cover__title }" in issue_page.read_text(
        "utf-8"
    )
    assert (root / "site/feed.xml").is_file() and (root / "site/email/010.html").is_file()
    assert result.renderer_warnings == (f"epoch {1756684800}",)  # 1 September 2025, issue 10's day
    assert (root / "site/.sofs-site").is_file()
    assert not (root / "site/issues/011-signs-of-wellbeing").exists()


def test_a_failing_renderer_leaves_the_previous_site(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "p")
    assert build_project(root, markdown_renderer, today=TODAY).built
    before = sorted(p.relative_to(root).as_posix() for p in (root / "site").rglob("*"))
    result = build_project(root, failing_renderer, today=TODAY)
    assert not result.built and result.failure == "the renderer gave up"
    assert sorted(p.relative_to(root).as_posix() for p in (root / "site").rglob("*")) == before
    assert [p.name for p in root.iterdir() if p.name.startswith(".sofs-build")] == []


def test_drafts_reach_the_renderer_only_when_asked(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "p")
    assert build_project(root, markdown_renderer, include_drafts=True, today=TODAY).built
    assert (root / "site/issues/011-signs-of-wellbeing/index.html").is_file()


def test_asking_again_for_a_lock_this_run_holds_is_an_error_not_a_hang(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "p")
    with (
        project_lock(root, "sofs build"),
        pytest.raises(ProjectLockError, match="already holds the project's lock"),
        project_lock(root, "sofs publish"),
    ):
        pass
    with project_lock(root, "sofs build"):  # and it is free again afterwards
        pass
