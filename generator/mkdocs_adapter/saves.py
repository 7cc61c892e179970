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

from watchdog.events import FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver
from watchdog.observers.polling import PollingObserver

#: How often to look for changes where the system cannot say (seconds).
POLL_SECONDS = 0.1


def saves_observer(folder: Path) -> BaseObserver:
    """An observer for the preview server: the system's own when it can watch `folder`,
    else one that looks every `POLL_SECONDS`."""
    if _system_watch_works(folder):
        return Observer()
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
