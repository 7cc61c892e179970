"""`sofs email render|send|status`: an issue as an email, sent once to each subscriber."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..basics.diagnostics import shown_path
from ..basics.wording import long_date
from ..checks.project import check_project
from ..content.model import Issue, Site
from ..generate.email_copies import EMAIL_FOLDER, email_file_name
from ..generate.email_render import EmailRenderError, RenderedIssue, render_issue
from ..generate.feeds import issue_datetime
from ..mail.delivery import SendOptions
from ..mail.ledger import LedgerError, ledger_path, read_ledger
from ..mail.message import build_message, message_bytes, new_message_id
from ..mail.sending import SendResult, pause_advice, send_issue
from ..mail.smtp import SmtpConfig, SmtpConfigError
from ..mail.subscribers import SubscriberError, SubscriberList
from ..publish.resend_guard import (
    LedgerCheck,
    ResendRisk,
    check_ledger,
    log_resend,
    resend_risk,
    set_damaged_ledger_aside,
)
from .argtypes import at_least_zero, issue_number, whole_number
from .environment import fixed_today

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
    result = check_project(Path(args.root).resolve(), include_drafts=preview, today=fixed_today())
    if result.report.errors:
        sys.stdout.write(result.report.as_text())
        raise _Stop("fix the problems above first; no email was made")
    site = result.site
    issue = next((i for i in site.issues if i.number == args.number), None)
    if issue is None:
        known = ", ".join(str(i.number) for i in site.issues) or "none yet"
        raise _Stop(f"there is no issue {args.number} (issues: {known})")
    visibility = result.context.visibility
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
        rendered = render_issue(result.context, issue)
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
    from ..site_build.destinations import project_folder_refusal
    from ..site_build.owned_folder import SITE_EXPLANATION, SITE_MARKER, add_to_marker, write_file

    prepared = _prepare(args, preview=args.preview)
    site, issue, rendered = prepared.site, prepared.issue, prepared.rendered
    root = Path(args.root).resolve()
    out = Path(args.out).expanduser() if args.out else root / site.settings.site_dir / EMAIL_FOLDER
    message = build_message(
        site.settings,
        rendered,
        to=site.settings.mailbox,
        message_id=new_message_id(site.settings, issue.number),
        date=issue_datetime(site.settings, issue),
    )
    files = {
        email_file_name(issue.number, ".html"): rendered.html.encode("utf-8"),
        email_file_name(issue.number, ".txt"): rendered.text.encode("utf-8"),
        email_file_name(issue.number, ".eml"): message_bytes(message),
    }
    refused = project_folder_refusal(
        site.settings, out, option="--out", advice="choose another folder", only_named_files=True
    )
    if refused:
        raise _Stop(f"{refused}. Nothing was written")
    linked = [name for name in files if (out / name).is_symlink() or (out / name).is_dir()]
    if linked:
        raise _Stop(
            f"{out / linked[0]} is a link or a folder, not a file sofs wrote; sofs does not write "
            "through links or replace them, so remove it or choose another folder with --out. "
            "Nothing was written"
        )
    try:
        out.mkdir(parents=True, exist_ok=True)
        for name, data in files.items():
            write_file(out / name, data)  # a new file renamed into place: never written through a link
        site_dir = (root / site.settings.site_dir).resolve()
        if out.resolve().is_relative_to(site_dir):  # a later build must know these are ours
            written = [(out.resolve() / name).relative_to(site_dir).as_posix() for name in files]
            add_to_marker(site_dir, SITE_MARKER, SITE_EXPLANATION, written)
    except OSError as exc:
        raise _Stop(f"cannot write to {out} ({exc.strerror}); choose another folder with --out") from None
    shown = args.out.rstrip("/") if args.out else f"{site.settings.site_dir}/{EMAIL_FOLDER}"
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
    settings = site.settings
    subscribers = _subscribers(site)
    check = check_ledger(settings, issue.number, subscribers)
    risk = resend_risk(settings, issue.number, check)
    if args.dry_run:
        return _dry_run(site, issue, subscribers, check, risk)
    try:
        config = SmtpConfig.from_env(os.environ)
    except SmtpConfigError as exc:
        raise _Stop(str(exc)) from None
    _confirm_resend(args, issue, risk)
    aside = set_damaged_ledger_aside(check) if risk else None
    if aside is not None:
        print(f"The unreadable ledger is kept as {shown_path(aside, settings.root)}.", file=sys.stderr)
    options = send_options(args)
    try:
        result = send_issue(
            settings,
            prepared.rendered,
            subscribers,
            config,
            options,
            heading=f"Sending issue {issue.number}",
            resend_uncertain=args.resend_uncertain,
        )
    except LedgerError as exc:
        raise _Stop(str(exc)) from None
    if result.summary.sent or risk:
        log_resend(
            settings,
            issue.number,
            {
                "title": issue.title,
                "recipients": result.tried,
                "sent": result.summary.sent,
                "failed": len(result.summary.failed),
                "uncertain": len(result.summary.uncertain),
                "not_sent_yet": result.waiting,
                "ledger_sent": result.counts["sent"],
                "send_again_to": args.send_again_to if risk else None,
                "ledger": risk.why if risk else "intact",
            },
        )
    return _report(issue, site, result)


def _confirm_resend(args: argparse.Namespace, issue: Issue, risk: ResendRisk | None) -> None:
    """Refuse a send that would reach people twice, unless --send-again-to names how many."""
    asked = args.send_again_to
    if risk is None:
        if asked is not None:
            print(
                f"note: --send-again-to is not needed: the ledger shows who has issue {issue.number}, "
                "so it goes only to those who do not.",
                file=sys.stderr,
            )
        return
    if asked is None:
        raise _Stop(risk.explain())
    if asked != risk.would_send:
        raise _Stop(
            f"--send-again-to {asked} does not match: issue {issue.number} would go again to "
            f"{risk.would_send} {'person' if risk.would_send == 1 else 'people'} ({risk.why}). Nothing "
            f"was sent; if you are sure, run `sofs email send {issue.number} --send-again-to {risk.would_send}`"
        )
    print(
        f"Sending issue {issue.number} again to {risk.would_send}, as asked with --send-again-to "
        f"({risk.why}); this is added to the publication log.",
        file=sys.stderr,
    )


def _report(issue: Issue, site: Site, result: SendResult) -> int:
    counts, summary = result.counts, result.summary
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
    left_out = result.left_out
    if left_out:
        print(f"{left_out} recipient{'s were' if left_out != 1 else ' was'} left out: no longer subscribed.")
    advice = pause_advice(result, site.settings, f"sofs email send {issue.number}")
    if advice:
        print(f"error: {advice}.", file=sys.stderr)
    elif summary.stopped:
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
    site: Site, issue: Issue, subscribers: dict[str, str], check: LedgerCheck, risk: ResendRisk | None
) -> int:
    snapshot = check.snapshot
    uncertain = [r.address for r in snapshot.in_state("uncertain", "sending")] if snapshot else []
    try:
        where = SmtpConfig.from_env(os.environ).describe()
    except SmtpConfigError as exc:
        where = f"(SMTP not ready: {exc})"
    print(
        f'Dry run: issue {issue.number} "{issue.title}" would go to {check.would_send} of '
        f"{len(subscribers)} subscribers through {where}; nothing was sent."
    )
    if uncertain:
        print(f"{len(uncertain)} uncertain recipient(s) would not be resent without --resend-uncertain.")
    if risk:
        print(f"A real send would be refused: {risk.explain()}.")
    return EXIT_OK


# -- status ----------------------------------------------------------------------------------
def cmd_status(args: argparse.Namespace) -> int:
    return _run(_status, args)


def _status(args: argparse.Namespace) -> int:
    from ..settings.reader import load_settings

    settings, _ = load_settings(Path(args.root).resolve())
    path = ledger_path(settings.subscribers_path, args.number)
    try:
        snapshot = read_ledger(path)
    except LedgerError as exc:
        raise _Stop(str(exc)) from None
    if snapshot is None:
        print(f"Issue {args.number} has not been sent: there is no send ledger yet.")
        return EXIT_OK
    counts = snapshot.counts()
    print(f"Issue {args.number}: " + ", ".join(f"{n} {state}" for state, n in counts.items()) + ".")
    for state in ("failed", "uncertain", "sending"):
        for row in snapshot.in_state(state):
            print(f"{state}: {row.address}: {row.reply}")
    stop = snapshot.last_stop
    if stop is not None and counts["pending"]:
        retry = dt.datetime.fromisoformat(stop.retry_after).astimezone(settings.zone)
        now = dt.datetime.now(settings.zone)
        when = f"after {retry:%H:%M} on {retry.day} {retry:%B}" if retry > now else "now"
        print(
            f"Sending stopped because the mail server refused the sender ({stop.reply}); "
            f"{counts['pending']} not sent yet. Try again {when} with `sofs email send {args.number}`."
        )
    return EXIT_OK


# -- the command line ------------------------------------------------------------------------
def add_send_options(command: argparse.ArgumentParser) -> None:
    """The pacing and retry options of sending, as `sofs email send` and `sofs publish` take them."""
    command.add_argument(
        "--rate",
        type=at_least_zero,
        default=30.0,
        metavar="PER_MINUTE",
        help="at most this many messages a minute; 0 for no limit (default: 30)",
    )
    command.add_argument(
        "--retries",
        type=whole_number,
        default=4,
        metavar="N",
        help="times to retry a recipient whose server says try later (default: 4)",
    )
    command.add_argument(
        "--retry-wait",
        type=at_least_zero,
        default=60.0,
        metavar="SECONDS",
        help="first wait before a retry, doubling each time (default: 60)",
    )


def send_options(args: argparse.Namespace) -> SendOptions:
    """The sending options `add_send_options` read."""
    return SendOptions(per_minute=args.rate, retries=args.retries, retry_wait=args.retry_wait)


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
        "sends twice to anyone who has it. When the mail server refuses the account (a sending "
        "limit), sending stops, the rest wait as not sent yet, and it says when to try again.\n\n"
        "SMTP settings come from the environment: SOFS_SMTP_HOST, SOFS_SMTP_PORT, "
        "SOFS_SMTP_USER, SOFS_SMTP_PASSWORD, SOFS_SMTP_TLS (starttls, ssl or none).",
        epilog="example:\n  SOFS_SMTP_HOST=smtp.office365.com SOFS_SMTP_USER=me@example.org \\\n"
        "  SOFS_SMTP_PASSWORD=... sofs email send 10 --rate 30",
        formatter_class=_FORMATTER,
    )
    send.add_argument("number", type=issue_number, metavar="N", help="the issue number")
    send.add_argument("--dry-run", action="store_true", help="say who would get it; send nothing")
    add_send_options(send)
    send.add_argument(
        "--send-again-to",
        type=whole_number,
        metavar="N",
        help="send again although the ledger is lost, to N people (the number the refusal names)",
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
