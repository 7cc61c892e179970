"""Sending that resumes: a refused sender (quota, MAIL FROM, 421) stops the run and keeps the rest
not sent yet; a later run reaches each of them once. A lost ledger of an emailed issue is
not sent again unless asked for by number. All against a real aiosmtpd server on 127.0.0.1."""

from __future__ import annotations

import json
import socketserver
import sqlite3
import threading
from pathlib import Path
from typing import Any

import pytest
from conftest import fixture_project, run_sofs
from email_helpers import Recorder, VirtualClock, addresses, smtp_env, smtp_server, write_csv

from generator.mail.delivery import SendOptions, deliver_all
from generator.mail.ledger import open_ledger
from generator.mail.refusals import Cause, Kind, Stage, classify, try_again_at, wait_from
from generator.mail.smtp import SmtpConfig, SmtpConnection

FAST = ("--rate", "0", "--retry-wait", "0.01")


def subscribe(project: Path, people: list[str]) -> None:
    result = run_sofs(project, "subscribers", "import", str(write_csv(project / "people.csv", people)))
    assert result.returncode == 0, result.stdout + result.stderr


def log_records(project: Path) -> list[dict[str, Any]]:
    log = project / "data" / "publications.jsonl"
    return [json.loads(line) for line in log.read_text("utf-8").splitlines() if line.strip()]


def status(project: Path, number: str) -> str:
    result = run_sofs(project, "email", "status", number)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_a_quota_stops_the_run_and_a_later_run_reaches_everyone_once(project: Path) -> None:
    people = addresses(250)
    subscribe(project, people)
    refused = people[40]
    recorder = Recorder(quota_after=100, permanent={refused})
    with smtp_server(recorder) as server:
        first = run_sofs(project, "email", "send", "10", *FAST, env=smtp_env(server))
        assert first.returncode == 1, first.stdout + first.stderr
        assert sum(recorder.counts().values()) == 100
        assert (
            "100 sent in this run; in all 100 sent, 1 failed, 0 uncertain, 149 not sent yet" in first.stdout
        )
        assert "failed: " + refused + ": 550 5.1.1" in first.stdout
        assert "not sent yet:" not in first.stdout, "the rest are counted, not listed one by one"
        assert "this account has reached its sending limit for now (554 5.2.0 STOREDRV" in first.stderr
        assert (
            "100 have the issue; 149 subscribers are kept as not sent yet, none marked failed" in first.stderr
        )
        assert "Try again in about an hour (after " in first.stderr
        assert "`sofs email send 10`" in first.stderr
        assert "Traceback" not in first.stderr
        assert recorder.mail_commands == 101 + 3, "100 accepted, one refused RCPT, then three tries"
        between = status(project, "10")
        assert "149 pending, 0 sending, 100 sent, 1 failed" in between
        assert "Sending stopped because the mail server refused the sender (554 5.2.0" in between
        assert "Try again after " in between

        recorder.quota_after = None
        rerun = run_sofs(project, "email", "send", "10", *FAST, env=smtp_env(server))
        counts = recorder.counts()
    assert rerun.returncode == 1, rerun.stdout + rerun.stderr  # the one refused recipient stays failed
    assert "149 sent in this run; in all 249 sent, 1 failed, 0 uncertain, 0 not sent yet" in rerun.stdout
    assert counts == {person: 1 for person in people if person != refused}
    after = status(project, "10")
    assert "0 pending, 0 sending, 249 sent, 1 failed, 0 uncertain" in after
    assert "Sending stopped" not in after


def test_a_refused_mail_from_is_tried_a_few_times_and_fails_nobody(project: Path) -> None:
    people = addresses(6)
    subscribe(project, people)
    recorder = Recorder(
        refuse_mail="550 5.7.60 SMTP; Client does not have permissions to send as this sender"
    )
    with smtp_server(recorder) as server:
        first = run_sofs(project, "email", "send", "10", *FAST, env=smtp_env(server))
        assert first.returncode == 1
        assert recorder.mail_commands == 3, "three tries in all, not one per recipient"
        assert "0 sent in this run; in all 0 sent, 0 failed, 0 uncertain, 6 not sent yet" in first.stdout
        assert "refused to take mail from signsofsafety@northumberland.gov.uk" in first.stderr
        assert "Check that the SMTP account may send as signsofsafety@northumberland.gov.uk" in first.stderr
        assert "0 have the issue; 6 subscribers are kept as not sent yet" in first.stderr
        assert "6 pending, 0 sending, 0 sent, 0 failed" in status(project, "10")

        recorder.refuse_mail = None
        rerun = run_sofs(project, "email", "send", "10", *FAST, env=smtp_env(server))
    assert rerun.returncode == 0, rerun.stdout + rerun.stderr
    assert recorder.counts() == {person: 1 for person in people}


