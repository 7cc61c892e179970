"""The text readers get: passages joined, normalised and stripped of Markdown syntax, with
every character traced back to its source line, in time that grows with the input."""

from __future__ import annotations

import pytest
from tracing import lines_run

from generator.content.reader_text import (
    ADDRESS_KINDS,
    READING_KINDS,
    Passage,
    normal_character,
    normalised,
    reader_passages,
)
from generator.content.source_lines import SourceLines

FRONT = "---\ntitle: A page\nsummary: A summary\n---\n"
BODY_START = 5  # the first body line of FRONT + body


def _source(body: str, path: str = "content/pages/a-page.md") -> SourceLines:
    return SourceLines.from_text(path, FRONT + body, BODY_START)


def _passages(body: str, kinds: frozenset[str] = READING_KINDS) -> list[Passage]:
    return [p for p in reader_passages(_source(body)) if p.kind in kinds]


def _body(body: str) -> list[str]:
    return [p.text for p in _passages(body, frozenset({"text", "heading", "list-item", "table-row"}))]


def _line_of(body: str, needle: str) -> int:
    """The 1-based source line where `needle` starts in the reader text of `body`."""
    for passage in _passages(body):
        at = passage.text.find(needle)
        if at >= 0:
            return passage.line_of(at)
    raise AssertionError(f"{needle!r} not in the reader text")


@pytest.mark.parametrize(
    ("written", "read"),
    [
        ("07700\u00a0900123", "07700 900123"),  # non-breaking space, from Word
        ("07700\u2007900123", "07700 900123"),  # figure space
        ("07700\u202f900123", "07700 900123"),  # narrow no-break space
        ("07700\u2009900123", "07700 900123"),  # thin space
        ("07700\u3000900123", "07700 900123"),  # ideographic space
        ("07700\t \t900123", "07700 900123"),  # a run of spaces is one
        ("077\u200b00 9\u200c00\u200d123", "07700 900123"),  # zero-width characters
        ("07700\u2060900123\ufeff", "07700900123"),  # word joiner, byte-order mark
        ("077\u00ad00 900123", "07700 900123"),  # soft hyphen
        ("\uff10\uff17\uff17\uff10\uff10 \uff19\uff10\uff10", "07700 900"),  # fullwidth
        ("\u0660\u0667", "07"),  # other decimal digits
        ("&#48;7700&nbsp;900&#x31;23", "07700 900123"),  # entities
        ("07700&amp;900", "07700&900"),
        ("a &madeup; b", "a &madeup; b"),  # not an entity: kept as written
    ],
)
def test_every_kind_of_space_entity_and_invisible_character_is_normalised(written: str, read: str) -> None:
    assert _body(f"Call {written} now.\n") == [f"Call {read} now."]


def test_normal_character_folds_compatibility_forms() -> None:
    assert normal_character("\uff21") == "A"
    assert normal_character("\u00a0") == " "
    assert normal_character("\u200b") == ""
    assert normal_character("\u00ad") == ""
    assert normal_character("é") == "é"


def test_a_paragraph_is_one_passage_and_each_character_keeps_its_line() -> None:
    body = "\nThe number is 943 476\n5919, written over\ntwo lines.\n\nNext paragraph.\n"
    assert _body(body) == ["The number is 943 476 5919, written over two lines.", "Next paragraph."]
    assert _line_of(body, "943") == BODY_START + 1
    assert _line_of(body, "5919") == BODY_START + 2
    assert _line_of(body, "two lines") == BODY_START + 3
    assert _line_of(body, "Next") == BODY_START + 5
    paragraph = next(p for p in _passages(body) if p.kind == "text")
    assert paragraph.lines == (BODY_START + 1, BODY_START + 2, BODY_START + 3)


def test_blocks_headings_list_items_quotes_and_table_rows() -> None:
    body = (
        "## A heading ##\n"
        "- first item\n  carried on\n"
        "- second item\n"
        "1. numbered\n"
        "2. and the next\n"
        "\n"
        "A paragraph that ends on a year,\n"
        "2015. Still the paragraph.\n"
        "\n"
        "> quoted text\n> more of it\n"
        "\n"
        "| Name | Phone |\n| --- | --- |\n| Duty | 0191 498 0000 |\n"
    )
    found = [
        (p.kind, p.text) for p in _passages(body, frozenset({"text", "heading", "list-item", "table-row"}))
    ]
    assert found == [
        ("heading", "A heading"),
        ("list-item", "first item carried on"),
        ("list-item", "second item"),
        ("list-item", "numbered"),
        ("list-item", "and the next"),
        ("text", "A paragraph that ends on a year, 2015. Still the paragraph."),
        ("text", "quoted text more of it"),
        ("table-row", "Name Phone"),
        ("table-row", "Duty 0191 498 0000"),
    ]


