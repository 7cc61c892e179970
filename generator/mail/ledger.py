"""The send ledger: one SQLite file per issue recording each recipient's state.

Every change is committed at once (SQLite in autocommit mode, synchronous writes), so
the ledger on disk always says what happened: `pending` (not sent yet), `sending` (the
message is on its way), `sent`, `failed` (a permanent refusal) and `uncertain` (the
process stopped while a message was on its way: it may or may not have arrived). When
the server refuses the sender (a quota), the stop is noted with the time to try again.
Every reader goes through `read_ledger`, which never changes the file.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import os
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from ..basics.private_data import private_file, private_folder

STATES = ("pending", "sending", "sent", "failed", "uncertain")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS recipients (
    key TEXT PRIMARY KEY,
    address TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('pending', 'sending', 'sent', 'failed', 'uncertain')),
    message_id TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    reply TEXT NOT NULL DEFAULT '',
    updated TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS stops (
    at TEXT NOT NULL,
    reply TEXT NOT NULL,
    retry_after TEXT NOT NULL
);
"""
_COLUMNS = "key, address, state, message_id, attempts, reply"


class LedgerError(Exception):
    """The ledger cannot be used; the message says why."""


class LedgerDamaged(LedgerError):
    """The ledger file is there but cannot be read; `reason` says why."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"the send ledger {path} cannot be read ({reason})")
        self.reason = reason


class LedgerBusy(LedgerError):
    """Another `sofs email send` of the same issue is running."""


@dataclass(frozen=True)
class StopNote:
    """A run stopped by the server: when, its reply, and when to try again (ISO times, UTC)."""

    at: str
    reply: str
    retry_after: str


@dataclass(frozen=True)
class Recipient:
    """One recipient's row in the ledger."""

    key: str
    address: str
    state: str
    message_id: str
    attempts: int
    reply: str


def ledger_path(subscribers_path: Path, issue_number: int) -> Path:
    """Where the ledger of an issue lives: beside the subscriber list."""
    return subscribers_path.with_name(f"send-ledger-{issue_number:03d}.sqlite")


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


