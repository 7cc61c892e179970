"""`sofs check` refuses what would be unsafe in an email header, at its line."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import run_sofs

ISSUE = "content/issues/010-meaningful-measures.md"


@pytest.mark.parametrize(
    "title",
    [
        '"Measures =?utf-8?q?hello?= for all"',
        '"Line one\\nBcc: x@example.org"',
        '"Null\\0here"',
        '"Return\\rhere"',
    ],
)
def test_unsafe_issue_titles_are_located_errors(project: Path, title: str) -> None:
    path = project / ISSUE
    path.write_text(
        path.read_text("utf-8").replace(
            'title: "Meaningful measures- counting what counts"', f"title: {title}"
        ),
        "utf-8",
    )
    result = run_sofs(project, "check")
    assert result.returncode == 1
    assert f"\n{ISSUE}:3: error: " in "\n" + result.stdout
    assert "Traceback" not in result.stdout + result.stderr
    email = run_sofs(project, "email", "render", "10", "--out", str(project / "out"))
    assert email.returncode == 1 and not (project / "out").exists()


def test_encoded_word_in_title_names_the_problem(project: Path) -> None:
    path = project / ISSUE
    path.write_text(
        path.read_text("utf-8").replace(
            'title: "Meaningful measures- counting what counts"', 'title: "Measures =?utf-8?q?x?="'
        ),
        "utf-8",
    )
    result = run_sofs(project, "check")
    assert (
        f'{ISSUE}:3: error: the title contains "=?", which cannot be used in an email subject; '
        "remove it [email.header]"
    ) in result.stdout


@pytest.mark.parametrize("name", ['"Signs =?utf-8?b?eA==?= news"', '"Signs\\nBcc: x@example.org"'])
def test_unsafe_site_name_is_located_in_mkdocs_yml(project: Path, name: str) -> None:
    config = project / "mkdocs.yml"
    text = config.read_text("utf-8").replace("site_name: Signs of Safety newsletter", f"site_name: {name}")
    config.write_text(text, "utf-8")
    line = next(n for n, x in enumerate(text.splitlines(), 1) if x.startswith("site_name:"))
    result = run_sofs(project, "check")
    assert result.returncode == 1
    assert f'mkdocs.yml:{line}: error: "site_name" contains' in result.stdout
    assert "[email.header]" in result.stdout


def test_plain_titles_pass(project: Path) -> None:
    result = run_sofs(project, "check")
    assert result.returncode == 0, result.stdout
