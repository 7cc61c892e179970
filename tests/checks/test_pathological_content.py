"""Pathological content: each shape is a located error from `sofs check` or builds, and the
scanners that read it do work in proportion to its size.

Sizes here are small so the tests stay fast; what each shape costs at 2 MB, against
ordinary text of the same size, is measured by `benchmarks/pathological.py`. Work is
counted as Python lines executed (`sys.settrace`), never timed.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import approve_again, copy_project, run_sofs
from tracing import lines_run

from generator.checks import markdown_limits
from generator.checks.readability import analyse
from generator.content.markdown_scan import code_spans, without_code_spans
from generator.content.source_lines import SourceLines

ISSUE = "content/issues/010-meaningful-measures.md"

#: Shape -> (Markdown body, the code `sofs check` must report).
REFUSED: dict[str, tuple[str, str]] = {
    "9,000 [ in a paragraph": ("\n".join(["[" * 90] * 100), "markdown.brackets"),
    "unclosed [ with text": ("\n".join(["[a word"] * 40), "markdown.brackets"),
    "long run of ![": ("![" * 2000, "markdown.brackets"),
    "unclosed link addresses": ("[a](b " * 500, "markdown.brackets"),
    "4,000 nested *": ("*" * 4000 + "a" + "*" * 4000, "markdown.emphasis-too-deep"),
    "nested _ with words": ("_a " * 1000 + "b" + " a_" * 1000, "markdown.emphasis-too-deep"),
    "backtick runs of every length": (
        " ".join("`" * k for k in range(1, 120)),
        "markdown.unpaired-backticks",
    ),
    "tags never closed": ("<a " * 3000, "markdown.unclosed-html"),
    "CDATA never closed": ("<![CDATA[ x > " * 200, "markdown.unclosed-html"),
    "definitions in a row": ("term\n: definition\n" * 600, "markdown.too-many-definitions"),
    "thousands of code spans": ("\n".join(["`a` " * 20] * 100), "markdown.too-much-markup"),
    "thousands of links": ("\n".join(["[a](b) " * 10] * 100), "markdown.too-much-markup"),
    "thousands of headings": (
        "".join(f"## Heading {n}\n\nText.\n\n" for n in range(600)),
        "markdown.too-many-headings",
    ),
    "thousands of short paragraphs": ("Hi.\n\n" * 6000, "markdown.too-many-blocks"),
    "headings in a row": ("# heading\n" * 200, "markdown.blocks-in-a-row"),
    "code spans that close on the next line": ("\n".join(["`a", "b` c"] * 300), "markdown.too-much-markup"),
    "thousands of fenced code blocks": ("```\nx\n```\n" * 600, "markdown.too-many-code-blocks"),
    "thousands of backslash escapes": ("\n".join(["\\" * 900] * 6), "markdown.too-much-markup"),
    "rules in a row": ("---\n" * 200, "markdown.blocks-in-a-row"),
    "underlines in a row": ("text\n===\n" * 200, "markdown.blocks-in-a-row"),
}

#: Shapes that are odd but cheap for Markdown: they must check clean of these codes and build.
ACCEPTED: dict[str, str] = {
    "many lone stars": "\n".join(["*" * 80] * 20),
    "many lone underscores": "\n".join(["_" * 80] * 20),
    "many lone <": "\n".join(["< " * 40] * 20),
    "paired backticks": "\n".join(["`a` " * 20] * 5),
    "a long tight list of links": "\n".join(["- [a link](https://example.org/x) and `code`"] * 100),
    "ordinary links and emphasis": "\n".join(
        ["[a link](https://example.org/x) and *emphasis* **strong**"] * 10
    ),
    "headings": "".join(f"### Heading {n}\n\nText.\n\n" for n in range(50)),
    "a table": "| a | b |\n| --- | --- |\n" + "| one | two |\n" * 50,
    "link references": "See [x][r1].\n\n" + "".join(f"[r{n}]: https://example.org/{n}\n" for n in range(50)),
    "a few stray brackets": "A [stray bracket, and [another one; (and a paren.",
}

CODES = {code for _, code in REFUSED.values()}


def _source(body: str, path: str = ISSUE) -> SourceLines:
    return SourceLines.from_text(path, "---\ntitle: x\n---\n\n" + body + "\n", 5)


@pytest.mark.parametrize("shape", REFUSED)
def test_each_refused_shape_gives_one_located_error(shape: str) -> None:
    body, code = REFUSED[shape]
    found = [d for d in markdown_limits.scan_source(_source(body)) if d.code == code]
    assert found, f"{shape}: no {code}"
    first = found[0]
    assert first.path == ISSUE and 5 <= first.line <= 5 + body.count("\n")
    assert str(first).startswith(f"{ISSUE}:{first.line}: error: ")
    assert str(first).endswith(f"[{code}]") and ": " in first.message


@pytest.mark.parametrize("shape", ACCEPTED)
def test_odd_but_cheap_shapes_are_not_refused(shape: str) -> None:
    assert markdown_limits.scan_source(_source(ACCEPTED[shape])) == []


def test_escaped_and_quoted_characters_do_not_count() -> None:
    escaped = "\n".join(["\\[" * 40 + " `[[[[[[[[[[[[[[[[[[[[` \\*" * 20] * 5)
    assert markdown_limits.scan_source(_source(escaped)) == []


def test_fenced_code_is_not_read_as_markdown() -> None:
    assert markdown_limits.scan_source(_source("```\n" + "[" * 5000 + "\n```")) == []


def test_comparisons_in_fenced_code_are_not_unclosed_tags() -> None:
    code = "```\n" + "\n".join(f"if a <b{n}: pass" for n in range(40)) + "\n```"
    assert markdown_limits.scan_source(_source(code)) == []


def test_the_error_names_the_line_where_the_trouble_starts() -> None:
    body = "Fine text.\n\nMore fine text.\n\n" + "\n".join(["[" * 50] * 3)
    (found,) = markdown_limits.scan_source(_source(body))
    assert found.line == 9


def test_code_spans_pair_backtick_runs_of_equal_length() -> None:
    line = "a ``b`c`` d `e` ``` f"
    assert [line[s:e] for s, e in code_spans(line)] == ["``b`c``", "`e`"]
    assert without_code_spans("x `y` z") == "x     z"
    assert without_code_spans("no code here") == "no code here"


@pytest.mark.parametrize(
    ("name", "make"),
    [
        ("short lines in one paragraph", lambda n: "\n".join(["A short line. Another one."] * n)),
        ("many [", lambda n: "\n".join(["[" * 80] * n)),
        ("many backtick runs", lambda n: "\n".join(["` `` ``` x"] * n)),
        ("many nested stars", lambda n: "\n".join(["*a " * 20] * n)),
        ("many <", lambda n: "\n".join(["<a " * 20] * n)),
    ],
)
def test_doubling_the_input_about_doubles_the_work(name: str, make: Callable[[int], str]) -> None:
    """The readability analysis and the Markdown limits, on 500 and 1,000 lines."""

    def work(n: int) -> int:
        body = make(n)
        return lines_run(analyse, body) + lines_run(markdown_limits.scan_source, _source(body))

    small, large = work(500), work(1000)
    assert 1.6 < large / small < 2.4, f"{name}: {small} then {large} lines run"


@pytest.fixture(scope="module")
def shapes_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_project(tmp_path_factory.mktemp("pathological") / "site")


def _with_body(project: Path, body: str) -> None:
    issue = project / ISSUE
    original = issue.with_suffix(".orig")
    if not original.exists():
        original.write_bytes(issue.read_bytes())
    issue.write_text(original.read_text("utf-8").rstrip("\n") + "\n\n" + body + "\n", "utf-8")
    approve_again(project, 10)


def test_sofs_check_reports_every_refused_shape_by_its_line(shapes_project: Path) -> None:
    _with_body(shapes_project, "\n\n".join(body for body, _ in REFUSED.values()))
    result = run_sofs(shapes_project, "check")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    reported = {
        line.rsplit("[", 1)[-1].rstrip("]") for line in result.stdout.splitlines() if ": error: " in line
    }
    assert reported >= CODES
    for line in result.stdout.splitlines():
        if line.rstrip().endswith(tuple(f"[{code}]" for code in CODES)):
            assert line.startswith(f"{ISSUE}:")


def test_sofs_build_renders_the_shapes_it_accepts(shapes_project: Path) -> None:
    _with_body(shapes_project, "\n\n".join(ACCEPTED.values()))
    result = run_sofs(shapes_project, "build")
    assert result.returncode == 0, result.stdout + result.stderr
    page = (shapes_project / "site/issues/010-meaningful-measures/index.html").read_text("utf-8")
    assert "Heading 49" in page and "<table>" in page
