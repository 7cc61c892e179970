"""The privacy check: planted identifiers are caught, located and masked; the sample
content raises none; markers and the allow-list suppress reviewed false positives."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from conftest import assert_golden, copy_project, fixture_project, run_sofs
from hypothesis import given
from hypothesis import strategies as st

from generator.checks.privacy import AllowList, allow_key, markers
from generator.checks.privacy_patterns import find_identifiers, nhs_checksum_ok

PLANTED = "content/issues/002-planted.md"

# What the fixture plants, by diagnostic code: every one must be reported.
EXPECTED_COUNTS = {
    "privacy.phone": 14,
    "privacy.nhs-number": 4,
    "privacy.ni-number": 4,
    "privacy.postcode": 7,
    "privacy.email": 3,
    "privacy.date-of-birth": 7,
    "privacy.school": 5,
    "privacy.address": 3,
}

# The planted values as written: none may appear unmasked in the output.
RAW_VALUES = [
    "900461",
    "900123",
    "07700900982",
    "900 077",
    "7700900316",
    "960 001",
    "498 0000",
    "7946 0018",
    "496 0555",
    "7946 0999",
    "900-654",
    "476 5919",
    "7903345311",
    "477-6746",
    "476 5456",
    "12 34 56 C",
    "JM123456D",
    "98 76 54 a",
    "2EF",
    "1AA",
    "1AE",
    "8TH",
    "CR26XH",
    "1PT",
    "jane.doe",
    "J.Smith",
    "duty.worker",
    "12/03/2015",
    "1 May 2016",
    "2015-03-12",
    "3rd March 2014",
    "May 2015",
    "12.3.2024",
    "14 February 2019",
    "Acacia",
    "Mary's",
    "Joseph's",
    "Morpeth",
    "Riverside",
    "Bridge Street",
    "Front St",
    "498 0123",
    "496 0000",
    "12 34 56 D",
]


def _check(root: Path) -> tuple[int, list[str]]:
    """Exit status and the privacy diagnostics (other checks have their own tests)."""
    result = run_sofs(root, "check")
    assert "Traceback" not in result.stdout + result.stderr
    return result.returncode, [line for line in result.stdout.splitlines() if "[privacy." in line]


def test_planted_identifiers_give_golden_diagnostics(tmp_path: Path) -> None:
    root = fixture_project(tmp_path / "planted", "privacy")
    status, lines = _check(root)
    assert status == 1
    assert_golden("check/privacy-planted.txt", "\n".join(lines) + "\n")


def test_every_planted_identifier_is_caught_and_masked(tmp_path: Path) -> None:
    root = fixture_project(tmp_path / "planted", "privacy")
    _, lines = _check(root)
    codes = Counter(m.group(1) for line in lines if (m := re.search(r"\[(privacy\.[a-z\-]+)\]$", line)))
    assert dict(codes) == EXPECTED_COUNTS
    output = "\n".join(lines)
    leaked = [value for value in RAW_VALUES if value in output]
    assert leaked == []
    assert "NHS number 943 *** ****" in output
    assert "phone number +44 (0)113 *** ****" in output


def test_findings_are_located_on_the_real_file_line(tmp_path: Path) -> None:
    root = fixture_project(tmp_path / "planted", "privacy")
    _, lines = _check(root)
    text = (root / PLANTED).read_text(encoding="utf-8").split("\n")
    for line in lines:
        path, number, _ = line.split(":", 2)
        source = (root / path).read_text(encoding="utf-8").split("\n")
        assert find_identifiers(source[int(number) - 1]), line
    # Front matter values are located at their own lines, not the opening `---`.
    assert any(line.startswith(f"{PLANTED}:5: error: phone number") for line in lines)
    assert any(line.startswith(f"{PLANTED}:8: error: postcode") for line in lines)
    assert any(line.startswith("content/measures/2-planted-measure.md:7: error: postcode") for line in lines)
    assert "Ring 07700" in text[4]


def test_negatives_allow_list_and_markers_raise_nothing(tmp_path: Path) -> None:
    root = fixture_project(tmp_path / "planted", "privacy")
    _, lines = _check(root)
    text = (root / PLANTED).read_text(encoding="utf-8").split("\n")
    quiet = [
        i + 1 for i, line in enumerate(text) if line.startswith(("Not identifiers", "Allowed by", "Reviewed"))
    ]
    quiet += [i + 2 for i, line in enumerate(text) if line.startswith("<!-- sofs: allow school")]
    assert len(quiet) == 4
    flagged = {int(line.split(":")[1]) for line in lines if line.startswith(PLANTED)}
    assert flagged.isdisjoint(quiet)
    # A marker for another kind does not hide a phone number.
    marked_other = next(i + 1 for i, line in enumerate(text) if "allow email" in line)
    assert marked_other in flagged
    # The front-matter marker (`# sofs: allow phone`) hides the alias line only.
    assert not any(line.startswith("content/tools/planted-tool.md:4:") for line in lines)
    assert any(line.startswith("content/tools/planted-tool.md:5:") for line in lines)


def test_the_build_is_blocked_by_a_privacy_error(tmp_path: Path) -> None:
    root = fixture_project(tmp_path / "planted", "privacy")
    result = run_sofs(root, "build")
    assert result.returncode == 1
    assert "privacy.nhs-number" in result.stdout
    assert not (root / "site").exists()


def test_sample_content_raises_no_privacy_finding(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "sample")
    result = run_sofs(root, "check")
    assert "[privacy." not in result.stdout
    assert result.returncode == 0, result.stdout


def test_the_mailbox_is_always_allowed(tmp_path: Path) -> None:
    root = fixture_project(tmp_path / "mailbox")
    page = root / "content/pages/home.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nWrite to Practice@Example.org.\n", encoding="utf-8")
    assert "[privacy." not in run_sofs(root, "check").stdout


def test_bad_allow_list_setting_is_a_located_config_error(tmp_path: Path) -> None:
    root = fixture_project(tmp_path / "config")
    config = root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8").replace(
        "      mailbox: practice@example.org\n",
        "      mailbox: practice@example.org\n      privacy_allow: 0808 800 5000\n      reading_ease_min: 150\n",
    )
    config.write_text(text, encoding="utf-8")
    result = run_sofs(root, "check")
    assert result.returncode == 1
    assert re.search(r'^mkdocs\.yml:\d+: error: "privacy_allow" should be a list', result.stdout, re.M)
    assert re.search(
        r'^mkdocs\.yml:\d+: error: "reading_ease_min" should be a number from 0 to 100', result.stdout, re.M
    )


def test_allow_keys_fold_case_spacing_and_the_uk_prefix() -> None:
    assert allow_key("+44 (0)808 800 5000") == allow_key("0808-800-5000") == "08088005000"
    assert allow_key("Head.Office@Example.com") == "head.office@example.com"
    allow = AllowList.of("box@example.org", ["@partners.example.org"])
    found = find_identifiers("box@example.org, a@partners.example.org, b@example.org")
    assert [allow.allows(f) for f in found] == [True, True, False]


def test_markers_name_one_or_more_kinds() -> None:
    assert markers("text <!-- sofs: allow phone, school -->") == {"phone", "school"}
    assert markers("# sofs: allow nhs-number") == {"nhs-number"}
    assert markers("no marker here") == set()


def _nhs(draw_digits: str) -> str | None:
    for check in range(10):
        if nhs_checksum_ok(draw_digits + str(check)):
            return draw_digits + str(check)
    return None


@given(
    st.integers(min_value=100_000_000, max_value=999_999_999),
    st.sampled_from(["{} {} {}", "{}{}{}", "{}-{}-{}"]),
)
def test_any_valid_nhs_number_is_found_in_each_format(nine: int, layout: str) -> None:
    number = _nhs(str(nine))
    if number is None:  # no check digit makes this one valid
        assert all(not nhs_checksum_ok(str(nine) + str(d)) for d in range(10))
        return
    written = layout.format(number[:3], number[3:6], number[6:])
    found = find_identifiers(f"Her number is {written}.")
    assert [(f.kind, f.text) for f in found] == [("nhs-number", written)]
    assert found[0].masked.startswith("NHS number " + number[:3]) and number[3:] not in found[0].masked


@given(
    st.integers(min_value=0, max_value=999_999),
    st.sampled_from(["07700 {}", "07700{}", "+44 7700 {}", "+447700{}"]),
)
def test_any_mobile_number_is_found_in_each_format(tail: int, layout: str) -> None:
    written = layout.format(f"{tail:06d}")
    found = find_identifiers(f"Text {written} after six.")
    assert [(f.kind, f.text) for f in found] == [("phone", written)]
    assert f"{tail:06d}" not in found[0].masked


def test_nhs_checksum_rejects_a_wrong_check_digit() -> None:
    assert nhs_checksum_ok("9434765919")
    assert not nhs_checksum_ok("9434765918")
    assert not find_identifiers("ref 943 476 5918")
