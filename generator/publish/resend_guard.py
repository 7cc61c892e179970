"""Sending an issue again when its ledger cannot say who has it: refused unless asked for by number.

The publication log remembers that an issue was emailed and to how many. If the issue's
send ledger is then missing, empty, unreadable, or lists fewer people as sent than the
log does, a send would reach people who already have the issue. That is refused unless
the practice lead names how many people it would go to (`--send-again-to N`). Every
send of an issue already in the log is added to the log as a "resend" record.
"""

from __future__ import annotations

import datetime as dt
import getpass
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..basics.diagnostics import shown_path as shown
from ..mail.ledger import LedgerDamaged, LedgerSnapshot, ledger_path, read_ledger
from ..settings.reader import Settings
from .audit_log import append_record, log_path, read_log
from .state import StateError, read_state, state_path

_DONE = ("sent", "failed", "uncertain", "sending")


@dataclass(frozen=True)
class LedgerCheck:
    """The ledger as found, and who a send would go to now."""

    path: Path
    snapshot: LedgerSnapshot | None
    damage: str | None  # why the ledger cannot be read, or None
    would_send: int  # current subscribers the ledger does not show as done


@dataclass(frozen=True)
class ResendRisk:
    """The log says the issue was emailed, but the ledger cannot say who has it."""

    issue: int
    emailed_on: str
    recorded: int | None  # the most the log says had it at once; None when only a publish began it
    would_send: int
    why: str  # what is wrong with the ledger, in words
    state_file: str = ""  # the publish state that says sending began, when the log does not

    def explain(self) -> str:
        """Why sending is refused, and the flag that would allow it."""
        people = "person" if self.would_send == 1 else "people"
        if self.recorded is None:
            said = (
                f"`sofs publish {self.issue}` began emailing issue {self.issue} on {self.emailed_on} "
                f"({self.state_file})"
            )
        else:
            said = (
                f"the publication log says issue {self.issue} was emailed to {self.recorded} "
                f"{'person' if self.recorded == 1 else 'people'} on {self.emailed_on}"
            )
        return (
            f"{said}, but {self.why}, so "
            f"sofs cannot tell who already has it. Sending now would send it to {self.would_send} "
            f"{people}, and those who had it would get it twice. Nothing was sent. If that is what you "
            f"want, run `sofs email send {self.issue} --send-again-to {self.would_send}`"
        )


def issue_records(settings: Settings, number: int) -> list[dict[str, Any]]:
    """Every readable record of issue `number` in the publication log, oldest first."""
    path = log_path(settings.subscribers_path)
    return [r for r in read_log(path, shown(path, settings.root)).records if r.get("issue") == number]


def _emailed(record: dict[str, Any]) -> int | None:
    """How many people the ledger showed as sent when this record was written, if it records a send."""
    if record.get("event") == "resend":
        value = record.get("ledger_sent")
        return value if isinstance(value, int) else None
    email = record.get("email")
    if isinstance(email, dict) and email.get("sent") is True:
        outcomes = email.get("outcomes")
        sent = outcomes.get("sent") if isinstance(outcomes, dict) else None
        return sent if isinstance(sent, int) else int(email.get("recipients") or 0)
    return None


def check_ledger(settings: Settings, number: int, subscribers: dict[str, str]) -> LedgerCheck:
    """Read the issue's ledger without changing it, and count who a send would go to."""
    path = ledger_path(settings.subscribers_path, number)
    try:
        snapshot = read_ledger(path)
    except LedgerDamaged as exc:
        return LedgerCheck(path, None, exc.reason, len(subscribers))
    done = {row.key for row in snapshot.in_state(*_DONE)} if snapshot else set()
    return LedgerCheck(path, snapshot, None, sum(1 for key in subscribers if key not in done))


def resend_risk(settings: Settings, number: int, check: LedgerCheck) -> ResendRisk | None:
    """The risk of sending the issue twice to people, or None when the ledger can be trusted."""
    emailed = [(r, n) for r in issue_records(settings, number) if (n := _emailed(r)) is not None]
    began = _publish_began_email(settings, number)
    if (not emailed and began is None) or check.would_send == 0:
        return None
    recorded = emailed[-1][1] if emailed else 0
    ledger = shown(check.path, settings.root)
    snapshot = check.snapshot
    if check.damage is not None:
        why = f"its send ledger {ledger} cannot be read ({check.damage})"
    elif snapshot is None:
        why = f"its send ledger {ledger} is missing"
    elif not snapshot.rows:
        why = f"its send ledger {ledger} is empty"
    elif snapshot.counts()["sent"] < recorded:
        why = f"its send ledger {ledger} lists only {snapshot.counts()['sent']} as sent"
    else:
        return None
    if not emailed:
        state_file = shown(state_path(settings.subscribers_path, number), settings.root)
        return ResendRisk(number, str(began)[:10], None, check.would_send, why, state_file)
    when = str(emailed[0][0].get("finished") or emailed[-1][0].get("finished") or "an earlier day")[:10]
    return ResendRisk(number, when, max(n for _, n in emailed), check.would_send, why)


def _publish_began_email(settings: Settings, number: int) -> str | None:
    """When `sofs publish` of the issue started, if it got as far as sending email (its state says so).

    A publish stopped by a quota has sent to some people but is not in the log yet.
    """
    try:
        state = read_state(state_path(settings.subscribers_path, number))
    except StateError:
        return None
    if state is None or state.email_started is None:
        return None
    return state.started or "an earlier day"


def set_damaged_ledger_aside(check: LedgerCheck) -> Path | None:
    """Rename an unreadable ledger (kept, never deleted) so a new one can be started."""
    if check.damage is None or not check.path.exists():
        return None
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    aside = check.path.with_name(f"{check.path.name}.damaged-{stamp}")
    check.path.rename(aside)
    return aside


def log_resend(settings: Settings, number: int, facts: dict[str, Any]) -> None:
    """Add a "resend" record to the publication log when issue `number` is already in it."""
    if not issue_records(settings, number):
        return
    try:
        who = getpass.getuser()
    except (OSError, KeyError):
        who = "unknown"
    record = {
        "event": "resend",
        "issue": number,
        "finished": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "by": [who],
        **facts,
    }
    append_record(log_path(settings.subscribers_path), record)