def test_421_mid_run_waits_then_stops_and_the_rerun_finishes(project: Path) -> None:
    people = addresses(20)
    subscribe(project, people)
    recorder = Recorder(closing_after=8, closings=5)
    with smtp_server(recorder) as server:
        first = run_sofs(project, "email", "send", "10", *FAST, env=smtp_env(server))
        assert first.returncode == 1, first.stdout + first.stderr
        assert "8 sent in this run; in all 8 sent, 0 failed, 0 uncertain, 12 not sent yet" in first.stdout
        assert "closed the connection and asked us to come back later" in first.stderr
        assert "Try again in about 10 minutes" in first.stderr
        assert recorder.closings == 2
        rerun = run_sofs(project, "email", "send", "10", *FAST, env=smtp_env(server))
    assert rerun.returncode == 0, rerun.stdout + rerun.stderr  # two more 421s: fewer than three tries
    assert recorder.closings == 0
    assert "12 sent in this run; in all 20 sent" in rerun.stdout
    assert recorder.counts() == {person: 1 for person in people}


class _Busy(socketserver.BaseRequestHandler):
    """A mail server that greets every connection with 421 and hangs up."""

    connections = 0

    def handle(self) -> None:
        type(self).connections += 1
        self.request.sendall(b"421 4.7.0 Too busy, try again in 20 minutes\r\n")


def test_a_421_greeting_is_tried_a_few_times_and_keeps_everyone_not_sent_yet(project: Path) -> None:
    subscribe(project, addresses(3))
    with socketserver.ThreadingTCPServer(("127.0.0.1", 0), _Busy) as server:
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            env = {"SOFS_SMTP_HOST": "127.0.0.1", "SOFS_SMTP_PORT": str(server.server_address[1])}
            result = run_sofs(project, "email", "send", "10", *FAST, env={**env, "SOFS_SMTP_TLS": "none"})
        finally:
            server.shutdown()
    assert result.returncode == 1, result.stdout + result.stderr
    assert _Busy.connections == 3
    assert "0 sent in this run; in all 0 sent, 0 failed, 0 uncertain, 3 not sent yet" in result.stdout
    assert "closed the connection and asked us to come back later (421 4.7.0 Too busy" in result.stderr
    assert "Try again in about 20 minutes" in result.stderr


def test_one_refused_recipient_after_accepted_messages_fails_only_that_one(project: Path) -> None:
    people = addresses(5)
    subscribe(project, people)
    recorder = Recorder(permanent={people[3]})
    with smtp_server(recorder) as server:
        result = run_sofs(project, "email", "send", "10", *FAST, env=smtp_env(server))
    assert result.returncode == 1
    assert "4 sent in this run; in all 4 sent, 1 failed, 0 uncertain, 0 not sent yet" in result.stdout
    assert f"failed: {people[3]}: 550 5.1.1 No such user here" in result.stdout
    assert "sending stopped" not in result.stderr
    assert recorder.counts() == {p: 1 for p in people if p != people[3]}


def test_a_quota_during_publish_is_resumed_by_publish(tmp_path: Path) -> None:
    project = fixture_project(tmp_path / "publish", "publish")
    people = addresses(30)
    subscribe(project, people)
    recorder = Recorder(quota_after=10)
    with smtp_server(recorder) as server:
        first = run_sofs(project, "publish", "2", *FAST, env=smtp_env(server))
        assert first.returncode == 1, first.stdout + first.stderr
        assert "5/6 email: 10 sent in this run; in all 10 sent, 0 failed, 0 uncertain, 20 not sent yet" in (
            first.stdout
        )
        assert "reached its sending limit" in first.stderr
        assert "with `sofs publish 2`: it sends only to those 20 subscribers" in first.stderr
        assert not (project / "data/publications.jsonl").exists()
        recorder.quota_after = None
        rerun = run_sofs(project, "publish", "2", *FAST, env=smtp_env(server))
    assert rerun.returncode == 0, rerun.stdout + rerun.stderr
    assert recorder.counts() == {person: 1 for person in people}
    (record,) = log_records(project)
    assert record["email"] == {
        "sent": True,
        "recipients": 30,
        "outcomes": {"sent": 30, "failed": 0, "uncertain": 0},
    }


