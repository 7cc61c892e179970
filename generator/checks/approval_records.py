"""The approvals on record: `"event": "approval"` lines of the publication log.

`sofs approve N` adds one record to the publication log (`data/publications.jsonl`, written
only by `publish.audit_log.append_record`, hash-chained with the publications). Beside who
approved and when, it holds each approved file's SHA-256 (see `approval_digest`), which
is how a check can say which file changed since. The log is private data that may not be
on every computer (a fresh clone has none), so reading it is best effort: a missing or
unreadable log, or an unreadable line, just means nothing is on record here.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..settings.reader import Settings

APPROVAL_EVENT = "approval"
#: The publication log's file name, beside the subscriber list (`publish.audit_log` writes it).
PUBLICATION_LOG = "publications.jsonl"


def publication_log(settings: Settings) -> Path:
    """Where the publication log is: beside the subscriber list."""
    return settings.subscribers_path.with_name(PUBLICATION_LOG)


def recorded_approvals(log: Path, issue: int) -> list[dict[str, Any]]:
    """The approval records of issue `issue` in the log at `log`, oldest first."""
    try:
        data = log.read_bytes()
    except OSError:
        return []
    found = []
    for line in data.split(b"\n"):
        try:
            record = json.loads(line)
        except ValueError:
            continue
        if (
            isinstance(record, dict)
            and record.get("event") == APPROVAL_EVENT
            and record.get("issue") == issue
        ):
            found.append(record)
    return found


def approval_with(log: Path, issue: int, sha256: str) -> dict[str, Any] | None:
    """The latest approval of issue `issue` on record whose `approved_sha256` is `sha256`."""
    matching = [r for r in recorded_approvals(log, issue) if r.get("approved_sha256") == sha256]
    return matching[-1] if matching else None


def approved_files(record: dict[str, Any]) -> dict[str, str]:
    """The files an approval record covers, path to SHA-256 (empty when it holds none readable)."""
    files = record.get("files")
    if not isinstance(files, list):
        return {}
    return {
        str(entry["path"]): str(entry["sha256"])
        for entry in files
        if isinstance(entry, dict) and "path" in entry and "sha256" in entry
    }
