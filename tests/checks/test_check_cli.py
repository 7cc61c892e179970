"""`sofs check` on invalid fixtures: exact golden diagnostics, exit codes, no tracebacks."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import FIXTURES, assert_golden, fixture_project, run_sofs

INVALID_CASES = sorted(p.name for p in (FIXTURES / "invalid").iterdir() if p.is_dir())


def test_there_are_at_least_ten_kinds_of_mistake() -> None:
    assert len(INVALID_CASES) >= 10


@pytest.mark.parametrize("case", INVALID_CASES)
def test_invalid_fixture_gives_golden_diagnostics(case: str, tmp_path: Path) -> None:
    root = fixture_project(tmp_path / case, f"invalid/{case}")
    result = run_sofs(root, "check")
    assert "Traceback" not in result.stderr + result.stdout
    assert result.stderr == ""
    assert result.returncode == 1, result.stdout
    assert_golden(f"check/{case}.txt", result.stdout)


def test_sample_content_has_no_problems_but_its_examples(project: Path) -> None:
    result = run_sofs(project, "check")
    assert result.returncode == 0, result.stdout
    found = result.stdout.splitlines()
    assert found[-1].startswith("0 errors, ")
    assert all(line.endswith(("[example.value]", "[example.marker]")) for line in found[:-1]), found


def test_text_pasted_from_word_in_utf8_is_fine(tmp_path: Path) -> None:
    root = fixture_project(tmp_path / "word", "word-paste")
    result = run_sofs(root, "check", "--strict")
    # Its line starting with "•" is shown as a list, and the lead is told how to write one.
    assert result.stdout.splitlines()[:-1] == [
        line for line in result.stdout.splitlines() if line.endswith("[paste.bullets]")
    ]
    assert result.stdout.endswith("0 errors, 1 warning.\n"), result.stdout


def test_json_format_lists_the_same_diagnostics(tmp_path: Path) -> None:
    root = fixture_project(tmp_path / "refs", "invalid/unknown-references")
    text = run_sofs(root, "check").stdout.splitlines()[:-1]
    result = run_sofs(root, "check", "--format", "json")
    payload = json.loads(result.stdout)
    assert result.returncode == 1
    assert payload["errors"] == len(text) - payload["warnings"]
    rendered = [
        f"{d['path']}:{d['line']}: {d['severity']}: {d['message']} [{d['code']}]"
        for d in payload["diagnostics"]
    ]
    assert rendered == text


def test_warnings_fail_only_under_strict(tmp_path: Path) -> None:
    root = fixture_project(tmp_path / "typo", "invalid/unknown-field")
    (root / "content/tools/typo.md").write_text(
        '---\nname: "Safety house"\nsummary: "ok"\ncategory: planning\ncolour: blue\n---\n', encoding="utf-8"
    )
    assert run_sofs(root, "check").returncode == 0
    strict = run_sofs(root, "check", "--strict")
    assert strict.returncode == 1
    assert 'content/tools/typo.md:5: warning: unknown field "colour" is ignored' in strict.stdout


def test_usage_error_exits_two(project: Path) -> None:
    result = run_sofs(project, "check", "--format", "xml")
    assert result.returncode == 2
    assert "invalid choice" in result.stderr


def test_yaml_tags_are_never_executed(tmp_path: Path) -> None:
    root = fixture_project(tmp_path / "tag", "invalid/yaml-tag-and-tabs")
    result = run_sofs(root, "check")
    assert "hacked" not in result.stdout + result.stderr
    assert "!!python/object/apply:os.system is not allowed" in result.stdout
