"""The subscriber list: a local SQLite file, outside `site/` and `content/`.

Addresses are validated by `basics.addresses` (email-validator, no network look-ups) and kept once each:
two addresses that differ only in letter case are the same subscriber.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from ..basics.addresses import AddressProblem, checked_address
from ..basics.diagnostics import Diagnostic, error
from ..basics.private_data import private_file
from .subscriber_csv import CsvUnreadable, read_rows, read_text

_SCHEMA = """
CREATE TABLE IF NOT EXISTS subscribers (
    key TEXT PRIMARY KEY,
    address TEXT NOT NULL
);
"""


class SubscriberError(Exception):
    """An address or a file that cannot be used; the message says what to do."""


class NoSubscribers(SubscriberError):
    """The subscriber list is empty, so there is nobody to send to."""


def normalise(address: str) -> str:
    """A valid address in its normal form; raises `SubscriberError` with the reason."""
    text = address.strip()
    if not text:
        raise SubscriberError("the address is empty")
    try:
        return checked_address(text).normal
    except AddressProblem as exc:
        raise SubscriberError(f'"{text}" is not a usable email address: {exc}') from None


def key_of(address: str) -> str:
    """The subscriber's identity: the address without regard to letter case."""
    return address.casefold()


@dataclass
class ImportResult:
    """What an import did: how many were added or already there, and each bad row."""

    added: int = 0
    already: int = 0
    problems: list[Diagnostic] = field(default_factory=list)


class SubscriberList:
    """The subscriber list stored in one SQLite file."""

    def __init__(self, path: Path) -> None:
        self.path = path

    @contextmanager
    def _connect(self, create: bool) -> Iterator[sqlite3.Connection]:
        if not create and not self.path.exists():
            connection = sqlite3.connect(":memory:")
        else:
            try:
                if self.path.is_dir():
                    raise IsADirectoryError(21, "it is a folder, not a file")
                private_file(self.path)
                connection = sqlite3.connect(self.path)
            except (OSError, sqlite3.Error) as exc:
                reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
                raise SubscriberError(
                    f"the subscriber list {self.path} cannot be opened ({reason}); move it away "
                    "or restore it from a backup"
                ) from None
        with closing(connection):
            try:
                connection.executescript(_SCHEMA)
                with connection:
                    yield connection
            except sqlite3.DatabaseError as exc:
                raise SubscriberError(
                    f"the subscriber list {self.path} cannot be used ({exc}); "
                    "check the file is a subscriber list and not in use"
                ) from None

    def add(self, address: str) -> tuple[str, bool]:
        """Add one address; returns its normal form and whether it was new."""
        normal = normalise(address)
        with self._connect(create=True) as db:
            cursor = db.execute(
                "INSERT OR IGNORE INTO subscribers (key, address) VALUES (?, ?)", (key_of(normal), normal)
            )
            return normal, cursor.rowcount == 1

    def remove(self, address: str) -> bool:
        """Remove one address (any letter case); returns whether it was on the list."""
        with self._connect(create=False) as db:
            cursor = db.execute("DELETE FROM subscribers WHERE key = ?", (key_of(address.strip()),))
            return cursor.rowcount == 1

    def addresses(self) -> list[str]:
        """Every subscriber's address, in order of the address."""
        with self._connect(create=False) as db:
            return [row[0] for row in db.execute("SELECT address FROM subscribers ORDER BY key")]

    def entries(self) -> dict[str, str]:
        """Every subscriber as key (case-folded) -> address."""
        with self._connect(create=False) as db:
            return dict(db.execute("SELECT key, address FROM subscribers ORDER BY key").fetchall())

    def recipients(self, shown_path: str) -> dict[str, str]:
        """`entries()` for a send: an empty list is a `NoSubscribers` error naming `shown_path`."""
        entries = self.entries()
        if not entries:
            raise NoSubscribers(
                f"there are no subscribers in {shown_path}; add some with "
                "`sofs subscribers add` or `sofs subscribers import`"
            )
        return entries

    def import_csv(self, csv_path: Path, shown_path: str) -> ImportResult:
        """Add every valid address of a CSV file; report each bad row by its line.

        The file may have a header row naming an `email` column; otherwise the first
        column holds the addresses. Cells may be separated by `,`, `;` or tabs, and the
        text may be UTF-8 (with or without a byte-order mark) or Windows-1252, as
        Excel saves it (`subscriber_csv`). Good rows are kept even when others are bad.
        """
        try:
            text, encoding = read_text(csv_path, shown_path)
        except CsvUnreadable as exc:
            raise SubscriberError(str(exc)) from None
        parsed = read_rows(text, shown_path, encoding)
        result = ImportResult(problems=list(parsed.problems))
        rows = parsed.cells
        with self._connect(create=True) as db:
            for line, cell in rows:
                try:
                    normal = normalise(cell)
                except SubscriberError as exc:
                    message = str(exc) if cell else "the row has no address in the email column"
                    result.problems.append(
                        error(shown_path, line, "subscriber.invalid", message + "; row skipped")
                    )
                    continue
                cursor = db.execute(
                    "INSERT OR IGNORE INTO subscribers (key, address) VALUES (?, ?)", (key_of(normal), normal)
                )
                if cursor.rowcount == 1:
                    result.added += 1
                else:
                    result.already += 1
        result.problems.sort()
        return result
