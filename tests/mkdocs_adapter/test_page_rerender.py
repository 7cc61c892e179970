"""The preview renders an edited page alone (`page_rerender`), and the site it then serves
is, file for file, the site a full preview build makes of the same content."""

from __future__ import annotations

import datetime as dt
import gzip
import json
from pathlib import Path

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
