"""`sofs build` renders again only the pages whose Markdown or shared inputs changed
(`page_cache`); `tests/cache/test_build_cache.py` checks that the site it then writes is a
fresh build's, byte for byte, after each kind of edit."""

from __future__ import annotations

from pathlib import Path

from conftest import approve_again, run_sofs

from generator.cache.store import CACHE_FOLDER
from generator.mkdocs_adapter.page_cache import SHELF


def _kept(root: Path) -> set[str]:
    """The kept pages, by the key of their title and search entries (the HTML is beside)."""
    entries = {p.name: p.read_bytes() for p in (root / CACHE_FOLDER / SHELF).iterdir()}
    pages = {name for name, data in entries.items() if not data.lstrip().startswith(b"<")}
    assert len(pages) * 2 == len(entries), "each kept page has its HTML and its details"
    return pages


def _build(root: Path) -> None:
    built = run_sofs(root, "build")
    assert built.returncode == 0, built.stdout + built.stderr


def test_an_edit_to_one_issue_renders_its_page_alone(project: Path) -> None:
    _build(project)
    before = _kept(project)
    pages = len(list((project / "site").rglob("index.html")))
    assert len(before) >= pages - 1  # every page kept (the 404 page is a template, not a page)
    issue = project / "content/issues/010-meaningful-measures.md"
    issue.write_text(
        issue.read_text("utf-8").replace("Hello, and welcome", "Hello again, and welcome", 1), "utf-8"
    )
    approve_again(project, 10)
    _build(project)
    after = _kept(project)
    assert len(after - before) == 1, "only the issue's page is rendered again"
    assert len(before - after) == 1, "its old version is no longer kept"
    page = (project / "site/issues/010-meaningful-measures/index.html").read_text("utf-8")
    assert "Hello again, and welcome" in page


def test_a_theme_change_renders_every_page_again(project: Path) -> None:
    _build(project)
    before = _kept(project)
    main = project / "templates/theme/main.html"
    main.write_text(
        main.read_text("utf-8").replace("{% block footer %}", "{% block footer %}<!-- new -->", 1), "utf-8"
    )
    _build(project)
    assert not before & _kept(project)
    assert "<!-- new -->" in (project / "site/index.html").read_text("utf-8")


def test_no_cache_builds_keep_nothing(project: Path) -> None:
    built = run_sofs(project, "build", "--no-cache")
    assert built.returncode == 0
    assert not (project / CACHE_FOLDER).exists()


def test_an_extension_that_includes_other_files_turns_keeping_off(project: Path) -> None:
    (project / "snippets").mkdir()
    (project / "snippets/note.md").write_text("A shared note.\n", "utf-8")
    settings = project / "mkdocs.yml"
    snippets = "  - pymdownx.snippets:\n      base_path: [snippets]\n      check_paths: true\n"
    text = settings.read_text("utf-8").replace(
        "  - pymdownx.magiclink\n", "  - pymdownx.magiclink\n" + snippets, 1
    )
    settings.write_text(text, "utf-8")
    _build(project)
    shelf = project / CACHE_FOLDER / SHELF
    assert not shelf.exists() or not any(shelf.iterdir())


def test_a_page_titled_by_its_heading_alone_renames_it_in_every_page(project: Path) -> None:
    """Every page's navigation shows every other page's title, however the title is written:
    here a page template that gives no `title` field and underlines the heading instead."""
    template = project / "templates/pages/page.md.j2"
    text = template.read_text("utf-8")
    assert text.startswith("---\ntitle:")
    template.write_text(
        text.split("---\n", 2)[2].replace("# {{ page.title | md }}", "{{ page.title | md }}\n===")
    )
    _build(project)
    about = project / "content/pages/about.md"
    about.write_text(
        about.read_text("utf-8").replace("About the newsletter", "About this newsletter", 1), "utf-8"
    )
    _build(project)
    kept = _pages(project / "site")
    assert b"About this newsletter" in kept["issues/010-meaningful-measures/index.html"]
    built = run_sofs(project, "build", "--no-cache")
    assert built.returncode == 0, built.stdout + built.stderr
    fresh = _pages(project / "site")
    assert [name for name in fresh if kept.get(name) != fresh[name]] == []


def _pages(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*.html")}


def test_a_kept_page_whose_html_is_gone_is_rendered_again(project: Path) -> None:
    _build(project)
    shelf = project / CACHE_FOLDER / SHELF
    details = _kept(project)
    for entry in shelf.iterdir():
        if entry.name not in details:
            entry.unlink()  # the HTML, not the title and search entries beside it
    _build(project)
    assert _kept(project) == details
    rebuilt = _pages(project / "site")
    built = run_sofs(project, "build", "--no-cache")
    assert built.returncode == 0, built.stdout + built.stderr
    assert rebuilt == _pages(project / "site")
