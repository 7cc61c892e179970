"""The email step of a publication: the issue sent once to every subscriber, through the ledger.

It uses the email package's parts as `sofs email send` does: the per-issue send ledger
(so a rerun never sends twice to anyone who has it), the SMTP settings from the
environment, the rate limit and the retry rules. The message bodies are the ones the
build published in `site/email/`, checked by fingerprint before anything is sent.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from ..email.delivery import Connection, SendOptions, SendSummary, deliver_all
from ..email.ledger import Ledger, LedgerError, Recipient, ledger_path, open_ledger
from ..email.message import build_message, message_bytes, new_message_id
from ..email.progress import Progress
from ..email.render import RenderedIssue
from ..email.smtp_send import SmtpConfig, SmtpConfigError, SmtpConnection
from ..email.subscribers import NoSubscribers, SubscriberError, SubscriberList
from ..model import Issue, Site


class MailingError(Exception):
    """The email step cannot go on; the message says what to do."""


@dataclass(frozen=True)
class MailingResult:
    """How sending ended: the ledger's counts and this run's summary."""

    counts: dict[str, int]
    summary: SendSummary
    waiting: int  # current subscribers not sent to yet
    left_out: int  # in the ledger but no longer subscribed: never sent to

    @property
    def recipients(self) -> int:
        """Everyone the issue went to or was tried for: sent, failed, uncertain, still waiting."""
        return self.counts["sent"] + self.counts["failed"] + self.counts["uncertain"] + self.waiting

    @property
    def finished(self) -> bool:
        """Nobody is left to try: every subscriber is sent, failed or uncertain."""
        return self.waiting == 0 and self.counts["sending"] == 0 and not self.summary.stopped


def subscribers_of(site: Site) -> dict[str, str]:
    """The subscriber list (key -> address); an empty or unreadable list is a `MailingError`."""
    try:
        return SubscriberList(site.settings.subscribers_path).recipients(site.settings.subscribers_db)
    except NoSubscribers as exc:
        raise MailingError(f"{exc}, or publish on the web only with --no-email") from None
    except SubscriberError as exc:
        raise MailingError(str(exc)) from None


def smtp_config(environ: Mapping[str, str]) -> SmtpConfig:
    """The SMTP settings from the environment, as `sofs email send` reads them."""
    try:
        return SmtpConfig.from_env(environ)
    except SmtpConfigError as exc:
        raise MailingError(f"{exc} (or publish on the web only with --no-email)") from None


def ledger_counts(site: Site, issue: Issue) -> dict[str, int] | None:
    """The issue's ledger counts, read without changing anything; None when there is no ledger."""
    path = ledger_path(site.settings.subscribers_path, issue.number)
    if not path.exists():
        return None
    try:
        connection = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
        try:
            return Ledger(connection).counts()
        finally:
            connection.close()
    except sqlite3.DatabaseError as exc:
        raise MailingError(f"the send ledger {path} cannot be read ({exc})") from None


def send_issue(
    site: Site,
    rendered: RenderedIssue,
    subscribers: dict[str, str],
    config: SmtpConfig,
    options: SendOptions,
) -> MailingResult:
    """Send to every subscriber who has not had the issue yet; returns how it went."""
    issue, settings = rendered.issue, site.settings
    path: Path = ledger_path(settings.subscribers_path, issue.number)
    try:
        with open_ledger(path) as ledger:
            for row in ledger.mark_interrupted():
                print(
                    f"warning: the last run stopped while sending to {row.address}; it is marked "
                    "uncertain and will not be resent (see `sofs email status`)",
                    file=sys.stderr,
                )
            ledger.enrol(subscribers, lambda: new_message_id(settings, issue.number))
            pending = [r for r in ledger.in_state("pending") if r.key in subscribers]
            print(
                f"Sending to {len(pending)} subscriber{'s' if len(pending) != 1 else ''} through "
                f"{config.describe()} ({ledger.counts()['sent']} already sent).",
                file=sys.stderr,
            )

            def message_for(recipient: Recipient) -> bytes:
                when = dt.datetime.now(settings.zone).replace(microsecond=0)
                message = build_message(
                    settings, rendered, to=recipient.address, message_id=recipient.message_id, date=when
                )
                return message_bytes(message)

            def connect() -> Connection:
                return SmtpConnection(config)

            progress = Progress(len(pending), sys.stderr)
            summary = deliver_all(
                ledger,
                pending,
                sender=settings.mailbox or "",
                message_for=message_for,
                connect=connect,
                options=options,
                on_progress=progress,
            )
            progress.finish()
            counts = ledger.counts()
            still = ledger.in_state("pending")
    except LedgerError as exc:
        raise MailingError(str(exc)) from None
    waiting = sum(1 for r in still if r.key in subscribers)
    return MailingResult(counts, summary, waiting, len(still) - waiting)
