"""Write only what is ours: output folders sofs may write, and the modes of what it writes.

Every case runs the real `sofs` command and then compares the whole project, `.git` and
`data/` included, with what it was before.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import FIXED_TODAY, fixture_project, run_sofs


def snapshot(folder: Path, *, skip: tuple[str, ...] = (".cache", ".sofs.lock")) -> dict[str, str]:
    """Every file under `folder` (but the build cache and lock) by path, with a hash of its bytes."""
    found = {}
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder).as_posix()
        if path.is_file() and not relative.startswith(skip):
            found[relative] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """The minimal sample site with a git repository, a subscriber list and a built site."""
    root = fixture_project(tmp_path / "project")
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    (root / "data").mkdir()
    (root / "data/subscribers.sqlite").write_bytes(b"subscribers")
    (root / "data/publication-log.jsonl").write_text("{}\n", "utf-8")
    assert run_sofs(root, "build").returncode == 0
    return root


@pytest.mark.parametrize(
    ("folder", "said"),
    [
        (".", "is the project folder"),
        ("", "is the project folder"),  # `--docs-out "$UNSET"`: not a site build
        ("..", "is a folder that holds the project"),
        ("content", "content/ holds the content you write"),
        ("content/issues", "is inside a folder of the project: content/"),
        ("templates", "templates/ holds the page templates"),
        ("data", "data/ holds the subscriber list"),
        ("site", "site/ is the built site"),
        ("site/new", "is inside a folder of the project: site/"),
        (".git", ".git/ holds the project's history"),
    ],
)
def test_docs_out_refuses_the_projects_own_folders(project: Path, folder: str, said: str) -> None:
    before = snapshot(project.parent)
    result = run_sofs(project, "build", "--docs-out", folder)
    assert result.returncode == 1
    assert said in result.stderr and "Nothing was written." in result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(project.parent) == before


def test_docs_out_refuses_a_folder_it_did_not_write(project: Path, tmp_path: Path) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "thesis.docx").write_bytes(b"years of work")
    result = run_sofs(project, "build", "--docs-out", str(mine))
    assert result.returncode == 1
    assert "already holds files that sofs did not write (thesis.docx)" in result.stderr
    assert [p.name for p in mine.iterdir()] == ["thesis.docx"]


def test_docs_out_rewrites_only_the_files_it_wrote(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "tree"
    out.mkdir()
    (project / "content/pages/logo.svg").write_text("<svg/>\n", "utf-8")
    assert run_sofs(project, "build", "--docs-out", str(out)).returncode == 0
    marker = (out / ".sofs-docs-out").read_text("utf-8")
    assert marker.startswith("# This folder was written by `sofs build --docs-out`")
    assert "docs/issues/001-first-issue.md\n" in marker and "docs/pages/logo.svg\n" in marker
    (out / "notes.txt").write_text("my notes\n", "utf-8")
    (out / "site").mkdir()
    (out / "site/index.html").write_text("a renderer's output\n", "utf-8")
    outside = tmp_path / "outside.txt"
    outside.write_text("not sofs's\n", "utf-8")
    (out / ".sofs-docs-out").write_text(marker + "../outside.txt\n/etc/hostname\n", "utf-8")
    (project / "content/pages/logo.svg").unlink()

    result = run_sofs(project, "build", "--docs-out", str(out))
    assert result.returncode == 0, result.stderr
    assert not (out / "docs/pages").exists()
    assert (out / "docs/issues/001-first-issue.md").is_file()
    assert (out / "notes.txt").read_text("utf-8") == "my notes\n"
    assert (out / "site/index.html").read_text("utf-8") == "a renderer's output\n"
    assert outside.read_text("utf-8") == "not sofs's\n"

    (out / "docs/index.md").unlink()
    (out / "docs/index.md").write_text("my own home page\n", "utf-8")
    (out / ".sofs-docs-out").write_text(
        "".join(line + "\n" for line in marker.splitlines() if line != "docs/index.md"), "utf-8"
    )
    before = snapshot(out)
    result = run_sofs(project, "build", "--docs-out", str(out))
    assert result.returncode == 1
    assert (
        "holds files that sofs did not write (or links) where the docs tree goes (docs/index.md)"
        in result.stderr
    )
    assert snapshot(out) == before


def test_docs_out_never_writes_through_a_link_even_one_its_marker_lists(
    project: Path, tmp_path: Path
) -> None:
    out = tmp_path / "tree"
    assert run_sofs(project, "build", "--docs-out", str(out)).returncode == 0
    (out / "docs").rename(tmp_path / "moved")
    (out / "docs").symlink_to(project / "content")
    with (out / ".sofs-docs-out").open("a", encoding="utf-8") as marker:
        marker.write("docs\n")  # a hand-edited marker claiming the link
    before = snapshot(project)
    result = run_sofs(project, "build", "--docs-out", str(out))
    assert result.returncode == 1
    assert "(or links) where the docs tree goes (docs)" in result.stderr
    assert snapshot(project) == before


def test_docs_out_stops_at_a_folder_where_it_writes_a_file(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "tree"
    assert run_sofs(project, "build", "--docs-out", str(out)).returncode == 0
    (out / "docs/index.md").unlink()
    (out / "docs/index.md").mkdir()
    (out / "docs/index.md/keep.txt").write_text("mine\n", "utf-8")
    before = snapshot(out)
    result = run_sofs(project, "build", "--docs-out", str(out))
    assert result.returncode == 1, result.stderr
    assert "where the docs tree goes (docs/index.md)" in result.stderr and "Traceback" not in result.stderr
    assert snapshot(out) == before


def test_docs_out_replaces_its_own_file_by_a_folder_of_the_same_name(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "tree"
    (project / "content/pages/pics.svg").write_text("<svg/>\n", "utf-8")  # a file first
    assert run_sofs(project, "build", "--docs-out", str(out)).returncode == 0
    (project / "content/pages/pics.svg").unlink()
    (project / "content/pages/pics.svg").mkdir()
    (project / "content/pages/pics.svg/logo.svg").write_text("<svg/>\n", "utf-8")
    result = run_sofs(project, "build", "--docs-out", str(out))
    assert result.returncode == 0, result.stderr
    assert (out / "docs/pages/pics.svg/logo.svg").read_text("utf-8") == "<svg/>\n"
    assert "docs/pages/pics.svg/logo.svg\n" in (out / ".sofs-docs-out").read_text("utf-8")


def test_docs_out_and_email_out_expand_a_home_folder(project: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    result = run_sofs(project, "build", "--docs-out=~/tree", env={"HOME": str(home)})
    assert result.returncode == 0, result.stderr
    assert (home / "tree/mkdocs.yml").is_file() and not (project / "~").exists()
    result = run_sofs(project, "email", "render", "1", "--out=~/mail", env={"HOME": str(home)})
    assert result.returncode == 0, result.stderr
    assert (home / "mail/001.eml").is_file() and not (project / "~").exists()


def test_email_render_never_writes_through_a_link(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "preview"
    out.mkdir()
    home_page = project / "content/pages/home.md"
    (out / "001.html").symlink_to(home_page)
    before = snapshot(project)
    result = run_sofs(project, "email", "render", "1", "--out", str(out))
    assert result.returncode == 1
    assert "001.html is a link or a folder" in result.stderr and "Nothing was written" in result.stderr
    assert snapshot(project) == before
    assert sorted(p.name for p in out.iterdir()) == ["001.html"]
    (out / "001.html").unlink()
    assert run_sofs(project, "email", "render", "1", "--out", str(out)).returncode == 0
    assert (out / "001.html").read_bytes().startswith(b"<!") and snapshot(project) == before


def test_a_site_folder_holding_other_files_is_not_replaced(project: Path) -> None:
    site = project / "site"
    assert (site / ".sofs-site").is_file()
    (site / "CNAME").write_text("news.example.org\n", "utf-8")
    before = snapshot(project)
    result = run_sofs(project, "build")
    assert result.returncode == 1
    assert "site/ holds files that sofs did not write (CNAME)" in result.stderr
    assert snapshot(project) == before
    plain = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q"],
        cwd=project,
        env={**os.environ, "SOFS_TODAY": FIXED_TODAY, "NO_MKDOCS_2_WARNING": "1"},
        capture_output=True,
        text=True,
    )
    assert plain.returncode == 1
    assert "site/ holds files that sofs did not write (CNAME)" in plain.stderr
    assert snapshot(project) == before

    (site / "CNAME").unlink()
    (site / ".sofs-site").unlink()  # a site built before sofs wrote markers: still replaced
    result = run_sofs(project, "build")
    assert result.returncode == 0, result.stderr
    assert (site / ".sofs-site").is_file()


def test_a_file_added_to_the_site_folder_during_a_build_is_not_lost(project: Path) -> None:
    """A file someone puts in site/ while the build renders (here: a MkDocs hook, at the end
    of rendering) is found before the new site replaces the old one."""
    (project / "add_cname.py").write_text(
        "from pathlib import Path\n\n\ndef on_post_build(config):\n"
        "    Path(config.config_file_path).parent.joinpath('site/CNAME').write_text('news.example.org\\n')\n",
        "utf-8",
    )
    settings = project / "mkdocs.yml"
    settings.write_text(settings.read_text("utf-8") + "hooks:\n  - add_cname.py\n", "utf-8")
    result = run_sofs(project, "build")
    assert result.returncode == 1
    assert "site/ holds files that sofs did not write (CNAME)" in result.stderr
    assert (project / "site/CNAME").read_text("utf-8") == "news.example.org\n"
    assert (project / "site/.sofs-site").is_file()
    assert not list(project.glob(".sofs-build-*"))


def test_a_site_folder_that_is_a_link_is_refused_not_replaced(project: Path) -> None:
    (project / "site").rename(project / "public")
    (project / "site").symlink_to("public")
    before = snapshot(project)
    result = run_sofs(project, "build")
    assert result.returncode == 1
    assert "site is a link (to public); every build replaces the site folder whole" in result.stderr
    assert (project / "site").is_symlink() and snapshot(project) == before


def test_a_folder_named_like_the_previous_site_is_not_taken_for_it(project: Path) -> None:
    """`.site.previous` is put back as site/ only when a build left it there (it has the marker)."""
    shutil.rmtree(project / "site")
    (project / ".site.previous").mkdir()
    (project / ".site.previous/thesis.txt").write_text("years of work\n", "utf-8")
    before = snapshot(project)
    result = run_sofs(project, "build")
    assert result.returncode == 1
    assert ".site.previous/ holds files that sofs did not write (thesis.txt)" in result.stderr
    assert snapshot(project) == before and not (project / "site").exists()
    (project / ".site.previous").rename(project / "mine")
    assert run_sofs(project, "build").returncode == 0
    (project / "site").rename(project / ".site.previous")  # a build stopped between its renames
    result = run_sofs(project, "build")
    assert result.returncode == 0, result.stderr
    assert (project / "site/.sofs-site").is_file() and not (project / ".site.previous").exists()


def test_a_site_dir_that_is_someone_elses_folder_is_refused(project: Path) -> None:
    (project / "reports").mkdir()
    (project / "reports/q3.txt").write_text("quarterly figures\n", "utf-8")
    settings = project / "mkdocs.yml"
    settings.write_text(settings.read_text("utf-8") + "site_dir: reports\n", "utf-8")
    result = run_sofs(project, "build")
    assert result.returncode == 1
    assert "reports/ holds files that sofs did not write (q3.txt)" in result.stderr
    assert (project / "reports/q3.txt").read_text("utf-8") == "quarterly figures\n"


@pytest.mark.parametrize(
    ("value", "said"),
    [
        ("data", "holds the subscriber list (data/subscribers.sqlite)"),
        (".git", "overlaps .git/"),
        (".", "is not a folder inside the project"),
        ("content", "overlaps the docs_dir folder"),
        ("./data/site", "is inside data/, which holds the subscriber list"),
    ],
)
def test_site_dir_over_the_projects_own_folders_is_a_located_error(
    project: Path, value: str, said: str
) -> None:
    settings = project / "mkdocs.yml"
    text = settings.read_text("utf-8") + f"site_dir: {value}\n"
    settings.write_text(text, "utf-8")
    before = snapshot(project)
    result = run_sofs(project, "build")
    assert result.returncode == 1
    line = len(text.splitlines())
    assert f"mkdocs.yml:{line}: error: " in result.stdout and said in result.stdout
    assert snapshot(project) == before


def test_email_render_refuses_the_projects_own_folders(project: Path) -> None:
    before = snapshot(project)
    for folder in ("content", ".", "data", ".git/hooks"):
        result = run_sofs(project, "email", "render", "1", "--out", folder)
        assert result.returncode == 1 and "Nothing was written" in result.stderr
    assert snapshot(project) == before
    assert run_sofs(project, "email", "render", "1").returncode == 0
    assert "email/001.eml" in (project / "site/.sofs-site").read_text("utf-8")
    assert run_sofs(project, "build").returncode == 0


def modes(folder: Path) -> tuple[set[int], set[int]]:
    """The permission bits of every folder (itself included) and every file under `folder`."""
    folders = {folder.stat().st_mode & 0o777}
    files = set()
    for path in folder.rglob("*"):
        (folders if path.is_dir() else files).add(path.stat().st_mode & 0o777)
    return folders, files


@pytest.mark.parametrize(
    ("umask", "folder_mode", "file_mode"), [("022", 0o755, 0o644), ("027", 0o750, 0o640)]
)
def test_output_follows_the_umask(tmp_path: Path, umask: str, folder_mode: int, file_mode: int) -> None:
    root = fixture_project(tmp_path / "project")
    env = {**os.environ, "SOFS_TODAY": FIXED_TODAY}
    env.pop("SOFS_DEBUG", None)
    sofs = f"{sys.executable} -m generator.cli"
    script = (
        f"umask {umask} && {sofs} build && {sofs} build --docs-out ../tree "
        f"&& {sofs} email render 1 --out ../mail"
    )
    result = subprocess.run(["sh", "-c", script], cwd=root, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    for folder in (root / "site", tmp_path / "tree", tmp_path / "mail"):
        assert modes(folder) == ({folder_mode}, {file_mode}), folder
