"""Sending one issue: the one loop behind both `sofs email send` and the email step of `sofs publish`.

It opens the issue's ledger (refusing when another send holds it), marks a message left
on its way by a killed run as uncertain, enrols every current subscriber, sends to those
not yet sent through `deliver_all`, notes a stop asked for by the server, and returns
the ledger's counts with this run's summary.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import TextIO

from ..generate.email_render import RenderedIssue
from ..settings.reader import Settings
from .delivery import Connection, SendOptions, SendSummary, deliver_all
from .ledger import Recipient, ledger_path, open_ledger
from .message import build_message, message_bytes, new_message_id
from .progress import Progress
from .refusals import cause_in_words, try_again_at
from .smtp import SmtpConfig, SmtpConnection


@dataclass(frozen=True)
class SendResult:
    """How sending ended: the ledger's counts and this run's summary."""

    counts: dict[str, int]
    summary: SendSummary
    waiting: int  # current subscribers not sent to yet
    left_out: int  # in the ledger but no longer subscribed: never sent to
    tried: int  # how many this run set out to reach

    @property
    def recipients(self) -> int:
        """Everyone the issue went to or was tried for: sent, failed, uncertain, still waiting."""
        return self.counts["sent"] + self.counts["failed"] + self.counts["uncertain"] + self.waiting

    @property
    def finished(self) -> bool:
        """Nobody is left to try: every subscriber is sent, failed or uncertain."""
        return self.waiting == 0 and self.counts["sending"] == 0 and not self.summary.stopped


def send_issue(
    settings: Settings,
    rendered: RenderedIssue,
    subscribers: dict[str, str],
    config: SmtpConfig,
    options: SendOptions,
    *,
    heading: str,
    resend_uncertain: bool = False,
    connect: Callable[[], Connection] | None = None,
    stream: TextIO | None = None,
) -> SendResult:
    """Send to every subscriber who has not had the issue yet; raises `LedgerError`.

    `heading` starts the line saying how many it goes to ("Sending issue 10").
    """
    out = stream or sys.stderr
    issue = rendered.issue
    with open_ledger(ledger_path(settings.subscribers_path, issue.number)) as ledger:
        for row in ledger.mark_interrupted():
            print(
                f"warning: the last run stopped while sending to {row.address}; it is marked "
                "uncertain and will not be resent (see `sofs email status`)",
                file=out,
            )
        if resend_uncertain:
            again = ledger.requeue_uncertain()
            if again:
                print(
                    f"Resending to {again} uncertain recipient{'s' if again != 1 else ''}, as asked.",
                    file=out,
                )
        ledger.enrol(subscribers, lambda: new_message_id(settings, issue.number))
        # Those the server refused before go last, so a refusal that repeats cannot hold up the rest.
        pending = sorted(
            (r for r in ledger.in_state("pending") if r.key in subscribers), key=lambda r: r.reply != ""
        )
        print(
            f"{heading} to {len(pending)} subscriber{'s' if len(pending) != 1 else ''} through "
            f"{config.describe()} ({ledger.counts()['sent']} already sent).",
            file=out,
        )

        def message_for(recipient: Recipient) -> bytes:
            when = dt.datetime.now(settings.zone).replace(microsecond=0)
            message = build_message(
                settings, rendered, to=recipient.address, message_id=recipient.message_id, date=when
            )
            return message_bytes(message)

        progress = Progress(len(pending), out)
        summary = deliver_all(
            ledger,
            pending,
            sender=settings.mailbox or "",
            message_for=message_for,
            connect=connect or (lambda: SmtpConnection(config)),
            options=options,
            on_progress=progress,
        )
        progress.finish()
        if summary.paused:
            retry = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=summary.paused.wait)
            ledger.note_stop(summary.paused.reply, retry)
        counts = ledger.counts()
        still = ledger.in_state("pending")
    waiting = sum(1 for r in still if r.key in subscribers)
    return SendResult(counts, summary, waiting, len(still) - waiting, len(pending))


def pause_advice(result: SendResult, settings: Settings, command: str) -> str | None:
    """When the server refused the sender: why sending stopped, what is kept, when to rerun."""
    pause = result.summary.paused
    if pause is None:
        return None
    now = dt.datetime.now(settings.zone).replace(microsecond=0)
    waiting = result.waiting
    people = f"{waiting} subscriber{'s' if waiting != 1 else ''}"
    reason, check_first = cause_in_words(pause.cause, settings.mailbox or "")
    return (
        f"sending stopped: {reason} ({pause.reply}). {check_first}{result.counts['sent']} have the "
        f"issue; {people} {'are' if waiting != 1 else 'is'} kept as not sent yet, none marked failed. "
        f"Try again {try_again_at(pause.wait, now)} with `{command}`: it sends only to those "
        f"{people}, and nobody gets it twice"
    )