def test_markdown_syntax_is_reduced_to_its_text() -> None:
    body = (
        "Ring **0191** _498_ ~~0000~~, `code 1` and \\*stars\\*; a snake_case_word stays;\n"
        'see [the report](https://example.org/r.pdf "Report title") and ![a chart](img/c.png),\n'
        "<b>bold</b> and a<br>break, <https://example.org/x>, [ref][r].\n"
        "\n"
        "[r]: https://example.org/ref\n"
    )
    texts = _body(body)
    assert texts[0] == (
        "Ring 0191 498 0000, code 1 and *stars*; a snake_case_word stays; see the report and a chart, "
        "bold and a break, https://example.org/x, ref."
    )
    addresses = {p.text for p in _passages(body, ADDRESS_KINDS)}
    assert {'https://example.org/r.pdf "Report title"', "img/c.png", "https://example.org/x"} <= addresses
    assert "https://example.org/ref" in addresses
    assert "<b>" in addresses and "<br>" in addresses
    titles = [p.text for p in _passages(body, frozenset({"link-title"}))]
    assert titles == ["Report title"]


def test_a_comment_is_gone_from_the_text_and_a_passage_of_its_own() -> None:
    body = "Ring 07700<!-- hidden 0191 -->900123 now.\n"
    assert _body(body) == ["Ring 07700900123 now."]
    assert [p.text for p in _passages(body, frozenset({"comment"}))] == ["hidden 0191"]


def test_fenced_code_is_read_line_by_line_as_written() -> None:
    body = '```\nphone = "07700 *900123*"\n```\n'
    code = [(p.text, p.lines) for p in _passages(body, frozenset({"code"}))]
    assert ('phone = "07700 *900123*"', (BODY_START + 1,)) in code


def test_addresses_keep_spaces_and_are_percent_decoded() -> None:
    body = "See [report](files/943 476 5919.pdf) and [scan](files/943%20476%205919.pdf).\n"
    addresses = [(p.text, p.lines) for p in _passages(body, ADDRESS_KINDS) if p.kind == "address"]
    assert ("files/943 476 5919.pdf", (BODY_START,)) in addresses
    assert ("files/943 476 5919.pdf", (BODY_START,)) in addresses[1:]


def test_front_matter_entries_are_passages_with_yaml_escapes_decoded() -> None:
    text = '---\ntitle: "Ring 07700\\u00a0900123"\nsummary: >\n  Ring 07700\n  900124\ntags:\n  - ne61 2ef\n---\nBody.\n'
    source = SourceLines.from_text("content/pages/p.md", text, 9)
    front = [(p.text, p.lines) for p in reader_passages(source) if p.kind == "front-matter"]
    assert front == [
        ('title: "Ring 07700 900123"', (2,)),
        ("summary: > Ring 07700 900124", (3, 4, 5)),
        ("tags:", (6,)),
        ("- ne61 2ef", (7,)),
    ]


def test_the_file_name_is_a_passage_without_a_line() -> None:
    source = _source("Body.\n", path="content/issues/012-943-476-5919.md")
    name = reader_passages(source)[0]
    assert (name.kind, name.text, name.line_of(0), name.lines) == (
        "file-name",
        "content/issues/012-943-476-5919.md",
        0,
        (),
    )


def test_normalised_traces_decoded_characters_to_where_they_were_written() -> None:
    passage = normalised("a&nbsp;b\u200bc d", source=10)
    assert passage is not None and passage.text == "a bc d"
    assert [passage.source_offset(i) for i in range(len(passage.text))] == [10, 11, 17, 19, 20, 21]
    assert normalised(" \u200b ") is None


def test_passages_come_in_file_order() -> None:
    body = "First.\n\n<!-- a comment -->\n\n```\ncode\n```\n\nLast.\n"
    passages = reader_passages(_source(body))
    starts = [p.lines[0] for p in passages if p.lines]
    assert starts == sorted(starts)
    assert passages[0].kind == "file-name"


@pytest.mark.parametrize(
    ("name", "make"),
    [
        ("short lines in one paragraph", lambda n: "\n".join(["A short line, 0191 498 0000."] * n)),
        ("entities and spaces", lambda n: "\n".join(["a&nbsp;b&#48;\u00a0\u200b c"] * n)),
        ("many link openers", lambda n: "\n".join(["[a](" * 20] * n)),
        ("many tags", lambda n: "\n".join(["<a " * 20] * n)),
        ("many comments", lambda n: "\n".join(["a <!-- b --> c"] * n)),
        ("many emphasis runs", lambda n: "\n".join(["*a _b_ **c**"] * n)),
        ("words with slashes", lambda n: "\n".join(["a/b c:d e/f/g"] * n)),
    ],
)
def test_doubling_the_input_about_doubles_the_work(name: str, make: object) -> None:
    def work(n: int) -> int:
        return lines_run(reader_passages, _source(make(n)))  # type: ignore[operator]

    small, large = work(400), work(800)
    assert 1.6 < large / small < 2.4, f"{name}: {small} then {large} lines run"
