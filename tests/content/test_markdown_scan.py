"""The one Markdown scanner: line kinds, fences, comments, code spans, links and images."""

from __future__ import annotations

import pytest
from tracing import lines_run

from generator.content.markdown_scan import (
    LineKind,
    autolinks,
    closes_fence,
    code_spans,
    fence_opener,
    find_links,
    link_addresses,
    link_definition,
    scan_markdown,
    without_code_spans,
)

T, C, M, F = LineKind.TEXT, LineKind.CODE, LineKind.COMMENT, LineKind.FRONT_MATTER


def kinds(text: str, front_matter_lines: int = 0) -> list[LineKind]:
    return list(scan_markdown(text, front_matter_lines).kinds)


# -- fences ------------------------------------------------------------------------------------


@pytest.mark.parametrize("fence", ["```", "~~~", "````", "~~~~~"])
def test_a_fence_of_either_kind_and_any_length_opens_and_closes(fence: str) -> None:
    assert kinds(f"a\n{fence}python\ncode\n{fence}\nb") == [T, C, C, C, T]


def test_a_closer_may_be_longer_but_not_shorter_than_its_opener() -> None:
    assert kinds("````\n```\nstill code\n`````\nafter") == [C, C, C, C, T]
    assert kinds("~~~\nx\n~~~~~~\nafter") == [C, C, C, T]


def test_a_fence_of_the_other_character_does_not_close() -> None:
    assert kinds("```\n~~~\ncode\n```\ntext") == [C, C, C, C, T]


def test_a_closer_has_no_info_string() -> None:
    assert kinds("```\n```python\nstill code\n```\ntext") == [C, C, C, C, T]
    assert closes_fence("```  ", "```") and not closes_fence("``` x", "```")


def test_fences_are_indented_at_most_three_spaces() -> None:
    assert kinds("   ```\ncode\n   ```\ntext") == [C, C, C, T]
    assert kinds("    ```\nnot code") == [T, T]
    assert fence_opener("    ```") is None and fence_opener("   ~~~ x") == "~~~"


def test_a_backtick_fence_info_string_has_no_backtick() -> None:
    assert fence_opener("```a`b") is None
    assert fence_opener("~~~a`b") == "~~~"
    assert kinds("```a`b```\ntext") == [T, T]


def test_an_unclosed_fence_runs_to_the_end() -> None:
    scan = scan_markdown("text\n```\ncode\n\nmore code")
    assert list(scan.kinds) == [T, C, C, C, C]
    assert scan.fence_openers == (1,)
    assert scan.code_lines() == frozenset({1, 2, 3, 4})


def test_fence_openers_are_counted_once_per_block() -> None:
    scan = scan_markdown("```\na\n```\n\n````\n```\n````\n~~~\nb")
    assert scan.fence_openers == (0, 4, 7)


def test_front_matter_lines_are_neither_code_nor_text() -> None:
    assert kinds("---\n```\n---\nbody\n```\ncode", front_matter_lines=3) == [F, F, F, T, C, C]


# -- comments ----------------------------------------------------------------------------------


def test_a_comment_across_lines_is_its_own_kind() -> None:
    text = "before <!-- note\nstill note\nend --> after\n<!-- whole line -->\n\ntext"
    scan = scan_markdown(text)
    assert list(scan.kinds) == [T, M, T, M, T, T]
    assert scan.visible_text() == "before  after\n\n\ntext"
    assert scan.visible_text(keep_line_breaks=True) == "before \n\n after\n\n\ntext"
    assert [scan.comment_columns(i) for i in range(4)] == [[(7, 16)], [(0, 10)], [(0, 7)], [(0, 19)]]


def test_an_unclosed_comment_hides_the_rest() -> None:
    scan = scan_markdown("seen\n<!-- never closed\n\nhidden")
    assert list(scan.kinds) == [T, M, M, M]
    assert scan.visible_text() == "seen\n"


def test_a_comment_is_not_read_inside_fenced_code_nor_a_fence_inside_a_comment() -> None:
    assert kinds("```\n<!--\n```\ntext") == [C, C, C, T]
    assert kinds("<!--\n```\n-->\ntext") == [M, M, M, T]
    assert scan_markdown("```\n<!-- kept -->\n```").visible_text() == "```\n<!-- kept -->\n```"


def test_a_comment_is_not_read_inside_a_code_span() -> None:
    scan = scan_markdown("write `<!--` to start one <!-- and this is one -->")
    assert scan.visible_text() == "write `<!--` to start one "


