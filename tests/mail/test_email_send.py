"""`sofs email send` against a real SMTP server on 127.0.0.1, with faults and a crash."""

from __future__ import annotations

from pathlib import Path

from conftest import approve_again, run_sofs
from email_helpers import Recorder, addresses, kill_when_held, smtp_env, smtp_server, write_csv

FAST = ("--rate", "0", "--retry-wait", "0.01")


def subscribe(project: Path, people: list[str]) -> None:
    result = run_sofs(project, "subscribers", "import", str(write_csv(project / "people.csv", people)))
    assert result.returncode == 0, result.stdout + result.stderr


def test_each_subscriber_gets_one_well_formed_message(project: Path) -> None:
    people = addresses(5)
    subscribe(project, people)
    recorder = Recorder()
    with smtp_server(recorder) as server:
        result = run_sofs(project, "email", "send", "10", *FAST, env=smtp_env(server))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "5 sent in this run" in result.stdout
    assert recorder.counts() == {address: 1 for address in people}
    messages = recorder.messages()
    assert sorted(str(m["To"]) for m in messages) == people
    assert len({m["Message-ID"] for m in messages}) == 5
    for message in messages:
        assert message.get_content_type() == "multipart/alternative"
        assert [p.get_content_type() for p in message.iter_parts()] == ["text/plain", "text/html"]
        assert message["Subject"] == "Issue 10: Meaningful measures- counting what counts"
        unsubscribe = message["List-Unsubscribe"].strip()  # folded onto its own line: a space leads
        assert unsubscribe == "<mailto:signsofsafety@northumberland.gov.uk?subject=unsubscribe>"
        assert message["Message-ID"].endswith("@signs-of-safety.example.org>")
        html = message.get_body(("html",))
        assert html is not None and 'style="' in html.get_content()
    status = run_sofs(project, "email", "status", "10")
    assert "5 sent" in status.stdout and "0 failed" in status.stdout


def test_a_second_run_sends_nothing_again(project: Path) -> None:
    subscribe(project, addresses(3))
    recorder = Recorder()
    with smtp_server(recorder) as server:
        first = run_sofs(project, "email", "send", "10", *FAST, env=smtp_env(server))
        second = run_sofs(project, "email", "send", "10", *FAST, env=smtp_env(server))
    assert first.returncode == 0 and second.returncode == 0, second.stderr
    assert "0 sent in this run; in all 3 sent" in second.stdout
    assert sum(recorder.counts().values()) == 3


def test_faults_and_a_killed_process_lose_and_double_nothing(project: Path) -> None:
    """The judged scenario: 230 subscribers; 451s, a 550, a dropped connection, SIGKILL."""
    people = addresses(230)
    subscribe(project, people)
    refused, held = people[57], people[120]
    recorder = Recorder(
        temporary={people[10]: 1, people[20]: 2, people[150]: 1, people[200]: 1},
        permanent={refused},
        drop_at_rcpt={people[30], people[180]},
        hold=held,
    )
    with smtp_server(recorder) as server:
        kill_when_held(project, recorder, server, ["email", "send", "10", *FAST], wait=120)
        before_rerun = recorder.counts()
        assert before_rerun[held] == 1
        assert 100 < sum(before_rerun.values()) < 230

        rerun = run_sofs(project, "email", "send", "10", *FAST, env=smtp_env(server))
        counts = recorder.counts()

    assert rerun.returncode == 1, rerun.stdout + rerun.stderr
    assert f"the last run stopped while sending to {held}" in rerun.stderr
    assert "1 failed, 1 uncertain, 0 not sent yet" in rerun.stdout
    assert recorder.drop_at_rcpt == set(), "both connection drops happened"
    assert all(left == 0 for left in recorder.temporary.values()), "every 451 was answered"
    for person in people:
        expected = 0 if person == refused else 1
        assert counts[person] == expected, person
    status = _status(project)
    assert "228 sent, 1 failed, 1 uncertain" in status
    assert f"failed: {refused}: 550" in status
    assert f"uncertain: {held}:" in status
    messages = recorder.messages()
    assert len({m["Message-ID"] for m in messages}) == len(messages) == 229


def test_resend_uncertain_sends_only_those_with_the_same_message_id(project: Path) -> None:
    people = addresses(4)
    subscribe(project, people)
    recorder = Recorder(drop_after_data={people[1]})
    with smtp_server(recorder) as server:
        first = run_sofs(project, "email", "send", "10", *FAST, env=smtp_env(server))
        assert first.returncode == 1
        assert f"uncertain: {people[1]}: connection lost while the message was being accepted" in first.stdout
        plain_rerun = run_sofs(project, "email", "send", "10", *FAST, env=smtp_env(server))
        assert recorder.counts()[people[1]] == 1
        again = run_sofs(project, "email", "send", "10", "--resend-uncertain", *FAST, env=smtp_env(server))
    assert plain_rerun.returncode == 1
    assert again.returncode == 0, again.stdout + again.stderr
    counts = recorder.counts()
    assert counts == {people[0]: 1, people[1]: 2, people[2]: 1, people[3]: 1}
    ids = [m["Message-ID"] for m in recorder.messages() if m["To"] == people[1]]
    assert len(ids) == 2 and ids[0] == ids[1]