def test_a_lost_ledger_after_publishing_is_not_sent_again_unless_asked_by_number(tmp_path: Path) -> None:
    project = fixture_project(tmp_path / "publish", "publish")
    people = addresses(4)
    subscribe(project, people)
    ledger = project / "data/send-ledger-002.sqlite"
    recorder = Recorder()
    with smtp_server(recorder) as server:
        published = run_sofs(project, "publish", "2", *FAST, env=smtp_env(server))
        assert published.returncode == 0, published.stdout + published.stderr
        env = smtp_env(server)

        ledger.unlink()
        refused = run_sofs(project, "email", "send", "2", *FAST, env=env)
        assert refused.returncode == 1
        assert "the publication log says issue 2 was emailed to 4 people on " in refused.stderr
        assert "its send ledger data/send-ledger-002.sqlite is missing" in refused.stderr
        assert (
            "Sending now would send it to 4 people, and those who had it would get it twice" in refused.stderr
        )
        assert "`sofs email send 2 --send-again-to 4`" in refused.stderr
        dry = run_sofs(project, "email", "send", "2", "--dry-run", env=env)
        assert dry.returncode == 0 and "A real send would be refused" in dry.stdout
        republish = run_sofs(project, "publish", "2", *FAST, env=env)
        assert "nothing is left to do" in republish.stdout
        state = project / "data/publish-002.json"
        state.rename(state.with_name("kept.json"))
        afresh = run_sofs(project, "publish", "2", *FAST, env=env)
        assert afresh.returncode == 1, afresh.stdout + afresh.stderr
        assert "`sofs email send 2 --send-again-to 4`, or publish on the web only with --no-email" in (
            afresh.stderr
        )
        state.with_name("kept.json").rename(state)

        wrong = run_sofs(project, "email", "send", "2", "--send-again-to", "3", *FAST, env=env)
        assert wrong.returncode == 1
        assert "--send-again-to 3 does not match: issue 2 would go again to 4 people" in wrong.stderr
        assert "run `sofs email send 2 --send-again-to 4`" in wrong.stderr

        ledger.write_bytes(b"this is not a ledger\n" * 100)
        damaged = run_sofs(project, "email", "send", "2", *FAST, env=env)
        assert damaged.returncode == 1
        assert "its send ledger data/send-ledger-002.sqlite cannot be read (file is not a database)" in (
            damaged.stderr
        )
        ledger.write_bytes(b"")
        empty = run_sofs(project, "email", "send", "2", *FAST, env=env)
        assert empty.returncode == 1 and "send-ledger-002.sqlite is empty" in empty.stderr
        assert sum(recorder.counts().values()) == 4, "nothing was sent again by a refused command"

        ledger.write_bytes(b"this is not a ledger\n" * 100)
        again = run_sofs(project, "email", "send", "2", "--send-again-to", "4", *FAST, env=env)
        assert again.returncode == 0, again.stdout + again.stderr
        (aside,) = project.glob("data/send-ledger-002.sqlite.damaged-*")
        assert aside.read_bytes() == b"this is not a ledger\n" * 100, "the damaged ledger is kept"
        assert recorder.counts() == {person: 2 for person in people}

        plain = run_sofs(project, "email", "send", "2", *FAST, env=env)
        assert plain.returncode == 0 and "0 sent in this run; in all 4 sent" in plain.stdout

        with sqlite3.connect(ledger) as db:
            db.execute("DELETE FROM recipients WHERE address IN (?, ?)", people[:2])
        db.close()
        short = run_sofs(project, "email", "send", "2", *FAST, env=env)
        assert short.returncode == 1
        assert "send-ledger-002.sqlite lists only 2 as sent" in short.stderr
        assert "--send-again-to 2`" in short.stderr
    publication, resend = log_records(project)
    assert publication["email"]["sent"] is True
    assert resend["event"] == "resend" and resend["issue"] == 2
    assert (resend["sent"], resend["send_again_to"], resend["ledger_sent"]) == (4, 4, 4)
    assert resend["by"] and resend["recipients"] == 4
    audit = run_sofs(project, "audit", "--verify", "2")
    assert audit.returncode == 0, audit.stdout + audit.stderr
    assert "Everything online matches" in audit.stdout
    shown = run_sofs(project, "audit", "2")
    assert "sent again by email to 4 people (--send-again-to 4)" in shown.stdout


