"""The publication log's hash chain: every kind of tampering is found at its line.

The log module is tried directly (each kind of tampering, concurrent writers, identity,
logs from before the chain), and the real `sofs audit` command against a real
publication sent to aiosmtpd on 127.0.0.1.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import fixture_project, run_sofs
from email_helpers import Recorder, addresses, smtp_env, smtp_server, write_csv
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.publish.audit_log import append_record, has_publication, log_path, read_log, was_published
from generator.publish.chain import GENESIS, check_chain, link_fields

LOG = "data/publications.jsonl"
Tamper = Callable[[list[bytes]], list[bytes]]


def lines_of(log: Path) -> list[bytes]:
    return log.read_bytes().split(b"\n")[:-1]


def joined(lines: list[bytes]) -> bytes:
    return b"".join(line + b"\n" for line in lines)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def edit(number: int) -> Tamper:
    def tamper(lines: list[bytes]) -> list[bytes]:
        record = json.loads(lines[number - 1])
        record["note"] = "changed by hand"
        return [*lines[: number - 1], json.dumps(record).encode(), *lines[number:]]

    return tamper


def delete(first: int, last: int) -> Tamper:
    return lambda lines: lines[: first - 1] + lines[last:]


def swap(number: int) -> Tamper:
    return lambda lines: [*lines[: number - 1], lines[number], lines[number - 1], *lines[number + 1 :]]


def move(source: int, target: int) -> Tamper:
    def tamper(lines: list[bytes]) -> list[bytes]:
        moved = list(lines)
        moved.insert(target - 1, moved.pop(source - 1))
        return moved

    return tamper


def forged(at: int, copy_of: int, *, link: bool = False) -> Tamper:
    """A record made from line `copy_of`, put at line `at`; with `link`, its chain fields made right."""

    def tamper(lines: list[bytes]) -> list[bytes]:
        record = json.loads(lines[copy_of - 1])
        record["recipients"] = 999
        if link:
            record["seq"], record["prev_sha256"] = at, sha256(lines[at - 2])
        return [*lines[: at - 1], json.dumps(record).encode(), *lines[at - 1 :]]

    return tamper


def inserted(at: int, line: bytes) -> Tamper:
    return lambda lines: [*lines[: at - 1], line, *lines[at - 1 :]]


# Each kind of tampering of a six-record log: the one line reported, and what it says.
TAMPERING: dict[str, tuple[Tamper, int, str]] = {
    "edited record": (edit(3), 3, "this record was changed after it was written"),
    "edited first record": (edit(1), 1, "this record was changed after it was written"),
    "edited latest record": (edit(6), 6, "this record was changed after it was written"),
    "deleted record": (delete(3, 3), 3, "1 record is missing just before this line: record 3"),
    "deleted records": (delete(2, 4), 2, "3 records are missing just before this line: records 2-4"),
    "deleted first record": (delete(1, 1), 1, "1 record is missing at the start of the log"),
    "swapped records": (swap(3), 3, "this record is out of order: it belongs after line 4"),
    "swapped last records": (swap(5), 5, "this record is out of order: it belongs after line 6"),
    "record moved down": (move(2, 5), 5, "this record is out of order: it belongs at line 2"),
    "record moved up": (move(5, 2), 2, "this record is out of order: it belongs after line 5"),
    "forged record appended": (forged(7, 3), 7, "it was copied here or added by hand"),
    "forged record inserted": (forged(4, 2), 4, "this record was inserted"),
    "forged record with a right link inserted": (forged(4, 2, link=True), 4, "this record was inserted"),
    "exact copy inserted": (lambda lines: inserted(4, lines[1])(lines), 4, "an exact copy of line 2"),
    "empty line inserted": (inserted(3, b""), 3, "this line cannot be read (the line is empty"),
    "line garbled": (lambda lines: [*lines[:2], b"{oops", *lines[3:]], 3, "this line cannot be read"),
    "unchained record appended": (
        lambda lines: [*lines, json.dumps({"format": 1, "issue": 2}).encode()],
        7,
        "this record has no link to the record before it",
    ),
}


def six_record_log(folder: Path) -> Path:
    log = folder / "data" / "publications.jsonl"
    for number in range(1, 7):
        append_record(log, {"issue": number, "title": f"Issue {number}", "email": {"sent": True}})
    return log


@pytest.mark.parametrize("kind", sorted(TAMPERING))
def test_each_kind_of_tampering_is_reported_at_its_line(tmp_path: Path, kind: str) -> None:
    tamper, line, words = TAMPERING[kind]
    log = six_record_log(tmp_path)
    assert check_chain(log.read_bytes(), LOG).problems == ()
    check = check_chain(joined(tamper(lines_of(log))), LOG)
    assert [(p.line, p.severity.value) for p in check.problems] == [(line, "error")], check.problems
    assert words in check.problems[0].message
    assert not check.intact


def chained_log(count: int) -> bytes:
    """A log of `count` records made as `append_record` makes them, without a file."""
    data = b""
    for number in range(1, count + 1):
        record = {"event": "publication", "issue": number, "title": f"Issue {number}", **link_fields(data)}
        data += json.dumps(record, sort_keys=True).encode() + b"\n"
    return data


EXAMPLES = int(os.environ.get("SOFS_HYPOTHESIS_EXAMPLES", "0")) or 300
PROPERTY = settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None)


@PROPERTY
@given(st.integers(2, 7), st.data())
def test_any_change_before_the_latest_record_is_reported(count: int, data: st.DataObject) -> None:
    """Deleting, inserting or replacing any bytes before the last line never goes unnoticed."""
    log = chained_log(count)
    last = log.rindex(b"\n", 0, len(log) - 1) + 1  # where the latest record's line starts
    start = data.draw(st.integers(0, last - 1), label="start")
    end = data.draw(st.integers(start, last), label="end")
    new = data.draw(st.binary(max_size=40) | st.sampled_from(log.split(b"\n")), label="new bytes")
    changed = log[:start] + new + log[end:]
    if changed == log:
        return
    check = check_chain(changed, LOG)
    assert not check.intact, (changed, check)
    assert all(1 <= p.line <= check.lines for p in check.problems)


@PROPERTY
@given(st.binary(max_size=400))
def test_any_bytes_at_all_are_checked_without_a_crash(noise: bytes) -> None:
    check = check_chain(chained_log(2) + noise, LOG)
    assert all(0 <= p.line <= check.lines for p in check.problems)


def test_a_cut_last_line_is_reported_and_a_clean_log_links_every_line(tmp_path: Path) -> None:
    log = six_record_log(tmp_path)
    lines = lines_of(log)
    records = [json.loads(line) for line in lines]
    assert [r["seq"] for r in records] == [1, 2, 3, 4, 5, 6]
    assert [r["prev_sha256"] for r in records] == [GENESIS, *(sha256(line) for line in lines[:-1])]
    assert {r["format"] for r in records} == {2} and {r["event"] for r in records} == {"publication"}
    check = check_chain(log.read_bytes(), LOG)
    assert check.intact and check.head == sha256(lines[-1]) and check.lines == 6

    cut = check_chain(log.read_bytes()[:-30], LOG)
    assert [(p.line, p.code) for p in cut.problems] == [(6, "audit.chain")]
    assert "the last line is cut short" in cut.problems[0].message


def test_a_record_after_a_line_cut_by_a_crash_goes_on_its_own_line(tmp_path: Path) -> None:
    log = six_record_log(tmp_path)
    log.write_bytes(log.read_bytes()[:-30])  # a write interrupted part way
    append_record(log, {"issue": 7})
    check = check_chain(log.read_bytes(), LOG)
    assert [p.line for p in check.problems] == [6]
    assert check.problems[0].message.startswith("this line cannot be read (it is not a complete JSON record")
    assert json.loads(lines_of(log)[6])["seq"] == 7
    assert [r["issue"] for r in read_log(log, LOG).records] == [1, 2, 3, 4, 5, 7]


def test_two_writers_at_once_do_not_fork_the_chain(tmp_path: Path) -> None:
    log = tmp_path / "data" / "publications.jsonl"
    code = (
        "import sys, pathlib\n"
        "from generator.publish.audit_log import append_record\n"
        "for n in range(40):\n"
        "    append_record(pathlib.Path(sys.argv[1]), {'issue': n, 'writer': sys.argv[2]})\n"
    )
    writers = [subprocess.Popen([sys.executable, "-c", code, str(log), name]) for name in ("a", "b")]
    assert [w.wait(timeout=120) for w in writers] == [0, 0]
    check = check_chain(log.read_bytes(), LOG)
    assert check.problems == () and check.lines == 80
    records = [json.loads(line) for line in lines_of(log)]
    assert [r["seq"] for r in records] == list(range(1, 81))
    assert sorted(r["writer"] for r in records) == ["a"] * 40 + ["b"] * 40


def git(folder: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=folder, check=True, capture_output=True)


def test_who_ran_the_command_is_the_git_identity_of_the_project_or_the_login(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    personal = tmp_path / "gitconfig"
    personal.write_text("[user]\n\tname = Pat Lead\n\temail = pat.lead@example.org\n", "utf-8")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(personal))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    log = tmp_path / "outside" / "data" / "publications.jsonl"
    append_record(log, {"issue": 1})
    assert json.loads(lines_of(log)[0])["run_by"] == {
        "name": "Pat Lead",
        "email": "pat.lead@example.org",
        "from": "git",
    }

    project = tmp_path / "project"
    project.mkdir()
    git(project, "init", "-q")
    git(project, "config", "user.name", "Sam Project")
    git(project, "config", "user.email", "sam@example.org")
    in_project = project / "data" / "publications.jsonl"
    append_record(in_project, {"issue": 1})
    assert json.loads(lines_of(in_project)[0])["run_by"]["name"] == "Sam Project"

    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
    monkeypatch.setenv("LOGNAME", "plead")
    append_record(log, {"issue": 2})
    assert json.loads(lines_of(log)[1])["run_by"] == {"name": "plead", "from": "login"}


def test_was_published_means_the_log_says_it_went_out_by_email(tmp_path: Path) -> None:
    log = log_path(tmp_path / "data" / "subscribers.sqlite")
    assert not was_published(log, 2)
    append_record(log, {"issue": 2, "publication": "p1", "email": {"sent": False}})
    assert has_publication(log, LOG, "p1") and not has_publication(log, LOG, "p2")
    assert not was_published(log, 2)
    append_record(log, {"issue": 3, "publication": "p2", "email": {"sent": True, "recipients": 4}})
    append_record(log, {"event": "resend", "issue": 2, "recipients": 1})
    assert was_published(log, 2) and was_published(log, 3) and not was_published(log, 4)
    assert [r["event"] for r in read_log(log, LOG).records] == ["publication", "publication", "resend"]
    assert check_chain(log.read_bytes(), LOG).problems == ()
    with pytest.raises(ValueError, match="a publication log event is a lowercase word"):
        append_record(log, {"event": "Re send", "issue": 2})
    with pytest.raises(ValueError, match="needs the issue's number"):
        append_record(log, {"event": "resend"})
    assert len(lines_of(log)) == 3


def old_record(issue: int) -> bytes:
    """A record as sofs wrote it before the chain (format 1)."""
    return json.dumps({"format": 1, "issue": issue, "title": f"Issue {issue}"}, sort_keys=True).encode()


def test_records_from_before_the_chain_are_sealed_by_the_first_chained_record(tmp_path: Path) -> None:
    log = tmp_path / "data" / "publications.jsonl"
    log.parent.mkdir()
    log.write_bytes(joined([old_record(1), old_record(2)]))
    waiting = check_chain(log.read_bytes(), LOG)
    assert waiting.intact
    assert [(p.line, p.severity.value, p.code) for p in waiting.problems] == [
        (1, "warning", "audit.unchained")
    ]
    assert "lines 1-2 were written by an older sofs" in waiting.problems[0].message

    append_record(log, {"issue": 3})
    append_record(log, {"issue": 4})
    sealer = json.loads(lines_of(log)[2])
    assert sealer["seq"] == 3 and sealer["prev_sha256"] == sha256(old_record(2))
    assert sealer["prefix_sha256"] == sha256(joined([old_record(1), old_record(2)]))
    assert check_chain(log.read_bytes(), LOG).problems == ()

    lines = lines_of(log)
    changed = check_chain(joined([old_record(7), *lines[1:]]), LOG)
    assert [p.line for p in changed.problems] == [3]
    assert (
        "records written before the hash chain (lines 1-2) are not as they were"
        in changed.problems[0].message
    )
    removed = check_chain(joined(lines[1:]), LOG)
    assert not removed.intact


# -- the real command line -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Issue 2 published for real and emailed to two people, then five re-sends logged."""
    project = fixture_project(tmp_path_factory.mktemp("audit") / "project", "publish")
    people = write_csv(project / "people.csv", addresses(2))
    assert run_sofs(project, "subscribers", "import", str(people)).returncode == 0
    with smtp_server(Recorder()) as server:
        result = run_sofs(project, "publish", "2", "--rate", "0", env=smtp_env(server))
    assert result.returncode == 0, result.stdout + result.stderr
    head = re.search(r"record: added to data/publications.jsonl \(chain head ([0-9a-f]{64})\)", result.stdout)
    assert head is not None and head.group(1) == sha256(lines_of(project / LOG)[0])
    for _ in range(5):
        append_record(project / LOG, {"event": "resend", "issue": 2, "recipients": 1})
    return project


