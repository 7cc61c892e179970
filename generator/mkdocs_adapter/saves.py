"""Noticing a saved file at once.

MkDocs' preview server looks for changed files by listing the watched folders every half
second, so a save waits a quarter of a second on average before anything is rebuilt.
Where the system tells programs about changed files as they happen (inotify on Linux,
FSEvents on macOS, ReadDirectoryChangesW on Windows), `saves_observer` gives the server an
observer that listens instead; where it cannot (too many folders watched already, or a
network drive that sends no events), it looks every tenth of a second.
"""

from __future__ import annotations

from pathlib import Path

from watchdog.events import (
    DirCreatedEvent,
    DirDeletedEvent,
    DirModifiedEvent,
    DirMovedEvent,
    FileAttribEvent,
    FileClosedEvent,
    FileCreatedEvent,
    FileDeletedEvent,
    FileModifiedEvent,
    FileMovedEvent,
    FileSystemEvent,
    FileSystemEventHandler,
)
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver, ObservedWatch
from watchdog.observers.polling import PollingObserver

#: How often to look for changes where the system cannot say (seconds).
POLL_SECONDS = 0.1


#: What a save (or a new, deleted or renamed file) looks like. Not a file opened or closed
#: unwritten: every rebuild reads the edited file, which would start another rebuild.
CHANGES: list[type[FileSystemEvent]] = [
    FileCreatedEvent,
    FileModifiedEvent,
    FileDeletedEvent,
    FileMovedEvent,
    FileClosedEvent,
    FileAttribEvent,
    DirCreatedEvent,
    DirDeletedEvent,
    DirModifiedEvent,
    DirMovedEvent,
]


class _ChangesObserver(Observer):  # type: ignore[misc,valid-type]  # the platform's observer class
    """The system's observer, told of changes only (`CHANGES`) wherever it is asked to watch."""

    def schedule(
        self,
        event_handler: FileSystemEventHandler,
        path: str | Path,
        *,
        recursive: bool = False,
        event_filter: list[type[FileSystemEvent]] | None = None,
        follow_symlink: bool = False,
    ) -> ObservedWatch:
        return super().schedule(  # type: ignore[no-any-return]
            event_handler,
            path,
            recursive=recursive,
            event_filter=event_filter or CHANGES,
            follow_symlink=follow_symlink,
        )


def saves_observer(folder: Path) -> BaseObserver:
    """An observer for the preview server: the system's own when it can watch `folder`
    (changes only), else one that looks every `POLL_SECONDS`."""
    if _system_watch_works(folder):
        return _ChangesObserver()
    return PollingObserver(timeout=POLL_SECONDS)


def _system_watch_works(folder: Path) -> bool:
    """Whether the system's file events can be had for `folder` (a trial observer starts)."""
    trial = Observer()
    try:
        trial.schedule(FileSystemEventHandler(), str(folder), recursive=False)
        trial.start()
    except OSError:
        return False
    finally:
        if trial.is_alive():
            trial.stop()
            trial.join(timeout=2)
    return True