def test_a_refused_sender_backs_off_doubling_a_bounded_number_of_times(tmp_path: Path) -> None:
    people = addresses(3)
    recorder = Recorder(refuse_mail="451 4.7.500 Server busy. Please try again later.")
    clock = VirtualClock(start=0.0)
    with smtp_server(recorder) as server, open_ledger(tmp_path / "ledger.sqlite") as ledger:
        ledger.enrol({p: p for p in people}, lambda: "<id@example.org>")
        summary = deliver_all(
            ledger,
            ledger.in_state("pending"),
            sender="news@example.org",
            message_for=lambda r: b"Subject: hi\r\n\r\nhello\r\n",
            connect=lambda: SmtpConnection(SmtpConfig("127.0.0.1", server.port, "none")),
            options=SendOptions(per_minute=0, retry_wait=5, sender_tries=3),
            clock=clock,
        )
        counts = ledger.counts()
    assert clock.sleeps == [5.0, 10.0]
    assert recorder.mail_commands == 3
    assert summary.paused is not None and summary.paused.cause is Cause.MAIL_FROM
    assert summary.paused.wait == 600.0
    assert counts == {"pending": 3, "sending": 0, "sent": 0, "failed": 0, "uncertain": 0}


@pytest.mark.parametrize(
    ("stage", "code", "text", "accepted_before", "kind", "cause"),
    [
        (Stage.RCPT, 550, "5.1.1 No such user here", True, Kind.PERMANENT, None),
        (Stage.RCPT, 553, "5.1.3 Bad recipient address syntax", False, Kind.PERMANENT, None),
        (Stage.RCPT, 451, "4.7.1 Greylisted, try again later", True, Kind.TEMPORARY, None),
        (Stage.RCPT, 452, "4.2.2 Mailbox full, quota exceeded", True, Kind.TEMPORARY, None),
        (Stage.RCPT, 450, "4.2.1 The user is receiving mail at a rate that prevents more", True, Kind.TEMPORARY, None),
        (Stage.RCPT, 452, "4.7.1 Too many recipients this hour", False, Kind.SENDER, Cause.LIMIT),
        (Stage.RCPT, 451, "4.7.0 Rate limit exceeded", False, Kind.SENDER, Cause.LIMIT),
        (Stage.MAIL, 550, "5.7.60 Client does not have permissions to send as this sender", False, Kind.SENDER, Cause.MAIL_FROM),
        (Stage.MAIL, 451, "4.7.500 Server busy", False, Kind.SENDER, Cause.MAIL_FROM),
        (Stage.MAIL, 550, "5.4.5 Daily user sending quota exceeded", True, Kind.SENDER, Cause.LIMIT),
        (Stage.MESSAGE, 554, "5.2.0 STOREDRV.Submission.Exception:SubmissionQuotaExceededException", True, Kind.SENDER, Cause.LIMIT),
        (Stage.MESSAGE, 550, "5.7.1 Message rejected", True, Kind.SENDER, Cause.REFUSING),
        (Stage.MESSAGE, 550, "5.7.1 Message rejected", False, Kind.PERMANENT, None),
        (Stage.DATA, 554, "5.3.0 Transaction failed", True, Kind.SENDER, Cause.REFUSING),
        (Stage.RCPT, 421, "4.7.0 Try again later, closing connection", False, Kind.SENDER, Cause.CLOSING),
        (Stage.MESSAGE, 421, "4.3.2 Service shutting down", True, Kind.SENDER, Cause.CLOSING),
        (Stage.RCPT, 550, "5.1.8 Access denied, bad outbound sender", False, Kind.SENDER, Cause.MAIL_FROM),
        (Stage.RCPT, 553, "5.1.7 The sender address is not valid", False, Kind.SENDER, Cause.MAIL_FROM),
    ],
)  # fmt: skip
def test_which_refusals_are_about_the_sender(
    stage: Stage, code: int, text: str, accepted_before: bool, kind: Kind, cause: Cause | None
) -> None:
    found = classify(stage, code, text, accepted_before=accepted_before)
    assert (found.kind, found.cause) == (kind, cause)


