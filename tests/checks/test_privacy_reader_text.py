"""The privacy check reads what readers get: identifiers written with other spaces,
separators, entities, invisible characters, fullwidth digits, split over lines, in
addresses, front matter and file names are located errors with masked messages; markers
and the allow-list still work; ordinary content raises nothing new."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from conftest import copy_project, fixture_project, run_sofs
from tracing import lines_run

from generator.checks.privacy import AllowList, passage_findings, scan_source
from generator.content.reader_text import normalised
from generator.content.source_lines import SourceLines

PAGE = "content/pages/evasions.md"

#: Case name -> (Markdown written on the page, the code expected). Each case's first line
#: holds its name, and the finding must be reported on that line unless the text after
#: "@" says which of its lines (1 is the first).
CASES: dict[str, tuple[str, str]] = {
    "nbsp": ("Call 07700\u00a0900123 today.", "privacy.phone"),
    "narrow-nbsp": ("Her number is 943\u202f476\u202f5919.", "privacy.nhs-number"),
    "figure-space": ("Ring 0191\u2007498\u20070000.", "privacy.phone"),
    "thin-space": ("NHS 943\u2009476\u20095919.", "privacy.nhs-number"),
    "ideographic": ("NHS 943\u3000476\u30005919.", "privacy.nhs-number"),
    "dots-nhs": ("NHS 943.476.5919 was given.", "privacy.nhs-number"),
    "slashes-nhs": ("NHS 943/476/5919 was given.", "privacy.nhs-number"),
    "dots-phone": ("Ring 0191.498.0000 today.", "privacy.phone"),
    "slashes-phone": ("Ring 07700/900/123 today.", "privacy.phone"),
    "lower-postcode": ("They live near ne61 2ef now.", "privacy.postcode"),
    "mixed-postcode": ("They live near Sw1a 1aa now.", "privacy.postcode"),
    "split-nhs": ("Her number is 943 476\n5919, as written.", "privacy.nhs-number"),
    "split-phone@2": ("Two lines here,\nand ring 07700\n900123 after that.", "privacy.phone"),
    "split-postcode": ("They live at NE61\n2EF, a village.", "privacy.postcode"),
    "entity-digit": ("Ring &#48;7700 900123.", "privacy.phone"),
    "entity-nbsp": ("NHS 943&nbsp;476&nbsp;5919.", "privacy.nhs-number"),
    "entity-hex": ("NHS 943 476 591&#x39;.", "privacy.nhs-number"),
    "entity-email": ("Write to jane&#46;doe&#64;example.com.", "privacy.email"),
    "zero-width-space": ("NHS 943\u200b476\u200b5919.", "privacy.nhs-number"),
    "zero-width-non-joiner": ("Ring 077\u200c00 900123.", "privacy.phone"),
    "zero-width-joiner": ("Ring 07700 900\u200d123.", "privacy.phone"),
    "word-joiner": ("Ring 07700\u2060900123.", "privacy.phone"),
    "byte-order-mark": ("Ring 0770\ufeff0 900123.", "privacy.phone"),
    "soft-hyphen": ("NHS 943\u00ad476\u00ad5919.", "privacy.nhs-number"),
    "fullwidth": (
        "Ring \uff10\uff17\uff17\uff10\uff10 \uff19\uff10\uff10\uff11\uff12\uff13.",
        "privacy.phone",
    ),
    "emphasis": ("Ring **07700** _900123_ now.", "privacy.phone"),
    "tag-inside": ("Ring 07700 <b>900</b>123 now.", "privacy.phone"),
    "comment-inside": ("Ring 07700<!-- a note -->900123 now.", "privacy.phone"),
    "link-address-spaces": ("Read the [report](files/943 476 5919.pdf).", "privacy.nhs-number"),
    "link-address-hyphens": (
        "Read the [report](https://example.org/files/943-476-5919.pdf).",
        "privacy.nhs-number",
    ),
    "link-address-escaped": ("Read the [report](files/943%20476%205919.pdf).", "privacy.nhs-number"),
    "image-address": ("![A chart](img/07700-900123.png)", "privacy.phone"),
    "tel-link": ("[Ring us](tel:07700900123)", "privacy.phone"),
    "html-address": ('<a href="files/943_476_5919.pdf">the report</a>', "privacy.nhs-number"),
    "autolink": ("See <https://example.org/p/ne61-2ef>.", "privacy.postcode"),
    "bare-address": ("See https://example.org/case/943-476-5919 today.", "privacy.nhs-number"),
    "reference-address@3": ("See [the report][r].\n\n[r]: files/943-476-5919.pdf", "privacy.nhs-number"),
    "table-cell@3": ("| Who | Phone |\n| --- | --- |\n| Gran | 07700\u00a0900123 |", "privacy.phone"),
}


def _page() -> tuple[str, dict[str, int]]:
    """The evasions page, and the line each case's finding must be on."""
    lines = ["---", 'title: "Evasions"', "---", ""]
    expected: dict[str, int] = {}
    for name, (text, _) in CASES.items():
        label, _, which = name.partition("@")
        case_lines = text.split("\n")
        case_lines[0] = (
            f"{label}: {case_lines[0]}"
            if not case_lines[0].startswith(("|", "[", "!", "<"))
            else case_lines[0]
        )
        expected[name] = len(lines) + int(which or 1)
        lines += [*case_lines, ""]
    return "\n".join(lines) + "\n", expected


