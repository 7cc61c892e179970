"""The email step of a publication: the issue sent once to every subscriber, through the ledger.

It sends through the same loop as `sofs email send` (`email.sending`): the per-issue send
ledger (so a rerun never sends twice to anyone who has it), the SMTP settings from the
environment, the rate limit, the retry rules and the stop on a refused sender. The
message bodies are the ones the build published in `site/email/`, checked by fingerprint
before anything is sent.
"""

from __future__ import annotations

from collections.abc import Mapping

from ..content.model import Issue, Site
from ..generate.email_render import RenderedIssue
from ..mail import sending
from ..mail.delivery import SendOptions
from ..mail.ledger import LedgerError, ledger_path, read_ledger
from ..mail.smtp import SmtpConfig, SmtpConfigError
from ..mail.subscribers import NoSubscribers, SubscriberError, SubscriberList


class MailingError(Exception):
    """The email step cannot go on; the message says what to do."""


MailingResult = sending.SendResult


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
    try:
        snapshot = read_ledger(ledger_path(site.settings.subscribers_path, issue.number))
    except LedgerError as exc:
        raise MailingError(str(exc)) from None
    return snapshot.counts() if snapshot is not None else None


def send_issue(
    site: Site,
    rendered: RenderedIssue,
    subscribers: dict[str, str],
    config: SmtpConfig,
    options: SendOptions,
) -> MailingResult:
    """Send to every subscriber who has not had the issue yet, through the one sending loop."""
    try:
        return sending.send_issue(site.settings, rendered, subscribers, config, options, heading="Sending")
    except LedgerError as exc:
        raise MailingError(str(exc)) from None