def test_the_wait_comes_from_the_servers_text_or_an_hour_for_a_quota() -> None:
    quota = classify(Stage.MESSAGE, 554, "5.2.0 sending limit exceeded", accepted_before=True)
    assert quota.wait == 3600.0
    assert wait_from("4.7.0 Too many messages, try again in 30 minutes", 3600.0) == 1800.0
    assert wait_from("please retry after 2 hours", 60.0) == 7200.0
    assert wait_from("wait 90 seconds", 60.0) == 90.0
    import datetime as dt

    now = dt.datetime(2026, 1, 15, 22, 30)
    assert try_again_at(3600.0, now) == "in about an hour (after 23:30 today)"
    assert (
        try_again_at(1800.0, now + dt.timedelta(hours=1)) == "in about 30 minutes (after 00:00 on 16 January)"
    )
    assert try_again_at(7200.0, now) == "in about 2 hours (after 00:30 on 16 January)"


def test_a_ledger_that_is_a_folder_is_a_clear_error_for_send_status_and_publish(tmp_path: Path) -> None:
    project = fixture_project(tmp_path / "publish", "publish")
    subscribe(project, addresses(3))
    (project / "data/send-ledger-002.sqlite").mkdir()
    recorder = Recorder()
    with smtp_server(recorder) as server:
        published = run_sofs(project, "publish", "2", *FAST, env=smtp_env(server))
        sent = run_sofs(project, "email", "send", "2", *FAST, env=smtp_env(server))
    looked = run_sofs(project, "email", "status", "2")
    for result in (published, sent, looked):
        assert result.returncode == 1, result.stdout + result.stderr
        assert "send-ledger-002.sqlite cannot be read (it is a folder" in result.stderr
        assert "does not know how to explain" not in result.stderr
        assert "Traceback" not in result.stderr
    assert recorder.counts() == {}


@pytest.mark.parametrize(
    "reply",
    [
        "550 5.7.708 Service unavailable. Access denied, traffic not accepted from this IP",
        "550 Mailbox unavailable",
        "550 5.1.8 Access denied, bad outbound sender",
    ],
)
def test_the_same_refusal_of_recipients_in_a_row_is_the_senders_and_fails_nobody(
    project: Path, reply: str
) -> None:
    people = addresses(12)
    subscribe(project, people)
    recorder = Recorder(refuse_rcpt=reply)
    with smtp_server(recorder) as server:
        first = run_sofs(project, "email", "send", "10", *FAST, env=smtp_env(server))
        assert first.returncode == 1, first.stdout + first.stderr
        assert "0 sent, 0 failed, 0 uncertain, 12 not sent yet" in first.stdout
        assert "failed:" not in first.stdout
        assert f"({reply})" in first.stderr
        assert "12 subscribers are kept as not sent yet, none marked failed" in first.stderr
        assert "Traceback" not in first.stderr
        assert "12 pending, 0 sending, 0 sent, 0 failed" in status(project, "10")

        recorder.refuse_rcpt = None
        rerun = run_sofs(project, "email", "send", "10", *FAST, env=smtp_env(server))
    assert rerun.returncode == 0, rerun.stdout + rerun.stderr
    assert recorder.counts() == {person: 1 for person in people}


def test_different_refusals_in_a_row_each_fail_only_their_recipient(project: Path) -> None:
    people = addresses(8)
    subscribe(project, people)
    refused = set(people[2:6])
    recorder = Recorder(permanent=refused)
    with smtp_server(recorder) as server:
        result = run_sofs(project, "email", "send", "10", *FAST, env=smtp_env(server))
    assert "4 sent in this run; in all 4 sent, 4 failed, 0 uncertain, 0 not sent yet" in result.stdout
    assert "sending stopped" not in result.stderr
    assert recorder.counts() == {p: 1 for p in people if p not in refused}


