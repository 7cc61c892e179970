"""The preview renders an edited page alone (`page_rerender`), and the site it then serves
is, file for file, the site a full preview build makes of the same content."""

from __future__ import annotations

import dataclasses
import datetime as dt
import gzip
import json
import logging
from pathlib import Path

import jinja2
import pytest
from conftest import DRAFT_STORY_FILE, FIXED_TODAY, add_draft_story

from generator.mkdocs_adapter.render import PreviewSession

ADDRESS = "http://127.0.0.1:8000/"
TODAY = dt.date.fromisoformat(FIXED_TODAY)


def _session(root: Path, folder: Path) -> PreviewSession:
    session = PreviewSession(root, folder, include_drafts=True, today=TODAY)
    session.site.mkdir(parents=True)
    session.rebuild(ADDRESS, {"dev_addr": "127.0.0.1:8000"})
    return session


def _site(folder: Path) -> dict[str, object]:
    """Every file of a built site; the search index as data, the zipped sitemap unzipped
    (its zip header holds the time it was written)."""
    files: dict[str, object] = {}
    for path in sorted(folder.rglob("*")):
        if not path.is_file():
            continue
        name = path.relative_to(folder).as_posix()
        data = path.read_bytes()
        if name.endswith(".gz"):
            data = gzip.decompress(data)
        files[name] = json.loads(data) if name == "search/search_index.json" else data
    return files


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_edited_pages_alone_give_the_site_a_full_build_gives(project: Path, tmp_path: Path) -> None:
    story = add_draft_story(project)
    session = _session(project, tmp_path / "preview")
    assert session.last_render == "full"
    issue = project / "content/issues/011-signs-of-wellbeing.md"
    edits = [
        (issue, "## Principles\n", "## Principles\n\nA sentence written in the preview.\n"),
        (story, "The team's story", "The team's own story"),
        (project / "content/issues/010-meaningful-measures.md", "Signs of belonging", "Signs of Belonging"),
    ]
    for number, (path, old, new) in enumerate(edits):
        _replace(path, old, new)
        session.rebuild(ADDRESS, {"dev_addr": "127.0.0.1:8000"})
        assert session.last_render == "pages", path
        full = _session(project, tmp_path / f"full-{number}")
        assert _site(session.site) == _site(full.site), f"after editing {path.name} the sites differ"
    page = (session.site / "issues/011-signs-of-wellbeing/index.html").read_text(encoding="utf-8")
    assert "A sentence written in the preview." in page
    assert "own story" in page


def test_a_new_page_or_a_settings_change_is_rendered_by_mkdocs(project: Path, tmp_path: Path) -> None:
    """MkDocs reads `mkdocs.yml` again, so the pages it renders see the new settings."""
    session = _session(project, tmp_path / "preview")
    _replace(project / "mkdocs.yml", "first-contact: First Contact", "first-contact: Contact First")
    session.rebuild(ADDRESS, {"dev_addr": "127.0.0.1:8000"})
    assert session.last_render != "pages"
    full = _session(project, tmp_path / "full")
    assert _site(session.site) == _site(full.site)
    add_draft_story(project)
    assert (project / DRAFT_STORY_FILE).is_file()
    session.rebuild(ADDRESS, {"dev_addr": "127.0.0.1:8000"})
    assert session.last_render != "pages"


def _new_problem_logs(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if "since the last save" in r.getMessage()]


def test_after_a_save_the_preview_lists_only_the_problems_it_brought(
    project: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A practice lead sees the mistake just made, not again every warning already known."""
    caplog.set_level(logging.INFO, logger="mkdocs.commands.serve")
    session = _session(project, tmp_path / "preview")
    known = session.reported
    assert known, "the sample has warnings for the preview to know about"
    issue = project / "content/issues/011-signs-of-wellbeing.md"
    caplog.clear()
    _replace(
        issue, "tools: [worry-statements, scaling-questions]", "tools: [worry-statements, scaling-questionz]"
    )
    session.rebuild(ADDRESS, {"dev_addr": "127.0.0.1:8000"})
    [message] = _new_problem_logs(caplog)
    new_lines = message.split("\n")[1:-1]
    assert len(new_lines) == 1 and "scaling-questionz" in new_lines[0], message
    assert "011-signs-of-wellbeing.md" in new_lines[0]
    assert not any(str(problem) in message for problem in known)

    caplog.clear()
    session.rebuild(ADDRESS, {"dev_addr": "127.0.0.1:8000"})  # saved again, unchanged
    assert _new_problem_logs(caplog) == []

    _replace(issue, "scaling-questionz", "scaling-questions")
    session.rebuild(ADDRESS, {"dev_addr": "127.0.0.1:8000"})
    [message] = _new_problem_logs(caplog)
    assert message.startswith("1 fixed since the last save.")
    assert session.reported == known


def test_when_rendering_the_changed_pages_alone_fails_the_whole_site_is_built(
    project: Path, tmp_path: Path
) -> None:
    session = _session(project, tmp_path / "preview")
    assert session.built is not None
    # MkDocs' kept objects no longer fit (here: the theme's templates are gone from them).
    session.built = dataclasses.replace(session.built, env=jinja2.Environment())
    _replace(
        project / "content/issues/010-meaningful-measures.md", "Signs of belonging", "Signs of Belonging"
    )
    session.rebuild(ADDRESS, {"dev_addr": "127.0.0.1:8000"})
    assert session.last_render == "full"
    full = _session(project, tmp_path / "full")
    assert _site(session.site) == _site(full.site)
    _replace(
        project / "content/issues/010-meaningful-measures.md", "Signs of Belonging", "Signs of belonging"
    )
    session.rebuild(ADDRESS, {"dev_addr": "127.0.0.1:8000"})
    assert session.last_render == "pages", "the whole build kept fresh objects to render pages with"
