"""The command line of `sofs approve N`."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from ..publish.approval import approve
from .argtypes import issue_number
from .environment import fixed_today


def cmd_approve(args: argparse.Namespace) -> int:
    return approve(Path(args.root).resolve(), args.number, role=args.role, today=fixed_today())


def add_approve_command(commands: Any) -> None:
    """Add `sofs approve` to the command line's subcommands."""
    parser = commands.add_parser(
        "approve",
        help="sign an issue off: record who approved it, when, and exactly what they approved",
        description="Approve issue N and its team stories as they are now, after reviewing them. "
        "The issue and its stories are checked first, as strictly as a ready issue. Then the "
        "approval is added to the publication log (data/publications.jsonl): who approved (your git "
        "identity, or your login when git has none), when, and the SHA-256 of each file approved; and "
        "the issue's front matter gets approved_by, approved_on and approved_sha256 (only those lines "
        "change).\n\n"
        "Any later edit of the issue or its stories voids the approval: `sofs check` says which file "
        "changed, and `sofs publish` refuses until it is approved again. `sofs publish` also refuses "
        "when, in git's history, the approver is the only author of the text (four eyes).\n\n"
        "Exit status: 0 approved, 1 not approved (the problems are listed), 2 wrong usage.",
        epilog='example:\n  sofs approve 11\n  sofs approve 11 --role "Head of Service"',
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("number", type=issue_number, metavar="N", help="the issue number")
    parser.add_argument(
        "--role",
        metavar="ROLE",
        help='your role, written after your name in approved_by (like "Jo Bloggs, Head of Service")',
    )
    parser.set_defaults(run=cmd_approve)
