"""Replacing the built site as a whole, so a reader never sees half of a build."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

STAGING_PREFIX = ".sofs-build-"


def backup_of(target: Path) -> Path:
    return target.with_name(f".{target.name}.previous")


def recover(target: Path) -> None:
    """Put back the previous site if an earlier run stopped between its two renames."""
    backup = backup_of(target)
    if backup.exists() and not target.exists():
        os.replace(backup, target)


def staging_dir(target: Path) -> Path:
    """A new empty folder beside `target` (same file system, so the swap is a rename)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    for stale in target.parent.glob(f"{STAGING_PREFIX}{target.name}-*"):
        shutil.rmtree(stale, ignore_errors=True)
    return Path(tempfile.mkdtemp(prefix=f"{STAGING_PREFIX}{target.name}-", dir=target.parent))


def discard(staging: Path) -> None:
    shutil.rmtree(staging, ignore_errors=True)


def swap_in(staging: Path, target: Path) -> None:
    """Make `staging` the new `target`; the old one is kept until the new one is in place."""
    recover(target)
    backup = backup_of(target)
    if backup.exists():
        shutil.rmtree(backup)
    if target.exists():
        os.replace(target, backup)
    os.replace(staging, target)
    shutil.rmtree(backup, ignore_errors=True)
