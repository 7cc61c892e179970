"""The build cache (`.cache/sofs/`): a rebuild from it gives exactly what a fresh build
gives, after any kind of edit, and a damaged or unwritable cache only costs time."""

from __future__ import annotations

import json
import os
import shutil
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.cache.store import CACHE_FOLDER, BuildCache
from tests.conftest import FIXED_TODAY, approve_again, copy_project, run_sofs

ISSUE_10 = Path("content/issues/010-meaningful-measures.md")


def _tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def _replace(root: Path, relative: str, old: str, new: str) -> None:
    path = root / relative
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in {relative}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _edit_issue_body(root: Path) -> None:
    _replace(
        root,
        ISSUE_10.as_posix(),
        "Hello, and welcome",
        "A new first line about the harm matrix.\n\nHello, and welcome",
    )
    approve_again(root, 10)


def _rename_tool(root: Path) -> None:
    _replace(root, "content/tools/harm-matrix.md", 'name: "Harm matrix"', 'name: "Harm grid"')
    _replace(root, "content/tools/harm-matrix.md", 'aliases: ["harm matrices"]', 'aliases: ["harm matrix"]')


def _edit_email_template(root: Path) -> None:
    path = root / "templates/email/issue.txt.j2"
    path.write_text("Changed template\n" + path.read_text(encoding="utf-8"), encoding="utf-8")


def _edit_story_template(root: Path) -> None:
    path = root / "templates/pages/story_in_issue.md.j2"
    path.write_text(path.read_text(encoding="utf-8") + "\n*Story ends.*\n", encoding="utf-8")


def _tighten_reading_ease(root: Path) -> None:
    _replace(root, "mkdocs.yml", "      mailbox:", "      reading_ease_min: 99\n      mailbox:")


def _drop_acronym(root: Path) -> None:
    _replace(root, "content/acronyms.md", "  SGO: Special Guardianship Order\n", "")


def _edit_story(root: Path) -> None:
    _replace(
        root,
        "content/feedback/first-contact-family-led-plans.md",
        "I feel everyone should be proud",
        "We feel everyone should be proud",
    )


def _add_phone_number(root: Path) -> None:
    _replace(
        root,
        ISSUE_10.as_posix(),
        "Hello, and welcome",
        "Ring the family on 07700 900123.\n\nHello, and welcome",
    )


def _edit_summary(root: Path) -> None:
    _replace(root, ISSUE_10.as_posix(), 'summary: "Our five', 'summary: "The five')
    approve_again(root, 10)


def _edit_theme_override(root: Path) -> None:
    _replace(root, "templates/theme/main.html", "{% block footer %}", "{% block footer %}<!-- edited -->")


def _edit_brand_colour(root: Path) -> None:
    _replace(root, "mkdocs.yml", 'brand_colour: "#1d4f91"', 'brand_colour: "#14365f"')


EDITS: dict[str, Callable[[Path], None]] = {
    "issue body": _edit_issue_body,
    "tool renamed": _rename_tool,
    "email template": _edit_email_template,
    "page template": _edit_story_template,
    "setting": _tighten_reading_ease,
    "acronym list": _drop_acronym,
    "team story": _edit_story,
    "personal data added": _add_phone_number,
    "issue summary": _edit_summary,
    "theme override": _edit_theme_override,
    "brand colour": _edit_brand_colour,
}


@pytest.mark.parametrize("edit", EDITS, ids=list(EDITS))
def test_a_rebuild_from_the_cache_equals_a_fresh_build_after_an_edit(tmp_path: Path, edit: str) -> None:
    warm = copy_project(tmp_path / "warm")
    assert run_sofs(warm, "build").returncode == 0
    assert (warm / CACHE_FOLDER / "emails").is_dir()
    fresh = copy_project(tmp_path / "fresh")
    for root in (warm, fresh):
        EDITS[edit](root)

    warm_check = run_sofs(warm, "check")
    fresh_check = run_sofs(fresh, "check", "--no-cache")
    assert (warm_check.returncode, warm_check.stdout) == (fresh_check.returncode, fresh_check.stdout)

    warm_build = run_sofs(warm, "build")
    fresh_build = run_sofs(fresh, "build", "--no-cache")
    assert warm_build.returncode == fresh_build.returncode
    assert "Traceback" not in warm_build.stderr
    if warm_build.returncode == 0:
        assert _tree(warm / "site") == _tree(fresh / "site")
    assert not (fresh / ".cache").exists(), "--no-cache must not write a cache"


def test_a_new_phone_number_is_found_although_the_file_was_clean_in_the_cache(project: Path) -> None:
    assert run_sofs(project, "check").returncode == 0
    _add_phone_number(project)
    result = run_sofs(project, "check")
    assert result.returncode == 1
    assert "[privacy.phone]" in result.stdout
    assert "07700 900123" not in result.stdout  # masked