def test_a_lost_ledger_after_a_publish_stopped_by_a_quota_is_not_sent_again_unless_asked(
    tmp_path: Path,
) -> None:
    project = fixture_project(tmp_path / "publish", "publish")
    people = addresses(12)
    subscribe(project, people)
    recorder = Recorder(quota_after=4)
    with smtp_server(recorder) as server:
        stopped = run_sofs(project, "publish", "2", *FAST, env=smtp_env(server))
        assert stopped.returncode == 1, stopped.stdout + stopped.stderr
        assert not (project / "data/publications.jsonl").exists(), "not logged until every one is sent"
        (project / "data/send-ledger-002.sqlite").unlink()
        recorder.quota_after = None
        for command in (("email", "send", "2"), ("publish", "2")):
            refused = run_sofs(project, *command, *FAST, env=smtp_env(server))
            assert refused.returncode == 1, refused.stdout + refused.stderr
            assert "`sofs publish 2` began emailing issue 2 on " in refused.stderr
            assert "(data/publish-002.json), but its send ledger data/send-ledger-002.sqlite is missing" in (
                refused.stderr
            )
            assert "run `sofs email send 2 --send-again-to 12`" in refused.stderr
        assert sum(recorder.counts().values()) == 4
        again = run_sofs(project, "email", "send", "2", *FAST, "--send-again-to", "12", env=smtp_env(server))
        assert again.returncode == 0, again.stdout + again.stderr
        finished = run_sofs(project, "publish", "2", *FAST, env=smtp_env(server))
    assert finished.returncode == 0, finished.stdout + finished.stderr
    assert sum(recorder.counts().values()) == 16, "the four who had it got it again only when asked"
    assert [record["event"] for record in log_records(project)] == ["publication"]


def test_a_login_refused_for_now_is_a_refused_sender_and_the_rerun_reaches_everyone_once(
    project: Path,
) -> None:
    from aiosmtpd.smtp import AuthResult

    people = addresses(5)
    subscribe(project, people)
    refusing = [True]

    def authenticator(*_: object) -> AuthResult:
        if refusing[0]:
            return AuthResult(
                success=False,
                handled=False,
                message="454 4.7.0 Too many login attempts, please try again later",
            )
        return AuthResult(success=True)

    recorder = Recorder()
    login = {"SOFS_SMTP_USER": "news@example.org", "SOFS_SMTP_PASSWORD": "secret"}
    with smtp_server(recorder, authenticator=authenticator, auth_require_tls=False) as server:
        first = run_sofs(project, "email", "send", "10", *FAST, env={**smtp_env(server), **login})
        assert first.returncode == 1, first.stdout + first.stderr
        assert "0 sent, 0 failed, 0 uncertain, 5 not sent yet" in first.stdout
        assert "asked us to come back later (454 4.7.0 Too many login attempts" in first.stderr
        assert "check SOFS_SMTP_USER" not in first.stderr
        assert "5 subscribers are kept as not sent yet, none marked failed" in first.stderr
        refusing[0] = False
        rerun = run_sofs(project, "email", "send", "10", *FAST, env={**smtp_env(server), **login})
    assert rerun.returncode == 0, rerun.stdout + rerun.stderr
    assert recorder.counts() == {person: 1 for person in people}


def test_a_subscriber_list_that_is_a_folder_is_a_clear_error_and_keeps_its_mode(tmp_path: Path) -> None:
    project = fixture_project(tmp_path / "publish", "publish")
    folder = project / "data/subscribers.sqlite"
    folder.mkdir(parents=True)
    folder.chmod(0o755)
    for command in (("subscribers", "list"), ("email", "send", "1", "--dry-run")):
        result = run_sofs(project, *command)
        assert result.returncode == 1, result.stdout + result.stderr
        assert "subscribers.sqlite cannot be opened (it is a folder, not a file)" in result.stderr
        assert "does not know how to explain" not in result.stderr
    assert folder.stat().st_mode & 0o777 == 0o755


def test_recipients_refused_alike_in_a_row_go_last_on_the_rerun_so_they_hold_up_nobody(project: Path) -> None:
    people = addresses(10)
    subscribe(project, people)
    bad = set(people[:3])
    recorder = Recorder(unrouteable=bad)
    with smtp_server(recorder) as server:
        first = run_sofs(project, "email", "send", "10", *FAST, env=smtp_env(server))
        assert first.returncode == 1, first.stdout + first.stderr
        assert "10 subscribers are kept as not sent yet, none marked failed" in first.stderr
        rerun = run_sofs(project, "email", "send", "10", *FAST, env=smtp_env(server))
    assert rerun.returncode == 1, rerun.stdout + rerun.stderr
    assert "7 sent in this run; in all 7 sent, 0 failed, 0 uncertain, 3 not sent yet" in rerun.stdout
    assert recorder.counts() == {person: 1 for person in people if person not in bad}
