"""`sofs check` on text pasted from Word or Excel: bullets (shown as a list) and tab-separated
tables (which would run together) are named at their lines, with the Markdown to write."""

from __future__ import annotations

from generator.checks.pasted_text import scan_source
from generator.content.source_lines import SourceLines

FRONT = "---\ntitle: x\n---\n"


def problems(body: str) -> list[tuple[int, str, str]]:
    source = SourceLines.from_text("content/pages/p.md", FRONT + body, 4)
    return [(p.line, p.code, p.message) for p in scan_source(source)]


def test_a_pasted_list_is_named_once_at_its_first_line_with_the_fix() -> None:
    ((line, code, message),) = problems("Our aims:\n•\tSafety\no\tAt home\n•\tStability\n")
    assert (line, code) == (5, "paste.bullets")
    assert "lines 5 to 7" in message and '"•" and "o"' in message
    assert 'start each point with "- "' in message and "four spaces" in message


def test_two_lists_are_two_warnings() -> None:
    found = problems("• One\n• Two\n\nText between.\n\n– Three\n")
    assert [(line, code) for line, code, _ in found] == [(4, "paste.bullets"), (9, "paste.bullets")]


def test_a_tab_separated_table_gets_the_markdown_table_to_write() -> None:
    ((line, code, message),) = problems(
        "Intro.\n\nTeam\tVisits\nFirst Contact\t12\nEarly Help\t7\n\nAfter.\n"
    )
    assert (line, code) == (6, "paste.tab-table")
    assert "lines 6 to 8" in message and "one paragraph" in message
    assert "`| Team | Visits |` then `| --- | --- |` then `| First Contact | 12 |`" in message


def test_one_stray_tab_indented_lines_and_code_are_not_tables() -> None:
    assert problems("A line\twith a tab.\n\n\tIndented\n\tby tabs\n\n```\na\tb\nc\td\n```\n") == []


def test_a_pipe_in_a_cell_is_escaped_in_the_suggestion() -> None:
    ((_, _, message),) = problems("a|b\tc\nd\te\n")
    assert "`| a\\|b | c |`" in message
