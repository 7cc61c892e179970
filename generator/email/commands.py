"""`sofs email render|send|status`: an issue as an email, sent once to each subscriber."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..argtypes import at_least_zero, issue_number, whole_number
from ..check import check_project
from ..model import Issue, Site
from ..pages import long_date
from ..visibility import Visibility, today_in
from .delivery import Connection, SendOptions, SendSummary, deliver_all
from .ledger import Ledger, LedgerError, Recipient, ledger_path, open_ledger
from .message import build_message, message_bytes, new_message_id
from .progress import Progress
from .render import EmailRenderError, RenderedIssue, issue_date, render_issue
from .smtp_send import SmtpConfig, SmtpConfigError, SmtpConnection
from .subscribers import SubscriberError, SubscriberList

EXIT_OK, EXIT_PROBLEMS = 0, 1
_FORMATTER = argparse.RawDescriptionHelpFormatter


class _Stop(Exception):
    """Stop the command with a one-line error (already worded for people)."""


@dataclass(frozen=True)
class _Prepared:
    site: Site
    issue: Issue
    rendered: RenderedIssue


def _prepare(args: argparse.Namespace, *, preview: bool) -> _Prepared:
    """Check the content, find issue N, make sure it may go out, and render it."""
    result = check_project(Path(args.root).resolve())
    if result.report.errors:
        sys.stdout.write(result.report.as_text())
        raise _Stop("fix the problems above first; no email was made")
    site = result.site
    issue = next((i for i in site.issues if i.number == args.number), None)
    if issue is None:
        known = ", ".join(str(i.number) for i in site.issues) or "none yet"
        raise _Stop(f"there is no issue {args.number} (issues: {known})")
    visibility = Visibility(today_in(site), include_drafts=preview)
    if not preview:
        if issue.is_draft:
            raise _Stop(
                f"issue {issue.number} is a draft; set `status: published` in {issue.origin.path} "
                "first (or render a private copy with --preview)"
            )
        if issue.date > visibility.today:
            raise _Stop(
                f"issue {issue.number} is dated {long_date(issue.date)}, after today; it cannot go "
                "out before then (or render a private copy with --preview)"
            )
    try:
        rendered = render_issue(site, issue, visibility)
    except EmailRenderError as exc:
        raise _Stop(str(exc)) from None
    return _Prepared(site, issue, rendered)


def _run(command: Any, args: argparse.Namespace) -> int:
    try:
        return int(command(args))
    except _Stop as stop:
        print(f"error: {stop}", file=sys.stderr)
        return EXIT_PROBLEMS


# -- render ----------------------------------------------------------------------------------
def cmd_render(args: argparse.Namespace) -> int:
    return _run(_render, args)


def _render(args: argparse.Namespace) -> int:
    from ..destinations import project_folder_refusal
    from ..owned_folder import SITE_EXPLANATION, SITE_MARKER, add_to_marker

    prepared = _prepare(args, preview=args.preview)
    site, issue, rendered = prepared.site, prepared.issue, prepared.rendered
    root = Path(args.root).resolve()
    out = Path(args.out) if args.out else root / site.settings.site_dir / "email"
    message = build_message(
        site.settings,
        rendered,
        to=site.settings.mailbox,
        message_id=new_message_id(site.settings, issue.number),
        date=issue_date(site, issue),
    )
    files = {
        f"{issue.number:03d}.html": rendered.html.encode("utf-8"),
        f"{issue.number:03d}.txt": rendered.text.encode("utf-8"),
        f"{issue.number:03d}.eml": message_bytes(message),
    }
    refused = project_folder_refusal(
        site.settings, out, option="--out", advice="choose another folder", only_named_files=True
    )
    if refused:
        raise _Stop(f"{refused}. Nothing was written")
    try:
        out.mkdir(parents=True, exist_ok=True)
        for name, data in files.items():
            (out / name).write_bytes(data)
        site_dir = (root / site.settings.site_dir).resolve()
        if out.resolve().is_relative_to(site_dir):  # a later build must know these are ours
            written = [(out.resolve() / name).relative_to(site_dir).as_posix() for name in files]
            add_to_marker(site_dir, SITE_MARKER, SITE_EXPLANATION, written)
    except OSError as exc:
        raise _Stop(f"cannot write to {out} ({exc.strerror}); choose another folder with --out") from None
    shown = args.out.rstrip("/") if args.out else f"{site.settings.site_dir}/email"
    note = " (preview: do not send this copy)" if args.preview else ""
    print(f"Wrote {', '.join(files)} to {shown}/ ({rendered.html_bytes / 1024:.1f} KB of HTML){note}.")
    return EXIT_OK


# -- send ------------------------------------------------------------------------------------
def cmd_send(args: argparse.Namespace) -> int:
    return _run(_send, args)


def _subscribers(site: Site) -> dict[str, str]:
    try:
        return SubscriberList(site.settings.subscribers_path).recipients(site.settings.subscribers_db)
    except SubscriberError as exc:
        raise _Stop(str(exc)) from None


def _send(args: argparse.Namespace) -> int:
    prepared = _prepare(args, preview=False)
    site, issue = prepared.site, prepared.issue
    subscribers = _subscribers(site)
    path = ledger_path(site.settings.subscribers_path, issue.number)
    if args.dry_run:
        return _dry_run(args, site, issue, subscribers, path)
    try:
        config = SmtpConfig.from_env(os.environ)
    except SmtpConfigError as exc:
        raise _Stop(str(exc)) from None
    try:
        with open_ledger(path) as ledger:
            return _send_with(args, prepared, ledger, subscribers, config)
    except LedgerError as exc:
        raise _Stop(str(exc)) from None


def _send_with(
    args: argparse.Namespace,
    prepared: _Prepared,
    ledger: Ledger,
    subscribers: dict[str, str],
    config: SmtpConfig,
) -> int:
    site, issue = prepared.site, prepared.issue
    settings = site.settings
    for row in ledger.mark_interrupted():
        print(
            f"warning: the last run stopped while sending to {row.address}; it is marked uncertain "
            "and will not be resent (see `sofs email status`)",
            file=sys.stderr,
        )
    if args.resend_uncertain:
        again = ledger.requeue_uncertain()
        if again:
            print(
                f"Resending to {again} uncertain recipient{'s' if again != 1 else ''}, as asked.",
                file=sys.stderr,
            )
    ledger.enrol(subscribers, lambda: new_message_id(settings, issue.number))
    pending = [r for r in ledger.in_state("pending") if r.key in subscribers]
    left_out = len(ledger.in_state("pending")) - len(pending)
    already = ledger.counts()["sent"]
    print(
        f"Sending issue {issue.number} to {len(pending)} subscriber{'s' if len(pending) != 1 else ''} "
        f"through {config.describe()} ({already} already sent).",
        file=sys.stderr,
    )
    mailbox = settings.mailbox or ""

    def message_for(recipient: Recipient) -> bytes:
        when = dt.datetime.now(settings.zone).replace(microsecond=0)
        return message_bytes(
            build_message(
                settings, prepared.rendered, to=recipient.address, message_id=recipient.message_id, date=when
            )
        )

    def connect() -> Connection:
        return SmtpConnection(config)

    progress = Progress(len(pending), sys.stderr)
    options = SendOptions(per_minute=args.rate, retries=args.retries, retry_wait=args.retry_wait)
    summary = deliver_all(
        ledger,
        pending,
        sender=mailbox,
        message_for=message_for,
        connect=connect,
        options=options,
        on_progress=progress,
    )
    progress.finish()
    return _report(issue, ledger, summary, left_out)


def _report(issue: Issue, ledger: Ledger, summary: SendSummary, left_out: int) -> int:
    counts = ledger.counts()
    print(
        f"Issue {issue.number}: {summary.sent} sent in this run; in all {counts['sent']} sent, "
        f"{counts['failed']} failed, {counts['uncertain']} uncertain, {counts['pending']} not sent yet."
    )
    for address, reply in summary.failed:
        print(f"failed: {address}: {reply}")
    for address, reply in summary.uncertain:
        print(f"uncertain: {address}: {reply}")
    for address, reply in summary.deferred:
        print(f"not sent yet: {address}: {reply}")
    if left_out:
        print(f"{left_out} recipient{'s were' if left_out != 1 else ' was'} left out: no longer subscribed.")
    if summary.stopped:
        print(
            f"error: sending stopped: {summary.stopped}. Run the same command again to carry on; "
            "nobody who has it will get it twice.",
            file=sys.stderr,
        )
    elif summary.deferred:
        print(
            "Some servers asked us to try later: run the same command again later to carry on.",
            file=sys.stderr,
        )
    if counts["uncertain"]:
        print(
            "Uncertain messages may or may not have arrived: check with those people, then rerun with "
            "--resend-uncertain to send them again if needed.",
            file=sys.stderr,
        )
    clean = not (summary.stopped or counts["failed"] or counts["uncertain"] or summary.deferred)
    return EXIT_OK if clean else EXIT_PROBLEMS


def _dry_run(
    args: argparse.Namespace, site: Site, issue: Issue, subscribers: dict[str, str], path: Path
) -> int:
    done: set[str] = set()
    uncertain: list[str] = []
    if path.exists():
        try:
            with open_ledger(path, exclusive=False) as ledger:
                for state in ("sent", "failed", "uncertain", "sending"):
                    rows = ledger.in_state(state)
                    done |= {r.key for r in rows}
                    if state in ("uncertain", "sending"):
                        uncertain += [r.address for r in rows]
        except LedgerError as exc:
            raise _Stop(str(exc)) from None
    would = [address for key, address in subscribers.items() if key not in done]
    try:
        where = SmtpConfig.from_env(os.environ).describe()
    except SmtpConfigError as exc:
        where = f"(SMTP not ready: {exc})"
    print(
        f'Dry run: issue {issue.number} "{issue.title}" would go to {len(would)} of '
        f"{len(subscribers)} subscribers through {where}; nothing was sent."
    )
    if uncertain:
        print(f"{len(uncertain)} uncertain recipient(s) would not be resent without --resend-uncertain.")
    return EXIT_OK


# -- status ----------------------------------------------------------------------------------
def cmd_status(args: argparse.Namespace) -> int:
    return _run(_status, args)


def _status(args: argparse.Namespace) -> int:
    from ..settings import load_settings

    settings, _ = load_settings(Path(args.root).resolve())
    path = ledger_path(settings.subscribers_path, args.number)
    if not path.exists():
        print(f"Issue {args.number} has not been sent: there is no send ledger yet.")
        return EXIT_OK
    try:
        with open_ledger(path, create=False, exclusive=False) as ledger:
            counts = ledger.counts()
            print(f"Issue {args.number}: " + ", ".join(f"{n} {state}" for state, n in counts.items()) + ".")
            for state in ("failed", "uncertain", "sending"):
                for row in ledger.in_state(state):
                    print(f"{state}: {row.address}: {row.reply}")
    except LedgerError as exc:
        raise _Stop(str(exc)) from None
    return EXIT_OK


# -- the command line ------------------------------------------------------------------------
def add_email_commands(commands: Any) -> None:
    """Add `sofs email render|send|status` to the command line's subcommands."""
    email = commands.add_parser(
        "email",
        help="render an issue as an email, send it, see how sending went",
        description="Turn an issue into an email and send it once to every subscriber. "
        "Exit status: 0 all done, 1 problems or unfinished sending, 2 wrong usage.",
        epilog="example:\n  sofs email render 10\n  sofs email send 10 --dry-run\n  sofs email status 10",
        formatter_class=_FORMATTER,
    )
    actions = email.add_subparsers(dest="action", metavar="ACTION", required=True)

    render = actions.add_parser(
        "render",
        help="write NNN.html, NNN.txt and NNN.eml for an issue",
        description="Write the issue's email as HTML, plain text and a complete .eml message "
        "(default folder: site/email/). Drafts and future issues need --preview.",
        epilog="example:\n  sofs email render 10\n  sofs email render 11 --preview --out /tmp/preview",
        formatter_class=_FORMATTER,
    )
    render.add_argument("number", type=issue_number, metavar="N", help="the issue number")
    render.add_argument("--out", metavar="DIR", help="folder to write to (default: site/email/)")
    render.add_argument(
        "--preview", action="store_true", help="allow a draft or future issue (never send it)"
    )
    render.set_defaults(run=cmd_render)

    send = actions.add_parser(
        "send",
        help="send an issue to every subscriber, once each",
        description="Send the issue to each subscriber over SMTP, recording every send in a ledger "
        "beside the subscriber list. Run it again after a failure: it carries on and never "
        "sends twice to anyone who has it.\n\n"
        "SMTP settings come from the environment: SOFS_SMTP_HOST, SOFS_SMTP_PORT, "
        "SOFS_SMTP_USER, SOFS_SMTP_PASSWORD, SOFS_SMTP_TLS (starttls, ssl or none).",
        epilog="example:\n  SOFS_SMTP_HOST=smtp.office365.com SOFS_SMTP_USER=me@example.org \\\n"
        "  SOFS_SMTP_PASSWORD=... sofs email send 10 --rate 30",
        formatter_class=_FORMATTER,
    )
    send.add_argument("number", type=issue_number, metavar="N", help="the issue number")
    send.add_argument("--dry-run", action="store_true", help="say who would get it; send nothing")
    send.add_argument(
        "--rate",
        type=at_least_zero,
        default=30.0,
        metavar="PER_MINUTE",
        help="at most this many messages a minute; 0 for no limit (default: 30)",
    )
    send.add_argument(
        "--retries",
        type=whole_number,
        default=4,
        metavar="N",
        help="times to retry a recipient whose server says try later (default: 4)",
    )
    send.add_argument(
        "--retry-wait",
        type=at_least_zero,
        default=60.0,
        metavar="SECONDS",
        help="first wait before a retry, doubling each time (default: 60)",
    )
    send.add_argument(
        "--resend-uncertain",
        action="store_true",
        help="send again to recipients whose message may not have arrived",
    )
    send.set_defaults(run=cmd_send)

    status = actions.add_parser(
        "status",
        help="show how sending an issue went",
        description="Show the ledger of an issue: how many were sent, failed, uncertain or not sent yet, "
        "and who failed or is uncertain.",
        epilog="example:\n  sofs email status 10",
        formatter_class=_FORMATTER,
    )
    status.add_argument("number", type=issue_number, metavar="N", help="the issue number")
    status.set_defaults(run=cmd_status)