def test_the_drafts_preview_and_a_later_today_share_the_cache_correctly(tmp_path: Path) -> None:
    warm = copy_project(tmp_path / "warm")
    fresh = copy_project(tmp_path / "fresh")
    assert run_sofs(warm, "build", "--drafts").returncode == 0
    for today in ("2025-10-01", FIXED_TODAY):
        env = {"SOFS_TODAY": today}
        assert run_sofs(warm, "build", "--drafts", env=env).returncode == 0
        assert run_sofs(fresh, "build", "--drafts", "--no-cache", env=env).returncode == 0
        assert _tree(warm / "site") == _tree(fresh / "site")


def _entries(root: Path, shelf: str) -> list[Path]:
    return sorted(p for p in (root / CACHE_FOLDER / shelf).iterdir() if not p.name.startswith("."))


def test_kept_results_are_used_not_only_written(project: Path) -> None:
    """Replace the kept results with recognisable ones: a rebuild must show them, which
    proves it read the cache instead of doing the work again."""
    assert run_sofs(project, "build").returncode == 0
    (email,) = _entries(project, "emails")
    html, text = b"<p>kept email</p>\n", b"kept text\n"
    email.write_bytes(len(html).to_bytes(8, "big") + html + text)
    checks = _entries(project, "file-checks")
    assert len(checks) > 20
    fake = [[ISSUE_10.as_posix(), 3, "warning", "a finding read from the cache", "cache.test"]]
    checks[0].write_text(json.dumps(fake), encoding="utf-8")

    result = run_sofs(project, "build")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "a finding read from the cache [cache.test]" in result.stdout
    assert (project / "site/email/010.html").read_bytes() == html
    assert (project / "site/email/010.txt").read_bytes() == text


def test_a_damaged_cache_costs_time_only(tmp_path: Path) -> None:
    damaged = copy_project(tmp_path / "damaged")
    fresh = copy_project(tmp_path / "fresh")
    assert run_sofs(damaged, "build").returncode == 0
    for shelf in ("emails", "file-checks"):
        for number, entry in enumerate(_entries(damaged, shelf)):
            entry.write_bytes([b"", b"\xff\xfe not json", b"[[1, 2]]", b"\x00" * 7][number % 4])
    result = run_sofs(damaged, "build")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert run_sofs(fresh, "build", "--no-cache").returncode == 0
    assert _tree(damaged / "site") == _tree(fresh / "site")


def test_a_cache_folder_that_cannot_be_written_is_skipped(project: Path) -> None:
    (project / ".cache").write_text("not a folder\n", encoding="utf-8")
    result = run_sofs(project, "build")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert (project / "site/email/010.html").is_file()
    assert (project / ".cache").read_text(encoding="utf-8") == "not a folder\n"


def test_results_no_longer_needed_are_removed(project: Path) -> None:
    assert run_sofs(project, "build").returncode == 0
    before = len(_entries(project, "file-checks"))
    for _ in range(3):
        _edit_issue_body(project)
        assert run_sofs(project, "build").returncode == 0
    assert len(_entries(project, "file-checks")) == before
    assert len(_entries(project, "emails")) == 1  # one shown issue: one email
    assert (
        (project / CACHE_FOLDER / "CACHEDIR.TAG")
        .read_text()
        .startswith("Signature: 8a477f597d28d172789f06886806bc55")
    )


def test_the_cache_is_ignored_by_git_and_kept_out_of_the_site(project: Path) -> None:
    ignored = (Path(__file__).resolve().parents[2] / ".gitignore").read_text(encoding="utf-8").split()
    assert ".cache/" in ignored
    assert run_sofs(project, "build").returncode == 0
    assert not any(".cache" in p.parts for p in (project / "site").rglob("*"))


def test_prune_leaves_other_runs_half_written_entries(tmp_path: Path) -> None:
    cache = BuildCache(tmp_path / "cache")
    cache.put("shelf", "kept", b"1")
    stale, writing = tmp_path / "cache/shelf/.new-old", tmp_path / "cache/shelf/.new-now"
    stale.write_bytes(b"")
    writing.write_bytes(b"")
    an_hour_and_more = time.time() - 3700
    os.utime(stale, (an_hour_and_more, an_hour_and_more))
    (tmp_path / "cache/shelf" / ("0" * 64)).write_bytes(b"2")  # an unused entry
    (tmp_path / "cache/shelf/notes.txt").write_bytes(b"someone's")  # not a name the cache gives

    cache.prune(["shelf"])

    assert sorted(p.name for p in (tmp_path / "cache/shelf").iterdir()) == [".new-now", "kept", "notes.txt"]
    assert cache.get("shelf", "kept") == b"1"
    assert BuildCache.off().get("shelf", "kept") is None
    shutil.rmtree(tmp_path / "cache")
    assert cache.get("shelf", "kept") is None


def test_prune_never_follows_a_link_out_of_the_cache(project: Path, tmp_path: Path) -> None:
    assert run_sofs(project, "build").returncode == 0
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / ("a" * 64)).write_bytes(b"a file named like an entry, in someone else's folder")
    shelf = project / CACHE_FOLDER / "file-checks"
    shutil.rmtree(shelf)
    shelf.symlink_to(elsewhere, target_is_directory=True)
    assert run_sofs(project, "build").returncode == 0
    assert [p.name for p in elsewhere.iterdir()] == ["a" * 64]
