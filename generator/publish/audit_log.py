"""The publication log: one JSON object per line, appended once per publication, never rewritten.

It lives beside the subscriber list (`data/publications.jsonl`, mode 0600), outside
`site/` and `content/`. A publication record says which issue went out, when, who ran
the publication, the sign-offs it carried, the SHA-256 fingerprints of what went online
(see `fingerprints`), and how many people the email went to with what outcome. A re-send
of an issue already published is a record too (`"event": "resend"`).

`append_record` is the one way to add a record: under an exclusive lock on the log it
adds the hash-chain link (see `chain`), the record format and who ran the command (see
`identity`), so two writers cannot fork the chain.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..basics.diagnostics import Diagnostic, error
from ..basics.private_data import narrow_descriptor, private_file, private_folder
from ..checks.approval_records import PUBLICATION_LOG
from .chain import FORMAT, ChainCheck, check_chain, digest, link_fields, parse_line, seal_of, split_lines
from .identity import who_ran

LOG_NAME = PUBLICATION_LOG  # the one spelling, which `sofs check` reads approvals from
RECORD_FORMAT = FORMAT
EVENTS = ("publication", "resend")  # the events sofs writes; the check accepts any lowercase word


def log_path(subscribers_path: Path) -> Path:
    """Where the publication log lives: beside the subscriber list."""
    return subscribers_path.with_name(LOG_NAME)


def event_of(record: dict[str, Any]) -> str:
    """What a record is of: "publication" (also every record written before events) or "resend"."""
    return str(record.get("event", "publication"))


def append_record(path: Path, record: dict[str, Any]) -> str:
    """Add one record as one line at the end of the log, flushed to disk; returns the new chain head.

    `record` holds the event's own fields (`issue` at least; `event` defaults to
    "publication"). The record format, the chain link (`seq`, `prev_sha256`), who ran
    the command (`run_by`) and the record's own seal (`record_sha256`) are added here, under an exclusive lock held until the line is
    on disk, so concurrent writers queue rather than fork the chain.
    """
    event = event_of(record)
    if not re.fullmatch(r"[a-z][a-z-]*", event):
        raise ValueError(
            f"a publication log event is a lowercase word, like {' or '.join(EVENTS)}: not {event!r}"
        )
    if not isinstance(record.get("issue"), int):
        raise ValueError("a publication log record needs the issue's number (`issue`)")
    private_folder(path.parent)
    identity = who_ran(path.parent)
    descriptor = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        narrow_descriptor(descriptor, path)
        existing = _read_all(descriptor)
        full = {
            "event": event,
            **record,
            "format": RECORD_FORMAT,
            "run_by": identity,
            **link_fields(existing),
        }
        full["record_sha256"] = seal_of(full)
        line = json.dumps(full, ensure_ascii=False, sort_keys=True).encode("utf-8")
        data = line + b"\n"
        if existing and not existing.endswith(b"\n"):
            data = b"\n" + data  # a line cut short by a crash stays on its own line
        os.write(descriptor, data)
        os.fsync(descriptor)
        return digest(line)
    finally:
        os.close(descriptor)


def _read_all(descriptor: int) -> bytes:
    os.lseek(descriptor, 0, os.SEEK_SET)
    chunks = []
    while chunk := os.read(descriptor, 1 << 16):
        chunks.append(chunk)
    return b"".join(chunks)


def check_log(path: Path, shown: str) -> ChainCheck:
    """Check the log's hash chain (see `chain.check_chain`); a missing log is an empty one."""
    try:
        private_file(path, create=False)
        data = path.read_bytes()
    except FileNotFoundError:
        data = b""
    except OSError as exc:
        problem = error(shown, 0, "audit.unreadable", f"the publication log cannot be read ({exc.strerror})")
        return ChainCheck((problem,), "", 0, ())
    return check_chain(data, shown)


@dataclass(frozen=True)
class LogContents:
    """Every readable record of the log, in order, and a problem for each unreadable line."""

    records: tuple[dict[str, Any], ...]
    problems: tuple[Diagnostic, ...]


def read_log(path: Path, shown: str) -> LogContents:
    """Read the log; an unreadable line is reported by its number and skipped."""
    try:
        private_file(path, create=False)
        data = path.read_bytes()
    except FileNotFoundError:
        return LogContents((), ())
    except OSError as exc:
        return LogContents(
            (), (error(shown, 0, "audit.unreadable", f"the publication log cannot be read ({exc.strerror})"),)
        )
    records: list[dict[str, Any]] = []
    problems: list[Diagnostic] = []
    for number, line in enumerate(split_lines(data), start=1):  # only \n ends a line (not U+2028)
        record, reason = parse_line(line)
        if record is None:
            problems.append(
                error(
                    shown,
                    number,
                    "audit.corrupt",
                    f"this line of the publication log cannot be read ({reason}); it is skipped. "
                    "The log is append-only: do not edit it by hand",
                )
            )
            continue
        records.append(record)
    return LogContents(tuple(records), tuple(problems))


def has_publication(path: Path, shown: str, publication: str) -> bool:
    """Whether the log already holds the record of `publication` (a rerun must not add it twice)."""
    return any(r.get("publication") == publication for r in read_log(path, shown).records)


def was_published(path: Path, issue: int) -> bool:
    """Whether the log says issue `issue` went out by email: a publication that sent it, or a re-send.

    `path` is the log (`log_path(settings.subscribers_path)`); unreadable lines are ignored here
    (`sofs audit --verify` reports them).
    """
    for record in read_log(path, path.name).records:
        if record.get("issue") != issue:
            continue
        event = event_of(record)
        email = record.get("email")
        if event == "resend" or (event == "publication" and isinstance(email, dict) and email.get("sent")):
            return True
    return False