def test_several_comments_on_a_line() -> None:
    scan = scan_markdown("a <!-- b --> c <!-- d --> e")
    assert scan.visible_text() == "a  c  e"
    assert list(scan.kinds) == [T]


# -- code spans --------------------------------------------------------------------------------


def test_code_spans_pair_runs_of_the_same_length() -> None:
    line = "a ``b`c`` d `e` ``` f ```` g"
    assert [line[s:e] for s, e in code_spans(line)] == ["``b`c``", "`e`"]
    assert without_code_spans("x ``y ` z`` w") == "x           w"
    assert without_code_spans("`a``b`") == "      "
    assert without_code_spans("no code") == "no code"


# -- links and images --------------------------------------------------------------------------


def test_links_and_images_with_titles() -> None:
    found = find_links("[a](x.md \"Title\") ![b](y.png 'Pic') [c](<z z.md> (paren))")
    assert [(link.image, link.text, link.destination, link.title) for link in found] == [
        (False, "a", "x.md", "Title"),
        (True, "b", "y.png", "Pic"),
        (False, "c", "z z.md", "paren"),
    ]
    line = '[a](x.md "Title") tail'
    (link,) = find_links(line)
    assert line[link.start : link.end] == '[a](x.md "Title")'


def test_brackets_nest_in_link_text_and_parentheses_in_addresses() -> None:
    (link,) = find_links("see [a [b] c](d(e)f) now")
    assert (link.text, link.destination) == ("a [b] c", "d(e)f")


def test_a_link_holds_no_other_link_but_may_hold_an_image() -> None:
    assert [link.text for link in find_links("[a [b](c) d](e)")] == ["b"]
    found = find_links("[![alt](pic.png)](page.md)")
    assert [(link.image, link.text, link.start) for link in found] == [
        (True, "alt", 1),
        (False, "![alt](pic.png)", 0),
    ]


def test_reference_links_full_and_collapsed() -> None:
    found = find_links("[x][ref] and [y][] and ![z][pic] and [shortcut]")
    assert [(link.image, link.text, link.label) for link in found] == [
        (False, "x", "ref"),
        (False, "y", ""),
        (True, "z", "pic"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "[a] (b)",  # no space between ] and (
        "![a] [b]",
        "[a](b c)",  # a space in a bare address
        '[a](b "never closed',
        "[a](b",
        r"\[a](b)",  # escaped bracket
        "`[a](b)`",  # code spans bind more tightly
        "[a`](b)`",
        "[a][ ]",  # a blank label
    ],
)
def test_what_is_not_a_link(text: str) -> None:
    assert find_links(text) == []


def test_a_link_text_may_run_over_the_lines_of_a_paragraph() -> None:
    scan = scan_markdown("intro\n[a long\nlink text](far.md) and ![alt\ntext](p.png)\n\n[other](o.md)")
    found = [(link.text, link.line, link.target_line) for link in scan.links()]
    assert found == [("a long\nlink text", 1, 2), ("alt\ntext", 2, 3), ("other", 5, 5)]


def test_links_are_not_read_in_fenced_code_nor_across_headings_and_list_items() -> None:
    scan = scan_markdown("```\n[a](b)\n```\n# [a\nb](c)\n- [d\n- e](f)\n")
    assert scan.links() == []


def test_link_definitions_autolinks_and_addresses() -> None:
    assert link_definition("[name]: <a b.md>") == ("name", "a b.md")
    assert link_definition('   [name]: http://x.org "title"') == ("name", "http://x.org")
    assert link_definition("    [name]: indented.md") is None
    assert link_definition("[ ]: blank.md") is None
    assert list(autolinks("<https://x.org> and <C:\\Users\\me> not <b>")) == [
        "https://x.org",
        "C:\\Users\\me",
    ]
    assert list(link_addresses("text](a.md) [b](<c d.md>) [e]( f.md")) == ["a.md", "c d.md", "f.md"]


@pytest.mark.parametrize(
    "unit",
    ['[a](b "', "[a](b (", "[a](<b", "![", "[[a](b)", "`[a]` ", "[a][", "[a [b](c) d](e) "],
)
def test_reading_links_takes_work_in_proportion_to_the_text(unit: str) -> None:
    def work(n: int) -> int:
        return lines_run(find_links, unit * n) + lines_run(lambda: scan_markdown((unit + "\n") * n).links())

    small, large = work(400), work(800)
    assert large / small < 2.4, f"{unit!r}: {small} then {large} lines run"