@pytest.fixture(scope="module")
def checked(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    root = fixture_project(tmp_path_factory.mktemp("privacy-reader") / "site")
    text, _ = _page()
    (root / PAGE).write_text(text, encoding="utf-8")
    issue = root / "content/issues/001-first-issue.md"
    issue.write_text(
        issue.read_text("utf-8").replace(
            'summary: "The first issue of the fixture newsletter."',
            'summary: "Ring 07700&nbsp;900123 or\n  0191\\u00a0498\\u00a00000."',
        ),
        encoding="utf-8",
    )
    story = root / "content/feedback/first-contact-story.md"
    shutil.copy2(root / "content/pages/home.md", root / "content/pages/012-943-476-5919.md")
    story_text = story.read_text("utf-8")
    story.write_text(story_text.replace("---\n", "---\nimage: files/943-476-5919.jpg\n", 1), encoding="utf-8")
    result = run_sofs(root, "check")
    assert "Traceback" not in result.stdout + result.stderr
    return root, [line for line in result.stdout.splitlines() if "[privacy." in line]


@pytest.mark.parametrize("name", CASES)
def test_each_evasion_is_a_located_error(checked: tuple[Path, list[str]], name: str) -> None:
    _, lines = checked
    _, expected = _page()
    code = CASES[name][1]
    at = [
        line for line in lines if line.startswith(f"{PAGE}:{expected[name]}: error:") and f"[{code}]" in line
    ]
    assert at, f"{name}: nothing at line {expected[name]}:\n" + "\n".join(lines)


def test_no_case_is_reported_twice_or_elsewhere(checked: tuple[Path, list[str]]) -> None:
    _, lines = checked
    _, expected = _page()
    on_page = [line for line in lines if line.startswith(PAGE + ":")]
    assert len(on_page) == len(CASES)
    assert {int(line.split(":")[1]) for line in on_page} == set(expected.values())


def test_messages_stay_masked(checked: tuple[Path, list[str]]) -> None:
    _, lines = checked
    output = "\n".join(line.split(": ", 1)[1] for line in lines)
    for raw in ("900123", "476 5919", "5919", "498 0000", "2ef", "1aa", "jane"):
        assert raw not in output
    assert "NHS number 943 *** ****" in output


def test_front_matter_values_are_read_as_readers_get_them(checked: tuple[Path, list[str]]) -> None:
    _, lines = checked
    issue = "content/issues/001-first-issue.md"
    assert any(line.startswith(f"{issue}:5: error: phone number 07700 ******") for line in lines), lines
    assert any(line.startswith(f"{issue}:6: error: phone number 0191 *** ****") for line in lines), lines
    story = "content/feedback/first-contact-story.md"
    assert any(line.startswith(f"{story}:2: error: NHS number 943 *** ****") for line in lines), lines


def test_an_identifier_in_a_file_name_is_an_error_for_the_file(checked: tuple[Path, list[str]]) -> None:
    _, lines = checked
    named = [line for line in lines if line.startswith("content/pages/012-943-476-5919.md: error:")]
    assert len(named) == 1
    assert "NHS number 943 *** **** in the file's name" in named[0] and "rename the file" in named[0]


def test_an_issue_named_with_an_nhs_number_is_refused(tmp_path: Path) -> None:
    root = fixture_project(tmp_path / "named")
    issue = root / "content/issues/001-first-issue.md"
    issue.rename(root / "content/issues/001-943-476-5919.md")
    result = run_sofs(root, "check")
    assert result.returncode == 1
    assert re.search(
        r"^content/issues/001-943-476-5919\.md: error: NHS number 943 \*\*\* \*\*\*\* in the file's name.*"
        r"\[privacy\.nhs-number\]$",
        result.stdout,
        re.M,
    ), result.stdout


def _scan(body: str, allow: AllowList | None = None) -> list[tuple[int, str]]:
    source = SourceLines.from_text("content/pages/p.md", "---\ntitle: x\n---\n" + body, 4)
    return [(d.line, d.code) for d in scan_source(source, allow or AllowList.of(None, []))]


def test_markers_and_the_allow_list_still_suppress_normalised_findings() -> None:
    assert _scan("Ring 07700\u00a0900123. <!-- sofs: allow phone -->\n") == []
    assert _scan("<!-- sofs: allow nhs-number -->\nNHS 943&nbsp;476 5919.\n") == []
    assert _scan("Ring 0808\u00a0800\u00a05000.\n", AllowList.of(None, ["0808 800 5000"])) == []
    assert _scan("Write to practice&#64;example.org.\n", AllowList.of("practice@example.org", [])) == []
    # A marker for the line the finding starts on, not for a later line of the paragraph.
    assert _scan("Ring 07700\n900123 now. <!-- sofs: allow phone -->\n") == [(4, "privacy.phone")]


def test_separators_of_every_kind_between_digit_groups() -> None:
    for written in ("943 476 5919", "943-476-5919", "943.476.5919", "943/476/5919", "943 - 476 - 5919"):
        assert _scan(f"NHS {written}.\n") == [(4, "privacy.nhs-number")], written
    assert _scan("NHS 943.476.5918.\n") == []  # the checksum still decides
    for written in ("0191 498 0000", "0191-498-0000", "0191.498.0000", "0191/498/0000", "+44.191.498.0000"):
        assert _scan(f"Ring {written}.\n") == [(4, "privacy.phone")], written


def test_a_number_followed_by_punctuation_and_digits_is_still_found() -> None:
    assert _scan("Ring 0191 498 0000. 12 people came.\n") == [(4, "privacy.phone")]
    assert _scan("Ring 0191 498 0000 / 0191 498 0001.\n") == [(4, "privacy.phone"), (4, "privacy.phone")]


def test_lower_case_ordinals_and_times_are_not_postcodes() -> None:
    for text in ("the b33 8th", "year y2 3rd visit", "ks2 9am class", "a m1 1st"):
        assert _scan(f"We saw {text}.\n") == [], text
    assert _scan("We saw B33 8TH.\n") == [(4, "privacy.postcode")]


def test_address_findings_are_numbers_and_codes_only() -> None:
    passage = normalised("https://example.org/guidance/2025-03-12/report_v2.pdf", "address")
    assert passage is not None and passage_findings(passage) == []


def test_sample_content_and_its_pages_stay_clean(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "sample")
    result = run_sofs(root, "check")
    assert "[privacy." not in result.stdout
    assert result.returncode == 0, result.stdout


@pytest.mark.parametrize(
    ("name", "make"),
    [
        ("ordinary prose in one paragraph", lambda n: "\n".join(["The team met the family at home."] * n)),
        ("phone numbers in one paragraph", lambda n: "\n".join(["07700 900123 07700 900124 0191 498"] * n)),
        ("a chain of digit groups", lambda n: " ".join(["07700 900 123"] * n)),
        ("numbers with entities", lambda n: "\n".join(["943&nbsp;476&#32;5919 and ne61 2ef"] * n)),
        ("addresses", lambda n: "\n".join(["[a](files/943 476 5919.pdf) b/07700-900123"] * n)),
    ],
)
def test_doubling_the_input_about_doubles_the_privacy_work(name: str, make: object) -> None:
    def work(n: int) -> int:
        source = SourceLines.from_text("content/pages/p.md", "---\ntitle: x\n---\n" + make(n) + "\n", 4)  # type: ignore[operator]
        return lines_run(scan_source, source, AllowList.of(None, []))

    small, large = work(300), work(600)
    assert 1.6 < large / small < 2.4, f"{name}: {small} then {large} lines run"
