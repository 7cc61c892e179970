"""Bullets pasted from Word read as a list, by the extension every page, feed and email uses."""

from __future__ import annotations

import markdown
import pytest

from generator.content.pasted_lists import as_markdown_list, pasted_items


def html(text: str) -> str:
    return markdown.markdown(text, extensions=["generator.content.pasted_lists", "fenced_code"])


@pytest.mark.parametrize("bullet", ["•", "◦", "▪", "–", "·", "\uf0b7"])
def test_each_word_bullet_starts_a_list_item(bullet: str) -> None:
    assert html(f"Our aims:\n{bullet}\tSafety\n{bullet} Stability\n") == (
        "<p>Our aims:</p>\n<ul>\n<li>Safety</li>\n<li>Stability</li>\n</ul>"
    )


def test_words_second_and_third_levels_nest_one_level_at_a_time() -> None:
    lines = ["• One", "o Under one", "▪ Under that", "• Two", "▪ Not two levels down"]
    assert as_markdown_list(lines) == [
        "- One",
        "    - Under one",
        "        - Under that",
        "- Two",
        "    - Not two levels down",
    ]
    assert html("\n".join(lines)).count("<ul>") == 4


def test_o_is_a_bullet_only_right_under_another() -> None:
    assert pasted_items(["o dear, we forgot"]) == []
    assert pasted_items(["• One", "", "o dear"])[1:] == []
    assert html("• One\n\no dear, we forgot\n").endswith("<p>o dear, we forgot</p>")


def test_code_comments_and_mid_line_bullets_are_left_alone() -> None:
    text = "```\n• in code\n```\n\n<!--\n• in a note\n-->\n\nFamilies • professionals\n"
    assert pasted_items(text.split("\n")) == []
    assert "<li>" not in html(text)


def test_a_bullet_without_text_after_it_is_not_an_item() -> None:
    assert pasted_items(["•", "• ", "•no space"]) == []
