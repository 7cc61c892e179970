"""The approval's lines in front matter, and the SHA-256 that leaves exactly them out."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import pytest
from conftest import fixture_project

from generator.checks.approval_digest import approval_digest, left_out_lines, manifest_sha256, text_sha256
from generator.checks.approval_records import PUBLICATION_LOG, publication_log
from generator.content.loader import load_site
from generator.publish.approval_authors import changes_text
from generator.publish.approval_lines import SignOffLinesError, plan_sign_off
from generator.publish.audit_log import log_path
from generator.settings.reader import load_settings

VALUES = {"approved_by": 'Jo "JB" Bloggs', "approved_on": "2026-01-15", "approved_sha256": "ab" * 32}


def covered(data: bytes) -> str:
    text = data.decode("utf-8-sig").replace("\r\n", "\n")
    lines = text.split("\n")
    closing = next(i for i in range(1, len(lines)) if lines[i] == "---")
    return text_sha256(lines, left_out_lines(lines, closing + 2))


@pytest.mark.parametrize("ending", [b"\n", b"\r\n"])
def test_missing_lines_are_added_before_the_closing_line_with_the_file_s_line_ending(
    tmp_path: Path, ending: bytes
) -> None:
    file = tmp_path / "issue.md"
    data = ending.join([b"\xef\xbb\xbf---", b"issue: 2", b"status: ready", b"---", b"", b"Body", b""])
    file.write_bytes(data)
    change = plan_sign_off(file, "issue.md", VALUES)
    assert change.data == ending.join(
        [
            b"\xef\xbb\xbf---",
            b"issue: 2",
            b"status: ready",
            b'approved_by: "Jo \\"JB\\" Bloggs"',
            b"approved_on: 2026-01-15",
            b'approved_sha256: "' + b"ab" * 32 + b'"',
            b"---",
            b"",
            b"Body",
            b"",
        ]
    )
    assert [before for _, before, _ in change.lines] == [None, None, None]
    assert covered(change.data) == covered(data)


def test_existing_lines_are_replaced_in_place_with_their_continuations(tmp_path: Path) -> None:
    file = tmp_path / "issue.md"
    data = (
        b"---\nissue: 2\napproved_by: Head of\n  Service\ntags: [a]\napproved_on: 2025-01-01 # typed\n"
        b"---\n\nBody\n"
    )
    file.write_bytes(data)
    change = plan_sign_off(file, "issue.md", VALUES)
    assert change.data == (
        b'---\nissue: 2\napproved_by: "Jo \\"JB\\" Bloggs"\ntags: [a]\napproved_on: 2026-01-15\n'
        b'approved_sha256: "' + b"ab" * 32 + b'"\n---\n\nBody\n'
    )
    assert change.lines[0] == (
        "approved_by",
        "approved_by: Head of\n  Service",
        'approved_by: "Jo \\"JB\\" Bloggs"',
    )
    assert covered(change.data) == covered(data)


def test_a_file_without_front_matter_is_refused(tmp_path: Path) -> None:
    file = tmp_path / "issue.md"
    file.write_bytes(b"# Just a heading\n")
    with pytest.raises(SignOffLinesError, match="front matter"):
        plan_sign_off(file, "issue.md", VALUES)


def test_the_digest_follows_its_documented_definition(tmp_path: Path) -> None:
    root = fixture_project(tmp_path / "publish", "publish")
    settings, _ = load_settings(root)
    site, _ = load_site(settings)
    issue = next(i for i in site.issues if i.number == 2)
    digest = approval_digest(site, issue, approved_by="Head of Service", approved_on=dt.date(2026, 1, 9))
    assert digest is not None
    assert digest.sha256 == issue.approved_sha256  # as the fixture's approval was recorded

    def file_sha(path: str, leave_out: tuple[str, ...] = ()) -> str:
        lines = (root / path).read_text("utf-8").split("\n")
        kept = [line for line in lines if not line.startswith(leave_out)]
        return hashlib.sha256("\n".join(kept).encode()).hexdigest()

    story, issue_file = "content/feedback/first-contact-second.md", "content/issues/002-second-issue.md"
    approval_lines = ("approved_by:", "approved_on:", "approved_sha256:", "status:")
    expected_files = ((story, file_sha(story)), (issue_file, file_sha(issue_file, approval_lines)))
    assert digest.files == expected_files
    manifest = "".join(f"{value}  {path}\n" for path, value in expected_files)
    manifest += "approved_by: Head of Service\napproved_on: 2026-01-09\n"
    assert digest.sha256 == hashlib.sha256(manifest.encode()).hexdigest()
    assert manifest_sha256(expected_files, "Head of Service", dt.date(2026, 1, 9)) == digest.sha256


def test_a_continued_value_is_left_out_whole_and_other_keys_are_kept() -> None:
    lines = [
        "---",
        "approved_by: >",
        "  Head of",
        "  Service",
        "status: ready",
        "title: x",
        "  more",
        "---",
        "",
    ]
    assert left_out_lines(lines, body_start=9) == {2, 3, 4, 5}


def test_the_checks_read_the_log_publish_writes(tmp_path: Path) -> None:
    settings, _ = load_settings(fixture_project(tmp_path / "publish", "publish"))
    assert publication_log(settings) == log_path(settings.subscribers_path)
    assert publication_log(settings).name == PUBLICATION_LOG


def test_only_changes_to_covered_lines_are_authorship() -> None:
    approval_only = (
        "diff --git a/i.md b/i.md\n--- a/i.md\n+++ b/i.md\n@@ -6 +6 @@\n-status: ready\n+status: published\n"
        '@@ -12,0 +13,3 @@\n+approved_by: Sam\n+approved_on: 2026-01-15\n+approved_sha256: "00"\n'
    )
    assert not changes_text(approval_only)
    assert changes_text(approval_only + "@@ -20 +23 @@\n-Old text\n+New text\n")
    assert changes_text("diff --git a/i.md b/i.md\n--- /dev/null\n+++ b/i.md\n@@ -0,0 +1 @@\n+---\n")
