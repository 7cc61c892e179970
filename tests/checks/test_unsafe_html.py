"""Unsafe HTML in content: located errors for script-running tags, handlers and links;
code examples and look-alike words are left alone."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import assert_golden, copy_project, fixture_project, run_sofs

from generator.checks.unsafe_html import dangerous_url, scan_line


def _unsafe_lines(root: Path) -> tuple[int, list[str]]:
    result = run_sofs(root, "check")
    assert "Traceback" not in result.stdout + result.stderr
    return result.returncode, [line for line in result.stdout.splitlines() if "[unsafe-html." in line]


def test_planted_unsafe_html_gives_golden_errors(tmp_path: Path) -> None:
    root = fixture_project(tmp_path / "unsafe", "unsafe-html")
    status, lines = _unsafe_lines(root)
    assert status == 1
    assert all(": error: " in line for line in lines)
    assert_golden("check/unsafe-html.txt", "\n".join(lines) + "\n")


def test_every_planted_line_is_reported_and_no_safe_line_is(tmp_path: Path) -> None:
    root = fixture_project(tmp_path / "unsafe", "unsafe-html")
    _, lines = _unsafe_lines(root)
    issue = "content/issues/002-unsafe.md"
    flagged = {int(line.split(":")[1]) for line in lines if line.startswith(issue)}
    text = (root / issue).read_text(encoding="utf-8").split("\n")
    welcome = text.index("## Welcome") + 1
    feedback = text.index("## Feedback from teams across the service") + 1
    planted = {n for n in range(welcome + 1, feedback) if text[n - 1].strip()}
    assert len(planted) == 11
    assert flagged == planted
    assert sum("unsafe-html.script-url" in line for line in lines) == 7
    assert any(line.startswith("content/pages/embed.md:2: error: <script>") for line in lines)


def test_the_build_is_blocked(tmp_path: Path) -> None:
    root = fixture_project(tmp_path / "unsafe", "unsafe-html")
    result = run_sofs(root, "build")
    assert result.returncode == 1
    assert not (root / "site").exists()


def test_sample_content_has_no_unsafe_html(tmp_path: Path) -> None:
    assert "[unsafe-html." not in run_sofs(copy_project(tmp_path / "sample"), "check").stdout


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JAVASCRIPT:x",
        " javascript:x",
        "java\tscript:x",
        "java&#115;cript:x",
        "&#x6A;avascript:x",
        "vbscript:x",
        "data:text/html;base64,PHNjcmlwdD4=",
    ],
)
def test_dangerous_urls_are_recognised_however_written(url: str) -> None:
    assert dangerous_url(url) is not None


@pytest.mark.parametrize(
    "url", ["https://example.org/", "mailto:box@example.org", "#top", "data:image/png;base64,AA"]
)
def test_ordinary_urls_are_safe(url: str) -> None:
    assert dangerous_url(url) is None


def test_an_event_handler_needs_a_tag() -> None:
    assert [code for code, _ in scan_line('<p onmouseover="x()">hi</p>')] == ["unsafe-html.event-handler"]
    assert list(scan_line("the onset = early, online=yes")) == []
