"""Paths stay inside: links out of `content/` are refused, and a build touches nothing
outside the project. (Links and images that leave the folder, and settings that name
folders outside the project, have golden cases in tests/fixtures/invalid/.)"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import fixture_project, run_sofs

from generator.checks.project import check_project


def codes_for(root: Path, path: str) -> list[str]:
    return [d.code for d in check_project(root).report.diagnostics if d.path == path]


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A folder beside the project holding a valid-looking private issue."""
    folder = tmp_path / "private"
    folder.mkdir()
    (folder / "099-private.md").write_text(
        '---\nissue: 99\ntitle: "Private case notes"\ndate: 2025-01-06\nsummary: "x"\n'
        "status: published\n---\n\n## Welcome\n\nA family's private details.\n",
        encoding="utf-8",
    )
    return folder


def test_a_linked_file_from_outside_is_an_error_and_not_loaded(tmp_path: Path, outside: Path) -> None:
    root = fixture_project(tmp_path / "site")
    (root / "content/issues/099-private.md").symlink_to(outside / "099-private.md")
    result = check_project(root)
    assert codes_for(root, "content/issues/099-private.md") == ["file.outside"]
    assert [i.number for i in result.site.issues] == [1]


def test_a_linked_folder_from_outside_is_an_error_and_not_followed(tmp_path: Path, outside: Path) -> None:
    root = fixture_project(tmp_path / "site")
    (root / "content/issues/more").symlink_to(outside, target_is_directory=True)
    (root / "content/private").symlink_to(outside, target_is_directory=True)
    result = check_project(root)
    assert codes_for(root, "content/issues/more") == ["file.outside"]
    assert codes_for(root, "content/private") == ["file.outside"]
    assert not any("099" in d.path for d in result.report.diagnostics)
    assert [i.number for i in result.site.issues] == [1]


def test_links_inside_content_and_loops_are_errors_too(tmp_path: Path) -> None:
    root = fixture_project(tmp_path / "site")
    (root / "content/pages/issues-again").symlink_to(root / "content/issues", target_is_directory=True)
    (root / "content/loop").symlink_to(root / "content", target_is_directory=True)
    (root / "content/pages/copy.md").symlink_to(root / "content/pages/home.md")
    assert codes_for(root, "content/pages/issues-again") == ["file.link"]
    assert codes_for(root, "content/loop") == ["file.link"]
    assert codes_for(root, "content/pages/copy.md") == ["file.link"]


def test_any_linked_file_is_refused_because_mkdocs_would_publish_it(tmp_path: Path) -> None:
    root = fixture_project(tmp_path / "site")
    (root / "content/images").mkdir()
    (root / "content/images/logo.png").symlink_to("/etc/hostname")
    assert codes_for(root, "content/images/logo.png") == ["file.outside"]


def test_a_named_pipe_is_refused_without_blocking(tmp_path: Path) -> None:
    root = fixture_project(tmp_path / "site")
    os.mkfifo(root / "content/pages/pipe.md")
    result = run_sofs(root, "check", timeout=120)
    assert result.returncode == 1
    assert "content/pages/pipe.md: error: this is not an ordinary file" in result.stdout


def files_outside(tmp_path: Path, project: Path) -> set[str]:
    return {p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if not p.is_relative_to(project)}


def test_a_build_writes_nothing_outside_the_project(tmp_path: Path) -> None:
    root = fixture_project(tmp_path / "site")
    before = files_outside(tmp_path, root)
    assert run_sofs(root, "build").returncode == 0
    assert run_sofs(root, "build").returncode == 0
    assert files_outside(tmp_path, root) == before
    assert sorted(p.name for p in root.iterdir()) == [".cache", "content", "mkdocs.yml", "site", "templates"]
    assert [p.name for p in (root / ".cache").iterdir()] == ["sofs"]  # the build cache, ignored by git


def test_a_site_folder_outside_the_project_is_refused(tmp_path: Path) -> None:
    root = fixture_project(tmp_path / "site")
    config = root / "mkdocs.yml"
    config.write_text(
        config.read_text("utf-8").replace("docs_dir: content", "docs_dir: content\nsite_dir: .."), "utf-8"
    )
    before = files_outside(tmp_path, root)
    result = run_sofs(root, "build")
    assert result.returncode == 1
    assert "mkdocs.yml:4: error: \"site_dir\" '..' is not a folder inside the project" in result.stdout
    assert files_outside(tmp_path, root) == before
    assert (root / "content/issues/001-first-issue.md").is_file()
