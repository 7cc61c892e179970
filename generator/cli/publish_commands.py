"""The command line of `sofs publish N` and `sofs audit [N]`."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path
from typing import Any

from ..publish.audit import show_audit, verify, verify_log
from ..publish.publication import PublishOptions, publish
from .argtypes import issue_number
from .email_commands import add_send_options, send_options
from .environment import fixed_today

_FORMATTER = argparse.RawDescriptionHelpFormatter


def _who() -> str:
    """The name of the person running the command, as the computer knows it."""
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "unknown"


def cmd_publish(args: argparse.Namespace) -> int:
    options = PublishOptions(
        number=args.number,
        by=args.by or _who(),
        dry_run=args.dry_run,
        email=not args.no_email,
        send=send_options(args),
        allow_self_approval=args.allow_self_approval,
    )
    from ..mkdocs_adapter.render import render_site

    return publish(Path(args.root).resolve(), options, os.environ, render=render_site, today=fixed_today())


def cmd_audit(args: argparse.Namespace) -> int:
    root = Path(args.root).resolve()
    if args.expect_head is not None and not args.verify:
        print(
            "sofs audit: error: --expect-head goes with --verify, like "
            "`sofs audit --verify --expect-head HASH`",
            file=sys.stderr,
        )
        return 2
    if args.verify:
        if args.number is None:
            return verify_log(root, args.expect_head)
        return verify(root, args.number, args.expect_head)
    return show_audit(root, args.number)


def chain_head(text: str) -> str:
    """An argparse type: a chain head as `sofs audit` prints it (64 hexadecimal digits)."""
    value = text.strip().lower()
    if len(value) != 64 or any(c not in "0123456789abcdef" for c in value):
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a chain head: give the 64-character SHA-256 that `sofs audit` printed"
        )
    return value


def add_publish_commands(commands: Any) -> None:
    """Add `sofs publish` and `sofs audit` to the command line's subcommands."""
    publish_parser = commands.add_parser(
        "publish",
        help="publish a signed-off issue: check, approvals, status, build, email, record",
        description="Publish issue N in one go. In order: check everything (the issue, its stories "
        "and mkdocs.yml must be free of errors and warnings), check its sign-offs (recorded with "
        "`sofs approve N`, unchanged since, and, where git history shows who wrote it, approved by "
        "someone other than its only author), change its "
        "`status:` line to published, build the site, email it once to every subscriber, and add "
        "a record to the publication log. It stops at the first step that fails and says what to "
        "do. Run it again after an interruption: it carries on where it stopped and never sends "
        "anyone the email twice.\n\n"
        "SMTP settings come from the environment, as for `sofs email send`: SOFS_SMTP_HOST, "
        "SOFS_SMTP_PORT, SOFS_SMTP_USER, SOFS_SMTP_PASSWORD, SOFS_SMTP_TLS.\n\n"
        "Exit status: 0 published, 1 stopped or not everyone got the email, 2 wrong usage.",
        epilog="example:\n  sofs publish 11 --dry-run\n  sofs publish 11\n  sofs publish 11 --no-email",
        formatter_class=_FORMATTER,
    )
    publish_parser.add_argument("number", type=issue_number, metavar="N", help="the issue number")
    publish_parser.add_argument(
        "--dry-run", action="store_true", help="show every step and what it would do; change nothing"
    )
    publish_parser.add_argument("--no-email", action="store_true", help="publish on the web only")
    publish_parser.add_argument(
        "--by", metavar="NAME", help="who is publishing, for the record (default: your login)"
    )
    publish_parser.add_argument(
        "--allow-self-approval",
        action="store_true",
        help="publish even though git shows the approver as the only author of the issue and its "
        "stories (four eyes); the publication log records that this was allowed",
    )
    add_send_options(publish_parser)
    publish_parser.set_defaults(run=cmd_publish)

    audit = commands.add_parser(
        "audit",
        help="show the publication log, or check it and the site",
        description="Show what was published, when, by whom, with which sign-offs, the SHA-256 "
        "fingerprints of the page, feed entry and email, and how sending went; then the chain head, "
        "the SHA-256 of the latest record, to keep somewhere else.\n\n"
        "With --verify, check the log's hash chain: every record edited, removed, moved or added "
        "by hand is reported by its line. With --verify N, also recompute issue N's fingerprints "
        "from site/ and say whether what is online still matches what was approved. With "
        "--expect-head HASH, also check the log still holds the record a head kept earlier.\n\n"
        "Exit status: 0 all well, 1 no record, a broken chain or something changed, 2 wrong usage.",
        epilog="example:\n  sofs audit\n  sofs audit 10\n  sofs audit --verify\n  sofs audit --verify 10\n"
        "  sofs audit --verify --expect-head 3f5c...(the 64 characters sofs audit printed)",
        formatter_class=_FORMATTER,
    )
    audit.add_argument("number", type=issue_number, metavar="N", nargs="?", help="only this issue")
    audit.add_argument(
        "--verify",
        action="store_true",
        help="check the log's hash chain; with N, also compare the site with the issue's latest record",
    )
    audit.add_argument(
        "--expect-head",
        type=chain_head,
        metavar="HASH",
        help="with --verify: a chain head printed earlier by `sofs audit`; the log must still hold it",
    )
    audit.set_defaults(run=cmd_audit)