def copy_of(project: Path, destination: Path) -> Path:
    shutil.copytree(project, destination, symlinks=True)
    return destination


def test_audit_prints_the_chain_head_and_verify_passes_a_clean_log(published: Path, tmp_path: Path) -> None:
    project = copy_of(published, tmp_path / "clean")
    head = sha256(lines_of(project / LOG)[-1])
    shown = run_sofs(project, "audit")
    assert shown.returncode == 0, shown.stderr
    assert f"Chain head (the SHA-256 of line 6, the latest record of {LOG}):\n  {head}\n" in shown.stdout
    assert f"sofs audit --verify --expect-head {head}" in shown.stdout
    assert "Issue 2: sent again by email to" in shown.stdout

    verified = run_sofs(project, "audit", "--verify")
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert f"{LOG} is intact: 6 records" in verified.stdout and f"Chain head: {head}" in verified.stdout
    assert verified.stderr == ""
    with_issue = run_sofs(project, "audit", "--verify", "2", "--expect-head", head.upper())
    assert with_issue.returncode == 0, with_issue.stdout + with_issue.stderr
    assert "The log ends at the kept head (line 6)." in with_issue.stdout
    assert "Everything online matches what was approved and sent." in with_issue.stdout

    older = sha256(lines_of(project / LOG)[3])
    grown = run_sofs(project, "audit", "--verify", "--expect-head", older)
    assert grown.returncode == 0
    assert "The kept head is line 4; 2 records were added after it (lines 5-6)" in grown.stdout


