"""Authors' accessibility mistakes: images without alt text (errors), vague or bare-address
link text and skipped heading levels (warnings), each on its own line."""

from __future__ import annotations

from pathlib import Path

from conftest import assert_golden, copy_project, fixture_project, run_sofs


def _a11y_lines(root: Path) -> list[str]:
    result = run_sofs(root, "check")
    assert "Traceback" not in result.stdout + result.stderr
    return [line for line in result.stdout.splitlines() if "[a11y." in line]


def test_planted_mistakes_give_golden_diagnostics(tmp_path: Path) -> None:
    root = fixture_project(tmp_path / "a11y", "content-a11y")
    assert_golden("check/content-a11y.txt", "\n".join(_a11y_lines(root)) + "\n")


def test_missing_alt_text_is_an_error_and_blocks_the_build(tmp_path: Path) -> None:
    root = fixture_project(tmp_path / "a11y", "content-a11y")
    lines = _a11y_lines(root)
    errors = [line for line in lines if "[a11y.image-alt]" in line]
    assert [line.split(":")[1] for line in errors] == ["7", "9", "11"]
    assert all(": error: " in line for line in errors)
    assert run_sofs(root, "build").returncode == 1


def test_vague_and_bare_link_text_and_skipped_headings_are_warnings(tmp_path: Path) -> None:
    root = fixture_project(tmp_path / "a11y", "content-a11y")
    lines = _a11y_lines(root)
    links = [line for line in lines if "[a11y.link-text]" in line]
    assert len(links) == 5
    assert all(": warning: " in line for line in links)
    assert any('"https://example.org/guide"' in line for line in links)
    skips = sorted(line.split(": warning:")[0] for line in lines if "[a11y.heading-skip]" in line)
    assert skips == [
        "content/pages/images.md:21",
        "content/tools/headings.md:15",
        "content/tools/headings.md:7",
    ]


def test_sample_content_has_no_image_link_or_heading_problem(tmp_path: Path) -> None:
    assert _a11y_lines(copy_project(tmp_path / "sample")) == []
