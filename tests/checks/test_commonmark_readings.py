"""Where the checks' readings of Markdown once disagreed, each now reads it as CommonMark does
(one scanner, `content/markdown_scan.py`, serves them all)."""

from __future__ import annotations

from pathlib import Path

from generator.checks import accessibility, links, markdown_limits
from generator.checks.output_gate import OutputGate
from generator.checks.readability import prose_blocks
from generator.content.markdown_text import headings, visible_text
from generator.content.model import Origin, Tool
from generator.content.source_lines import SourceLines
from generator.content.tool_mentions import ToolMatcher
from generator.settings.model import Settings

PATH = "content/pages/example.md"


def _source(body: str) -> SourceLines:
    return SourceLines.from_text(PATH, "---\ntitle: x\n---\n" + body + "\n", 4)


def _codes(found: list) -> list[tuple[int, str]]:  # type: ignore[type-arg]
    return [(d.line, d.code) for d in found]


def _unsafe(source: SourceLines) -> list:  # type: ignore[type-arg]
    return OutputGate(Settings(Path("."))).scan_source(source)


def _matcher() -> ToolMatcher:
    tool = Tool("harm-matrix", "Harm matrix", (), "A tool.", "assessment", "", Origin("t.md", 4))
    return ToolMatcher([tool])


# A fence line with an info string inside a block does not close it.
CLOSER_WITH_INFO = "```\n```python\n{inside}\n```\n"


def test_headings_a_closer_has_no_info_string() -> None:
    body = CLOSER_WITH_INFO.format(inside="## Inside code") + "## After"
    assert [h.text for h in headings(body)] == ["After"]


def test_headings_inside_a_comment_are_not_headings() -> None:
    assert [h.text for h in headings("<!--\n## Commented out\n-->\n## Real")] == ["Real"]


def test_unsafe_html_in_fenced_code_after_an_info_string_line_is_code() -> None:
    source = _source(CLOSER_WITH_INFO.format(inside="<script>alert(1)</script>"))
    assert _unsafe(source) == []


def test_a_fence_inside_a_comment_does_not_hide_what_follows() -> None:
    source = _source("<!--\n```\n-->\n<script>alert(1)</script>")
    assert _codes(_unsafe(source)) == [(7, "unsafe-html.element")]


def test_a_pointy_address_is_read_whole() -> None:
    source = _source('[x](<javascript:alert(1) "t">)')
    assert _codes(_unsafe(source)) == [(4, "unsafe-html.url")]


def test_tools_are_not_linked_after_an_info_string_line_in_code() -> None:
    text = CLOSER_WITH_INFO.format(inside="harm matrix")
    assert _matcher().link_first_mentions(text, lambda slug: slug) == (text, [])


def test_tools_are_not_linked_inside_a_comment() -> None:
    text = "<!--\nA note about the harm matrix\n-->\nText <!-- the harm matrix\nagain -->"
    assert _matcher().link_first_mentions(text, lambda slug: slug) == (text, [])


def test_an_unpaired_backtick_run_is_text_where_tools_are_linked() -> None:
    linked, slugs = _matcher().link_first_mentions("Use `the harm matrix`` here", lambda slug: slug)
    assert (linked, slugs) == ("Use `the [harm matrix](harm-matrix)`` here", ["harm-matrix"])


def test_readability_a_closer_is_at_least_as_long_as_its_opener() -> None:
    body = "````\ncode\n```\nStill code words here.\n````\n\nReal prose here."
    assert [b.text for b in prose_blocks(body)] == ["Real prose here."]


def test_readability_a_comment_is_not_read_inside_code() -> None:
    body = "```\n<!--\n```\n\nVisible prose here.\n\nMore -->"
    assert [b.text for b in prose_blocks(body)] == ["Visible prose here.", "More -->"]


def test_readability_an_unclosed_comment_hides_the_rest() -> None:
    assert [b.text for b in prose_blocks("Seen text.\n\n<!-- never closed\n\nHidden text.")] == ["Seen text."]


def test_readability_reads_nested_brackets_and_reference_images() -> None:
    assert [b.text for b in prose_blocks("See [a [b] c](d) and ![photo][pic] now.")] == [
        "See a [b] c and now."
    ]


def test_visible_text_keeps_comments_written_in_code() -> None:
    text = "```html\n<!-- an example -->\n```\nUse `<!--` to start one.<!-- a note -->"
    assert visible_text(text) == "```html\n<!-- an example -->\n```\nUse `<!--` to start one."


def test_accessibility_reads_images_and_links_as_commonmark_does() -> None:
    body = "![](photo.jpg\n\n![] (photo.jpg)\n\n![\n](photo.jpg)\n\n[click\nhere](page.md)"
    assert _codes(accessibility.scan_source(_source(body))) == [(8, "a11y.image-alt"), (11, "a11y.link-text")]


def test_link_definitions_need_a_label_and_at_most_three_spaces() -> None:
    body = "[]: ../../secret.md\n\n\t[x]: ../../secret.md\n\n[y]: ../../secret.md"
    assert _codes(links.scan_source(_source(body), "pages")) == [(8, "path.outside")]


def test_fenced_code_blocks_are_counted_by_their_openers() -> None:
    body = "````\n```\n```\n````\n" * 400
    assert markdown_limits.scan_source(_source(body)) == []
    found = markdown_limits.scan_source(_source("```\nx\n```\n" * 501))
    assert _codes(found) == [(4 + 3 * 500, "markdown.too-many-code-blocks")]
