"""The publication log: one JSON object per line, appended once per publication, never rewritten.

It lives beside the subscriber list (`data/publications.jsonl`), outside `site/` and
`content/`. Each record says which issue went out, when, who ran the publication, the
sign-offs it carried, the SHA-256 fingerprints of what went online (see
`fingerprints`), and how many people the email went to with what outcome.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..diagnostics import Diagnostic, error

LOG_NAME = "publications.jsonl"
RECORD_FORMAT = 1


def log_path(subscribers_path: Path) -> Path:
    """Where the publication log lives: beside the subscriber list."""
    return subscribers_path.with_name(LOG_NAME)


def append_record(path: Path, record: dict[str, Any]) -> None:
    """Add one record as one line at the end of the log, flushed to disk."""
    line = json.dumps({"format": RECORD_FORMAT, **record}, ensure_ascii=False, sort_keys=True) + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        data = line.encode("utf-8")
        if os.fstat(descriptor).st_size and not _ends_with_newline(path):
            data = b"\n" + data  # a line cut short by a crash stays on its own line
        os.write(descriptor, data)
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _ends_with_newline(path: Path) -> bool:
    with path.open("rb") as file:
        file.seek(-1, os.SEEK_END)
        return file.read(1) == b"\n"


@dataclass(frozen=True)
class LogContents:
    """Every readable record of the log, in order, and a problem for each unreadable line."""

    records: tuple[dict[str, Any], ...]
    problems: tuple[Diagnostic, ...]


def read_log(path: Path, shown: str) -> LogContents:
    """Read the log; an unreadable line is reported by its number and skipped."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return LogContents((), ())
    except (OSError, UnicodeDecodeError) as exc:
        return LogContents(
            (), (error(shown, 0, "audit.unreadable", f"the publication log cannot be read ({exc})"),)
        )
    records: list[dict[str, Any]] = []
    problems: list[Diagnostic] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            record = None
            reason = exc.msg
        else:
            reason = "it is not a publication record"
        if not isinstance(record, dict) or not isinstance(record.get("issue"), int):
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
