"""The durable state of one publication, so an interrupted `sofs publish` carries on.

One small JSON file per issue, beside the subscriber list (`data/publish-NNN.json`, mode
0600, never in `site/` or `content/`). It is replaced whole (written to a temporary file, flushed,
then renamed), so it is always the old state or the new one. A lock file beside it
stops two `sofs publish` runs of the same issue at once.
"""

from __future__ import annotations

import fcntl
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from ..basics.files import write_atomically
from ..basics.private_data import PRIVATE_FILE, private_file, private_folder

STATE_VERSION = 1


class StateError(Exception):
    """The state file cannot be used; the message says what to do."""


@dataclass
class PublishState:
    """What is done so far for one publication of one issue."""

    issue: int
    publication: str
    started: str
    by: list[str] = field(default_factory=list)
    built: dict[str, str] | None = None  # artefact name -> SHA-256 after the build
    email_started: dict[str, str] | None = None  # email hashes when sending began
    emailed: bool = False
    recorded: bool = False

    def to_json(self) -> str:
        return json.dumps({"version": STATE_VERSION, **asdict(self)}, indent=2, sort_keys=True) + "\n"


def state_path(subscribers_path: Path, issue_number: int) -> Path:
    """Where the state of an issue's publication lives: beside the subscriber list."""
    return subscribers_path.with_name(f"publish-{issue_number:03d}.json")


def read_state(path: Path) -> PublishState | None:
    """The saved state, or None when no publication of this issue has started."""
    try:
        private_file(path, create=False)
        data: Any = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise StateError(
            f"{path} cannot be read ({exc}); if no publication of this issue is under way, delete it"
        ) from None
    try:
        if data.pop("version") != STATE_VERSION:
            raise ValueError("unknown version")
        return PublishState(**data)
    except (AttributeError, KeyError, TypeError, ValueError) as exc:
        raise StateError(
            f"{path} is not a publication state this version of sofs understands ({exc}); "
            "if no publication of this issue is under way, delete it"
        ) from None


def write_state(path: Path, state: PublishState) -> None:
    """Replace the saved state in one step (flushed to disk before the rename)."""
    private_folder(path.parent)
    write_atomically(
        path, state.to_json().encode("utf-8"), mode=PRIVATE_FILE, durable=True, prefix=f".{path.name}."
    )


@contextmanager
def publication_lock(path: Path) -> Iterator[None]:
    """Hold the lock of an issue's publication; refuse when another run holds it."""
    private_folder(path.parent)
    descriptor = os.open(path.with_name(path.name + ".lock"), os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise StateError(
                f"another `sofs publish` of this issue is running ({path.name}); wait for it to finish"
            ) from None
        yield
    finally:
        os.close(descriptor)
