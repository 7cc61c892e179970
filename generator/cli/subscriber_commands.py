"""`sofs subscribers add|remove|list|import`: keeping the local subscriber list."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from ..basics.diagnostics import Report
from ..mail.subscribers import SubscriberError, SubscriberList
from ..settings.reader import Settings, load_settings

EXIT_OK, EXIT_PROBLEMS = 0, 1
_FORMATTER = argparse.RawDescriptionHelpFormatter


def _settings(args: argparse.Namespace) -> Settings | None:
    settings, problems = load_settings(Path(args.root).resolve())
    report = Report.of(problems)
    if report.errors:
        sys.stdout.write(Report(report.errors).as_text())
        print("error: fix mkdocs.yml first; the subscriber list was not touched", file=sys.stderr)
        return None
    return settings


def _store(args: argparse.Namespace) -> tuple[SubscriberList, str] | None:
    settings = _settings(args)
    if settings is None:
        return None
    return SubscriberList(settings.subscribers_path), settings.subscribers_db


def cmd_add(args: argparse.Namespace) -> int:
    opened = _store(args)
    if opened is None:
        return EXIT_PROBLEMS
    store, _shown = opened
    status = EXIT_OK
    for address in args.addresses:
        try:
            normal, new = store.add(address)
        except SubscriberError as exc:
            print(f"error: {exc}; not added", file=sys.stderr)
            status = EXIT_PROBLEMS
            continue
        print(f"Added {normal}." if new else f"{normal} is already subscribed.")
    return status


def cmd_remove(args: argparse.Namespace) -> int:
    opened = _store(args)
    if opened is None:
        return EXIT_PROBLEMS
    store, _ = opened
    status = EXIT_OK
    for address in args.addresses:
        try:
            removed = store.remove(address)
        except SubscriberError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return EXIT_PROBLEMS
        if removed:
            print(f"Removed {address.strip()}.")
        else:
            print(f"error: {address.strip()} is not on the list", file=sys.stderr)
            status = EXIT_PROBLEMS
    return status


def cmd_list(args: argparse.Namespace) -> int:
    opened = _store(args)
    if opened is None:
        return EXIT_PROBLEMS
    store, shown = opened
    try:
        addresses = store.addresses()
    except SubscriberError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_PROBLEMS
    for address in addresses:
        print(address)
    print(f"{len(addresses)} subscriber{'s' if len(addresses) != 1 else ''} in {shown}.", file=sys.stderr)
    return EXIT_OK


def cmd_import(args: argparse.Namespace) -> int:
    opened = _store(args)
    if opened is None:
        return EXIT_PROBLEMS
    store, shown = opened
    try:
        result = store.import_csv(Path(args.csv), args.csv)
    except SubscriberError as exc:
        print(f"error: {exc}; nothing was imported", file=sys.stderr)
        return EXIT_PROBLEMS
    for problem in result.problems:
        print(problem)
    print(
        f"Imported {args.csv} into {shown}: {result.added} added, {result.already} already subscribed, "
        f"{len(result.problems)} row{'s' if len(result.problems) != 1 else ''} skipped."
    )
    return EXIT_PROBLEMS if result.problems else EXIT_OK


def add_subscriber_commands(commands: Any) -> None:
    """Add `sofs subscribers ...` to the command line's subcommands."""
    subscribers = commands.add_parser(
        "subscribers",
        help="add, remove, list or import email subscribers",
        description="Keep the subscriber list, a local file outside site/ and content/ "
        "(set subscribers_db under the sofs plugin in mkdocs.yml; default data/subscribers.sqlite). "
        "Exit status: 0 done, 1 a bad address or file, 2 wrong usage.",
        epilog="example:\n  sofs subscribers add jo.bloggs@example.org\n  sofs subscribers import staff.csv",
        formatter_class=_FORMATTER,
    )
    actions = subscribers.add_subparsers(dest="action", metavar="ACTION", required=True)

    add = actions.add_parser(
        "add",
        help="add one or more addresses",
        description="Add addresses; letter case does not matter.",
        epilog="example:\n  sofs subscribers add jo.bloggs@example.org sam@example.org",
        formatter_class=_FORMATTER,
    )
    add.add_argument("addresses", nargs="+", metavar="ADDRESS", help="an email address")
    add.set_defaults(run=cmd_add)

    remove = actions.add_parser(
        "remove",
        help="remove one or more addresses",
        description="Remove addresses (any letter case).",
        epilog="example:\n  sofs subscribers remove jo.bloggs@example.org",
        formatter_class=_FORMATTER,
    )
    remove.add_argument("addresses", nargs="+", metavar="ADDRESS", help="an email address")
    remove.set_defaults(run=cmd_remove)

    listing = actions.add_parser(
        "list",
        help="print every subscriber, one a line",
        description="Print every address on stdout, and the count on stderr.",
        epilog="example:\n  sofs subscribers list > subscribers.txt",
        formatter_class=_FORMATTER,
    )
    listing.set_defaults(run=cmd_list)

    importing = actions.add_parser(
        "import",
        help="add every address of a CSV file",
        description="Add the addresses of a CSV file: the column headed email (or the first column). "
        "Each bad row is reported by its line and skipped; the good rows are kept. Files saved by "
        "Excel as CSV (semicolons, a byte-order mark, Windows-1252 text) are read as they are.",
        epilog="example:\n  sofs subscribers import staff.csv",
        formatter_class=_FORMATTER,
    )
    importing.add_argument(
        "csv", metavar="FILE.csv", help="a CSV file: comma, semicolon or tab separated, as Excel saves it"
    )
    importing.set_defaults(run=cmd_import)