def test_temporary_refusals_past_the_retry_limit_stay_pending(project: Path) -> None:
    people = addresses(2)
    subscribe(project, people)
    recorder = Recorder(temporary={people[0]: 3})
    with smtp_server(recorder) as server:
        first = run_sofs(project, "email", "send", "10", "--retries", "1", *FAST, env=smtp_env(server))
        assert first.returncode == 1
        assert f"not sent yet: {people[0]}: 451 4.7.1" in first.stdout
        assert "run the same command again later" in first.stderr
        second = run_sofs(project, "email", "send", "10", *FAST, env=smtp_env(server))
    assert second.returncode == 0, second.stdout + second.stderr
    assert recorder.counts() == {people[0]: 1, people[1]: 1}


def test_dry_run_sends_nothing_and_keeps_no_ledger(project: Path) -> None:
    subscribe(project, addresses(3))
    recorder = Recorder()
    with smtp_server(recorder) as server:
        result = run_sofs(project, "email", "send", "10", "--dry-run", env=smtp_env(server))
    assert result.returncode == 0, result.stderr
    assert "would go to 3 of 3 subscribers" in result.stdout
    assert recorder.received == []
    assert not list((project / "data").glob("send-ledger-*"))


def test_drafts_and_future_issues_cannot_be_sent(project: Path) -> None:
    subscribe(project, addresses(1))
    draft = run_sofs(project, "email", "send", "11", env={"SOFS_SMTP_HOST": "127.0.0.1"})
    assert draft.returncode == 1
    assert draft.stderr.startswith("error: issue 11 is a draft")
    issue = project / "content/issues/010-meaningful-measures.md"
    issue.write_text(issue.read_text("utf-8").replace("date: 2025-09-01", "date: 2026-06-01"), "utf-8")
    approve_again(project, 10)
    future = run_sofs(project, "email", "send", "10", env={"SOFS_SMTP_HOST": "127.0.0.1"})
    assert future.returncode == 1
    assert "dated 1 June 2026, after today" in future.stderr
    assert "Traceback" not in draft.stderr + future.stderr


def test_starttls_asked_for_but_not_offered_sends_nothing(project: Path) -> None:
    subscribe(project, addresses(2))
    recorder = Recorder()
    with smtp_server(recorder) as server:
        result = run_sofs(project, "email", "send", "10", *FAST, env=smtp_env(server, tls="starttls"))
    assert result.returncode == 1
    assert "does not offer STARTTLS, so nothing was sent" in result.stderr
    assert recorder.received == []
    assert "2 not sent yet" in result.stdout


def test_the_password_is_never_printed(project: Path) -> None:
    subscribe(project, addresses(1))
    secret = "correct-horse-battery-staple"
    with smtp_server(Recorder()) as server:
        env = {**smtp_env(server), "SOFS_SMTP_USER": "sender@example.org", "SOFS_SMTP_PASSWORD": secret}
        result = run_sofs(project, "email", "send", "10", *FAST, env=env)
        dry = run_sofs(project, "email", "send", "10", "--dry-run", env=env)
    assert result.returncode == 1
    assert "cannot talk to 127.0.0.1" in result.stderr
    assert secret not in result.stdout + result.stderr + dry.stdout + dry.stderr
    assert "sender@example.org" in dry.stdout


def test_missing_smtp_settings_are_explained(project: Path) -> None:
    subscribe(project, addresses(1))
    env = {"SOFS_SMTP_HOST": "", "SOFS_SMTP_TLS": "starttls"}
    result = run_sofs(project, "email", "send", "10", env=env)
    assert result.returncode == 1
    assert result.stderr.startswith("error: SOFS_SMTP_HOST is not set")
    bad_tls = run_sofs(
        project, "email", "send", "10", env={"SOFS_SMTP_HOST": "mail.example.org", "SOFS_SMTP_TLS": "plain"}
    )
    assert bad_tls.stderr.startswith("error: SOFS_SMTP_TLS is 'plain'; use starttls, ssl or none")


def test_no_subscribers_is_explained(project: Path) -> None:
    result = run_sofs(project, "email", "send", "10", env={"SOFS_SMTP_HOST": "127.0.0.1"})
    assert result.returncode == 1
    assert "there are no subscribers in data/subscribers.sqlite" in result.stderr


def _status(project: Path) -> str:
    result = run_sofs(project, "email", "status", "10")
    assert result.returncode == 0, result.stderr
    return result.stdout