class Ledger:
    """An open ledger; use `open_ledger` to get one."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self.db = connection

    def _set(self, key: str, state: str, reply: str | None = None, *, only_from: str | None = None) -> bool:
        sql = "UPDATE recipients SET state = ?, updated = ?"
        values: list[object] = [state, _now()]
        if reply is not None:
            sql += ", reply = ?"
            values.append(reply)
        if state == "sending":
            sql += ", attempts = attempts + 1"
        sql += " WHERE key = ?"
        values.append(key)
        if only_from:
            sql += " AND state = ?"
            values.append(only_from)
        return self.db.execute(sql, values).rowcount == 1

    def enrol(self, subscribers: dict[str, str], new_message_id: Callable[[], str]) -> int:
        """Add every subscriber not yet in the ledger as pending; returns how many were added."""
        known = {row[0] for row in self.db.execute("SELECT key FROM recipients")}
        added = 0
        self.db.execute("BEGIN")
        try:
            for key, address in subscribers.items():
                if key not in known:
                    self.db.execute(
                        "INSERT INTO recipients (key, address, state, message_id, updated) "
                        "VALUES (?, ?, 'pending', ?, ?)",
                        (key, address, new_message_id(), _now()),
                    )
                    added += 1
            self.db.execute("COMMIT")
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        return added

    def mark_interrupted(self) -> list[Recipient]:
        """Rows left in `sending` by a run that stopped become `uncertain`; returns them."""
        interrupted = self.in_state("sending")
        for row in interrupted:
            self._set(
                row.key,
                "uncertain",
                "the sending process stopped before the server's reply",
                only_from="sending",
            )
        return interrupted

    def requeue_uncertain(self) -> int:
        """Put every uncertain recipient back to pending (the operator chose to resend)."""
        return self.db.execute(
            "UPDATE recipients SET state = 'pending', updated = ? WHERE state = 'uncertain'", (_now(),)
        ).rowcount

    def claim(self, key: str) -> bool:
        """pending -> sending, committed before the message goes; False if not pending."""
        return self._set(key, "sending", only_from="pending")

    def sent(self, key: str, reply: str) -> None:
        self._set(key, "sent", reply, only_from="sending")

    def failed(self, key: str, reply: str) -> None:
        self._set(key, "failed", reply, only_from="sending")

    def uncertain(self, key: str, reply: str) -> None:
        self._set(key, "uncertain", reply, only_from="sending")

    def release(self, key: str, reply: str) -> None:
        """sending -> pending: the message certainly did not go (refused before its data)."""
        self._set(key, "pending", reply, only_from="sending")

    def reopen(self, key: str, reply: str) -> None:
        """failed -> pending: the refusal turned out to be about the sender, not this recipient."""
        self._set(key, "pending", reply, only_from="failed")

    def note_stop(self, reply: str, retry_after: dt.datetime) -> None:
        """Remember that the server stopped this run, and when it asked us to come back."""
        self.db.execute(
            "INSERT INTO stops (at, reply, retry_after) VALUES (?, ?, ?)",
            (_now(), reply, retry_after.astimezone(dt.UTC).isoformat(timespec="seconds")),
        )

    def in_state(self, state: str) -> list[Recipient]:
        rows = self.db.execute(
            f"SELECT {_COLUMNS} FROM recipients WHERE state = ? ORDER BY key",
            (state,),
        )
        return [Recipient(*row) for row in rows]

    def counts(self) -> dict[str, int]:
        """How many recipients are in each state (every state listed, zero or not)."""
        found = dict(self.db.execute("SELECT state, COUNT(*) FROM recipients GROUP BY state").fetchall())
        return {state: int(found.get(state, 0)) for state in STATES}


@dataclass(frozen=True)
class LedgerSnapshot:
    """A ledger as it was read: every row, and the last stop noted by the server."""

    rows: tuple[Recipient, ...]
    last_stop: StopNote | None = None

    def in_state(self, *states: str) -> list[Recipient]:
        return [row for row in self.rows if row.state in states]

    def counts(self) -> dict[str, int]:
        """How many recipients are in each state (every state listed, zero or not)."""
        return {state: sum(1 for row in self.rows if row.state == state) for state in STATES}


def read_ledger(path: Path) -> LedgerSnapshot | None:
    """Read a ledger without changing it; None when there is none, `LedgerError` when damaged.

    A file with no recipients table (empty, or made by an interrupted first run) reads
    as a ledger with no rows.
    """
    if not path.exists():
        return None
    if not path.is_file():
        raise LedgerDamaged(path, "it is a folder or other special file, not a ledger; move it away")
    try:
        connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            tables = {
                row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")
            }
            if "recipients" not in tables:
                return LedgerSnapshot(())
            rows = tuple(
                Recipient(*row)
                for row in connection.execute(f"SELECT {_COLUMNS} FROM recipients ORDER BY key")
            )
            stop = None
            if "stops" in tables:
                found = connection.execute(
                    "SELECT at, reply, retry_after FROM stops ORDER BY rowid DESC LIMIT 1"
                ).fetchone()
                stop = StopNote(*found) if found else None
            return LedgerSnapshot(rows, stop)
        finally:
            connection.close()
    except sqlite3.DatabaseError as exc:
        raise LedgerDamaged(path, str(exc)) from None


@contextmanager
def open_ledger(path: Path, *, create: bool = True, exclusive: bool = True) -> Iterator[Ledger]:
    """Open (or create) a ledger; with `exclusive`, refuse when another send holds it."""
    if not create and not path.exists():
        raise LedgerError(f"there is no ledger at {path}")
    private_folder(path.parent)
    lock_file = None
    if exclusive:
        lock_file = os.open(path.with_name(path.name + ".lock"), os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(lock_file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(lock_file)
            raise LedgerBusy(
                f"another `sofs email send` is using {path.name}; wait for it to finish"
            ) from None
    try:
        if path.exists() and not path.is_file():
            raise LedgerDamaged(path, "it is a folder or other special file, not a ledger; move it away")
        try:
            private_file(path)
            connection = sqlite3.connect(path, isolation_level=None)
        except (OSError, sqlite3.Error) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            raise LedgerError(f"the send ledger {path} cannot be opened ({reason})") from None
        try:
            connection.execute("PRAGMA synchronous = FULL")
            connection.executescript(_SCHEMA)
            yield Ledger(connection)
        except sqlite3.DatabaseError as exc:
            raise LedgerError(f"the send ledger {path} cannot be used ({exc})") from None
        finally:
            connection.close()
    finally:
        if lock_file is not None:
            os.close(lock_file)
