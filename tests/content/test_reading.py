"""Unit tests for the readers: YAML with lines, front matter, headings and sections."""

from __future__ import annotations

import pytest

from generator.basics.yamlread import YamlProblem, read_yaml
from generator.content.markdown_text import headings, normalise_heading, split_sections
from generator.content.source_file import decode, split_front_matter


def test_yaml_keeps_the_line_of_every_key_and_item() -> None:
    document = read_yaml("\ntitle: A\nmeasures:\n  - 1\n  - 2\n", first_line=1)
    assert document.lines[("title",)] == 2
    assert document.lines[("measures", 1)] == 5


def test_yaml_refuses_alias_bombs() -> None:
    lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    lines += [
        f"{chr(98 + i)}: &{chr(98 + i)} [" + ", ".join([f"*{chr(97 + i)}"] * 10) + "]" for i in range(12)
    ]
    with pytest.raises(YamlProblem, match="alias"):
        read_yaml("\n".join(lines))


def test_front_matter_lines_count_from_the_file_start() -> None:
    source, problems = split_front_matter("---\ntitle: x\n---\n\n## Hello\n", "a.md")
    assert problems == [] and source is not None
    assert source.meta.lines[("title",)] == 2
    first_heading = headings(source.body)[0]
    assert source.body_first_line + first_heading.index == 5


def test_decode_accepts_bom_and_windows_line_endings() -> None:
    text, problems = decode("\ufeff---\r\ntitle: “Word” – text\r\n---\r\n".encode(), "a.md")
    assert problems == []
    assert text == "---\ntitle: “Word” – text\n---\n"


def test_headings_inside_code_fences_do_not_count() -> None:
    body = "## One\ntext\n```\n## Not a heading\n```\n~~~~\n## Nor this\n~~~~\n## Two {#two}\n"
    assert [h.text for h in headings(body)] == ["One", "Two"]


def test_sections_run_to_the_next_heading_of_their_level() -> None:
    body = "## A\none\n### A.1\ntwo\n## B\nthree\n# Top\n## C\n"
    sections = [(h.text, text.strip()) for h, text in split_sections(body)]
    assert sections == [("A", "one\n### A.1\ntwo"), ("B", "three"), ("C", "")]


@pytest.mark.parametrize(
    ("written", "configured"),
    [
        ("Meaningful Measures – Counting What Counts", "Meaningful measures: counting what counts"),
        ("MESSAGE FROM YOUR PRACTICE LEADS", "Message from your Practice Leads"),
        ("What does meaningful measures mean", "What does meaningful measures mean?"),
    ],
)
def test_headings_match_despite_case_and_punctuation(written: str, configured: str) -> None:
    assert normalise_heading(written) == normalise_heading(configured)