@pytest.mark.parametrize("kind", sorted(TAMPERING))
def test_sofs_audit_verify_reports_tampering_by_line_and_exits_1(
    published: Path, tmp_path: Path, kind: str
) -> None:
    tamper, line, words = TAMPERING[kind]
    project = copy_of(published, tmp_path / "tampered")
    log = project / LOG
    log.write_bytes(joined(tamper(lines_of(log))))
    result = run_sofs(project, "audit", "--verify")
    assert result.returncode == 1, result.stdout + result.stderr
    (first, *others) = [line for line in result.stderr.splitlines() if "[audit.missing]" not in line]
    assert first.startswith(f"{LOG}:{line}: error: ") and words in first and others == [], result.stderr
    assert "was changed after it was written (see above)" in result.stdout
    shown = run_sofs(project, "audit")
    assert shown.returncode == 1 and f"{LOG}:{line}: error:" in shown.stderr


def test_a_truncated_log_or_changed_latest_record_is_caught_by_the_kept_head(
    published: Path, tmp_path: Path
) -> None:
    project = copy_of(published, tmp_path / "truncated")
    log = project / LOG
    lines = lines_of(log)
    head = sha256(lines[-1])
    log.write_bytes(joined(lines[:4]))
    alone = run_sofs(project, "audit", "--verify")
    assert alone.returncode == 0, "without a kept head, a cut at a line end cannot be seen"
    kept = run_sofs(project, "audit", "--verify", "--expect-head", head)
    assert kept.returncode == 1
    assert kept.stderr.startswith(f"{LOG}:4: error: the log does not contain the kept head {head}")
    assert "records after the latest record (line 4) were removed" in kept.stderr

    log.write_bytes(joined([*lines[:5], edit(6)(lines)[5]]))
    changed = run_sofs(project, "audit", "--verify", "2", "--expect-head", head)
    assert changed.returncode == 1
    assert f"{LOG}:6: error: the log does not contain the kept head" in changed.stderr

    log.write_bytes(b"")
    emptied = run_sofs(project, "audit", "--verify", "--expect-head", head)
    assert emptied.returncode == 1 and "it was emptied" in emptied.stderr


