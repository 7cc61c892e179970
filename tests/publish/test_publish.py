"""`sofs publish` end to end: a real build, a real aiosmtpd server on 127.0.0.1 and a real crash."""

from __future__ import annotations

import hashlib
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import feedparser
import pytest
from conftest import fixture_project, run_sofs
from email_helpers import Recorder, addresses, kill_when_held, smtp_env, smtp_server, write_csv

from generator.publish.status_line import StatusLineError, apply_status_change, plan_status_change

FAST = ("--rate", "0", "--retry-wait", "0.01")
ISSUE = "content/issues/002-second-issue.md"
STORY = "content/feedback/first-contact-second.md"
ENTRY_ID = "tag:fixture.example.org,2025:issue-2"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """The minimal fixture with a signed-off issue 2 marked ready, and its reviewed story."""
    return fixture_project(tmp_path / "publish", "publish")


def subscribe(project: Path, people: list[str]) -> None:
    result = run_sofs(project, "subscribers", "import", str(write_csv(project / "people.csv", people)))
    assert result.returncode == 0, result.stdout + result.stderr


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def records(project: Path) -> list[dict[str, Any]]:
    log = project / "data" / "publications.jsonl"
    return [json.loads(line) for line in log.read_text("utf-8").splitlines()]


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` with its bytes."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def feed_item_bytes(feed: bytes, guid: str) -> bytes:
    """The documented feed-entry bytes, computed here independently of the generator."""
    canonical = ET.canonicalize(xml_data=feed.decode("utf-8"), strip_text=True)
    items: list[str] = re.findall(r"<item>.*?</item>", canonical, flags=re.DOTALL)
    (item,) = [i for i in items if f">{guid}</guid>" in i]
    return item.encode("utf-8")


def test_publish_puts_the_page_feed_entry_and_emails_out_and_records_them(project: Path) -> None:
    people = addresses(3)
    subscribe(project, people)
    before = (project / ISSUE).read_bytes()
    recorder = Recorder()
    with smtp_server(recorder) as server:
        result = run_sofs(project, "publish", "2", "--by", "Practice Lead", *FAST, env=smtp_env(server))
    assert result.returncode == 0, result.stdout + result.stderr
    assert [line.split(":")[0] for line in result.stdout.splitlines()[:6]] == [
        "1/6 check",
        "2/6 approvals",
        "3/6 status",
        "4/6 build",
        "5/6 email",
        "6/6 record",
    ]
    assert (project / ISSUE).read_bytes() == before.replace(b"status: ready\n", b"status: published\n", 1)
    assert not (project / ".cache").exists(), "publishing checks every file afresh, without the build cache"

    page = project / "site/issues/002-second-issue/index.html"
    assert "Hello and welcome to the second issue." in page.read_text("utf-8")
    feed_bytes = (project / "site/feed.xml").read_bytes()
    feed = feedparser.parse(feed_bytes)
    assert [e.id for e in feed.entries][:1] == [ENTRY_ID]
    assert recorder.counts() == {person: 1 for person in people}
    messages = recorder.messages()
    assert {str(m["Subject"]) for m in messages} == {"Issue 2: Our second issue"}

    (record,) = records(project)
    assert record["issue"] == 2 and record["by"] == ["Practice Lead"]
    assert record["approvals"]["issue"] == {
        "by": "Head of Service",
        "on": "2026-01-09",
        "sha256": "be3c6435111ee0fc6261271c6a9564095a28143bc41f5c174228daca4712629f",
    }
    assert record["approvals"]["feedback_section"] == {
        "by": "Team manager, First Contact",
        "on": "2026-01-08",
    }
    assert record["allow_self_approval"] is False
    assert record["four_eyes"]["history"] == "the project is not a git checkout"
    assert record["approvals"]["stories"] == [
        {
            "file": STORY,
            "title": "A network that stayed",
            "by": "Team manager, First Contact",
            "on": "2026-01-08",
        }
    ]
    hashes = {name: entry["sha256"] for name, entry in record["sha256"].items()}
    assert hashes["page"] == sha256(page.read_bytes())
    assert hashes["feed_entry"] == sha256(feed_item_bytes(feed_bytes, ENTRY_ID))
    html_copy = (project / "site/email/002.html").read_bytes()
    text_copy = (project / "site/email/002.txt").read_bytes()
    assert hashes["email_html"] == sha256(html_copy)
    assert hashes["email_text"] == sha256(text_copy)
    for message in messages:  # what arrived is what was fingerprinted (SMTP sends CRLF line ends)
        html_part, text_part = message.get_body(("html",)), message.get_body(("plain",))
        assert html_part is not None and text_part is not None
        assert sha256(html_part.get_content().replace("\r\n", "\n").encode()) == hashes["email_html"]
        assert sha256(text_part.get_content().replace("\r\n", "\n").encode()) == hashes["email_text"]
    assert record["email"] == {
        "sent": True,
        "recipients": 3,
        "outcomes": {"sent": 3, "failed": 0, "uncertain": 0},
    }

    audit = run_sofs(project, "audit", "2")
    assert audit.returncode == 0, audit.stderr
    assert "signed off by Head of Service on 2026-01-09" in audit.stdout
    assert hashes["feed_entry"] in audit.stdout
    assert "email to 3 subscribers: 3 sent, 0 failed, 0 uncertain" in audit.stdout

    with smtp_server(recorder) as server:
        again = run_sofs(project, "publish", "2", *FAST, env=smtp_env(server))
    assert again.returncode == 0, again.stderr
    assert "nothing is left to do" in again.stdout
    assert sum(recorder.counts().values()) == 3
    assert len(records(project)) == 1


def test_a_killed_publication_resumes_and_sends_nobody_the_issue_twice(project: Path) -> None:
    people = addresses(40)
    subscribe(project, people)
    held = people[17]
    recorder = Recorder(hold=held)
    with smtp_server(recorder) as server:
        kill_when_held(project, recorder, server, ["publish", "2", *FAST], wait=180)
        first_counts = recorder.counts()
        assert first_counts[held] == 1 and sum(first_counts.values()) == 18
        assert not (project / "data/publications.jsonl").exists()

        rerun = run_sofs(project, "publish", "2", *FAST, env=smtp_env(server))
        counts = recorder.counts()

    assert "3/6 status: content/issues/002-second-issue.md already says published" in rerun.stdout
    assert "4/6 build: already done" in rerun.stdout, (
        "a resumed publication must not rebuild a finished build"
    )
    assert f"the last run stopped while sending to {held}" in rerun.stderr
    assert counts == {person: 1 for person in people}
    assert rerun.returncode == 1, rerun.stdout + rerun.stderr  # one message is uncertain: said, not resent
    assert "not everyone got the email" in rerun.stderr
    (record,) = records(project)
    assert record["email"]["outcomes"] == {"sent": 39, "failed": 0, "uncertain": 1}
    assert record["email"]["recipients"] == 40
    ids = [m["Message-ID"] for m in recorder.messages()]
    assert len(ids) == len(set(ids)) == 40


@pytest.mark.parametrize(
    ("path", "line", "message"),
    [
        (
            ISSUE,
            'approved_by: "Head of Service"\n',
            f'{ISSUE}:14: error: "approved_on" is here but "approved_by" is not',
        ),
        (
            STORY,
            'anonymisation_reviewed_by: "Team manager, First Contact"\nanonymisation_reviewed_on: 2026-01-08\n',
            f"{STORY}:4: error: this story goes out in issue 2, which is being published, so required_approvals",
        ),
    ],
)
def test_a_missing_approval_is_refused_before_anything_is_built_or_sent(
    project: Path, path: str, line: str, message: str
) -> None:
    subscribe(project, addresses(2))
    file = project / path
    file.write_text(file.read_text("utf-8").replace(line, "", 1), "utf-8")
    before = tree(project)
    recorder = Recorder()
    with smtp_server(recorder) as server:
        result = run_sofs(project, "publish", "2", *FAST, env=smtp_env(server))
    assert result.returncode == 1
    assert message in result.stdout
    assert result.stdout.rstrip().endswith("2/6 approvals: stopped")
    assert "nothing was changed, built or sent" in result.stderr
    assert "Traceback" not in result.stderr
    assert tree(project) == before
    assert recorder.received == []


def test_a_privacy_error_is_refused_before_anything_is_built_or_sent(project: Path) -> None:
    subscribe(project, addresses(2))
    story = project / STORY
    story.write_text(
        story.read_text("utf-8") + "\nCall the family on 07700 900123 if you can help.\n", "utf-8"
    )
    before = tree(project)
    recorder = Recorder()
    with smtp_server(recorder) as server:
        result = run_sofs(project, "publish", "2", *FAST, env=smtp_env(server))
    assert result.returncode == 1
    assert re.search(
        rf"^{re.escape(STORY)}:14: error: phone number 07700 \*+.*\[privacy\.phone\]$", result.stdout, re.M
    )
    assert "900123" not in result.stdout + result.stderr
    assert "1/6 check: stopped" in result.stdout
    assert tree(project) == before
    assert recorder.received == []


def test_dry_run_shows_every_step_and_changes_nothing(project: Path) -> None:
    subscribe(project, addresses(4))
    build = run_sofs(project, "build")
    assert build.returncode == 0, build.stdout + build.stderr
    before = tree(project)
    recorder = Recorder()
    with smtp_server(recorder) as server:
        result = run_sofs(project, "publish", "2", "--dry-run", env=smtp_env(server))
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"3/6 status: would change {ISSUE}:6 from `status: ready` to `status: published`" in result.stdout
    assert "4/6 build: would build the site into site/" in result.stdout
    assert "would send 'Issue 2: Our second issue' to 4 of 4 subscribers" in result.stdout
    assert "6/6 record: would add a record to data/publications.jsonl" in result.stdout
    assert tree(project) == before
    assert recorder.received == []


def test_audit_verify_notices_a_tampered_page(project: Path) -> None:
    result = run_sofs(project, "publish", "2", "--no-email")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "5/6 email: not sent (--no-email)" in result.stdout
    (record,) = records(project)
    assert record["email"] == {"sent": False}
    clean = run_sofs(project, "audit", "--verify", "2")
    assert clean.returncode == 0, clean.stdout
    assert "Everything online matches" in clean.stdout

    page = project / "site/issues/002-second-issue/index.html"
    page.write_text(page.read_text("utf-8").replace("still do", "never did"), "utf-8")
    tampered = run_sofs(project, "audit", "--verify", "2")
    assert tampered.returncode == 1
    assert re.search(r"web page\s+CHANGED\s+site/issues/002-second-issue/index.html", tampered.stdout)
    assert re.search(r"issue text on the page\s+CHANGED", tampered.stdout)
    assert re.search(r"feed entry\s+matches", tampered.stdout)
    assert "no longer matches what was approved" in tampered.stdout


def test_content_changed_after_sending_began_is_not_sent_to_the_rest(project: Path) -> None:
    people = addresses(3)
    subscribe(project, people)
    recorder = Recorder(temporary={people[2]: 1})
    story = project / STORY
    approved = story.read_text("utf-8")
    with smtp_server(recorder) as server:
        first = run_sofs(project, "publish", "2", "--retries", "0", *FAST, env=smtp_env(server))
        assert first.returncode == 1
        assert "some servers asked us to try later" in first.stderr
        story.write_text(approved.replace("still do", "meet monthly now"), "utf-8")
        changed = run_sofs(project, "publish", "2", *FAST, env=smtp_env(server))
        assert changed.returncode == 1
        assert "has changed since sending began" in changed.stderr
        assert recorder.counts()[people[2]] == 0
        story.write_text(approved, "utf-8")
        finished = run_sofs(project, "publish", "2", *FAST, env=smtp_env(server))
    assert finished.returncode == 0, finished.stdout + finished.stderr
    assert recorder.counts() == {person: 1 for person in people}
    (record,) = records(project)
    assert record["email"]["outcomes"] == {"sent": 3, "failed": 0, "uncertain": 0}


def test_publish_without_smtp_settings_or_subscribers_stops_before_any_change(project: Path) -> None:
    before = tree(project)
    nobody = run_sofs(project, "publish", "2", env={"SOFS_SMTP_HOST": "127.0.0.1"})
    assert nobody.returncode == 1
    assert "there are no subscribers" in nobody.stderr and "--no-email" in nobody.stderr
    assert tree(project) == before
    subscribe(project, addresses(1))
    before = tree(project)
    no_host = run_sofs(project, "publish", "2", env={"SOFS_SMTP_HOST": ""})
    assert no_host.returncode == 1
    assert "SOFS_SMTP_HOST is not set" in no_host.stderr
    assert tree(project) == before


def test_usage_errors_exit_two(project: Path) -> None:
    assert run_sofs(project, "publish", "two").returncode == 2
    assert run_sofs(project, "audit", "--expect-head", "0" * 64).returncode == 2
    assert run_sofs(project, "audit", "--verify", "--expect-head", "abc").returncode == 2
    missing = run_sofs(project, "publish", "9", "--no-email")
    assert missing.returncode == 1
    assert "there is no issue 9 (issues: 1, 2)" in missing.stderr


def test_the_status_line_rewrite_keeps_every_other_byte(tmp_path: Path) -> None:
    file = tmp_path / "issue.md"
    original = b'---\r\nissue: 3\r\nstatus:   "ready"  # signed off\r\ntitle: "x"\r\n---\r\n\r\nBody status: ready\r\n'
    file.write_bytes(original)
    change = plan_status_change(file, "issue.md", 3, "published")
    assert (change.before, change.after) == (
        'status:   "ready"  # signed off',
        "status:   published  # signed off",
    )
    apply_status_change(change)
    assert file.read_bytes() == original.replace(b'"ready"  #', b"published  #")
    with pytest.raises(StatusLineError, match=r"issue.md:2: this line should read `status: draft`"):
        plan_status_change(file, "issue.md", 2, "published")