def test_a_log_emptied_cut_or_rewritten_is_caught_by_the_publication_state_without_a_kept_head(
    published: Path, tmp_path: Path
) -> None:
    project = copy_of(published, tmp_path / "rewritten")
    log = project / LOG
    missing = f"{LOG}: error: the publication of issue 2 started "
    log.write_bytes(b"")
    emptied = run_sofs(project, "audit", "--verify")
    assert emptied.returncode == 1, emptied.stdout + emptied.stderr
    assert emptied.stderr.startswith(missing), emptied.stderr
    assert "publish-002.json says it was written there: records were removed from the log" in emptied.stderr

    log.unlink()
    append_record(log, {"issue": 2, "title": "A forged history", "publication": "0" * 32})
    rewritten = run_sofs(project, "audit", "--verify")
    assert rewritten.returncode == 1, rewritten.stdout + rewritten.stderr
    assert rewritten.stderr.startswith(f"{LOG}:1: error: the publication of issue 2 started ")


def test_a_log_from_before_the_chain_is_accepted_then_sealed_by_the_next_publication(tmp_path: Path) -> None:
    project = fixture_project(tmp_path / "old", "publish")
    log = project / LOG
    log.parent.mkdir()
    log.write_bytes(joined([old_record(1)]))
    waiting = run_sofs(project, "audit", "--verify")
    assert waiting.returncode == 0
    assert f"{LOG}:1: warning: line 1 was written by an older sofs, before the hash chain" in waiting.stderr
    published = run_sofs(project, "publish", "2", "--no-email")
    assert published.returncode == 0, published.stdout + published.stderr
    sealed = run_sofs(project, "audit", "--verify", "2")
    assert sealed.returncode == 0 and sealed.stderr == "", sealed.stdout + sealed.stderr
    log.write_bytes(log.read_bytes().replace(b'"title": "Issue 1"', b'"title": "Issue one"', 1))
    changed = run_sofs(project, "audit", "--verify")
    assert changed.returncode == 1
    assert f"{LOG}:2: error: the records written before the hash chain (line 1) are not as they were" in (
        changed.stderr
    )


def test_a_log_that_is_a_folder_is_reported_and_left_as_it_was(tmp_path: Path) -> None:
    project = fixture_project(tmp_path / "project", "publish")
    folder = project / LOG
    folder.mkdir(parents=True)
    folder.chmod(0o755)
    result = run_sofs(project, "audit", "--verify")
    assert result.returncode == 1, result.stdout + result.stderr
    assert (
        f"{LOG}: error: the publication log cannot be read (Is a directory) [audit.unreadable]"
        in result.stderr
    )
    assert "now mode" not in result.stderr
    assert folder.stat().st_mode & 0o777 == 0o755
