"""The preview's file watcher hears saves, new and removed files, and not a file being read:
every rebuild reads the edited file, and hearing that would start a rebuild after each one."""

from __future__ import annotations

import os
import queue
import time
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler

from generator.mkdocs_adapter.saves import saves_observer


class _Heard(FileSystemEventHandler):
    def __init__(self) -> None:
        self.events: queue.Queue[FileSystemEvent] = queue.Queue()

    def on_any_event(self, event: FileSystemEvent) -> None:
        self.events.put(event)

    def drain(self, seconds: float) -> list[FileSystemEvent]:
        """Everything heard within `seconds` (at least one wait, however quiet)."""
        heard: list[FileSystemEvent] = []
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            try:
                heard.append(self.events.get(timeout=left))
            except queue.Empty:
                break
        return heard


def test_saves_are_heard_and_reads_are_not(tmp_path: Path) -> None:
    content = tmp_path / "content" / "issues"
    content.mkdir(parents=True)
    issue = content / "010.md"
    issue.write_text("first\n", encoding="utf-8")
    heard = _Heard()
    observer = saves_observer(tmp_path)
    observer.schedule(heard, str(tmp_path), recursive=True)
    observer.start()
    try:
        time.sleep(0.3)  # a polling observer takes its first look
        heard.drain(0.3)

        for _ in range(3):
            assert issue.read_text(encoding="utf-8") == "first\n"
        assert heard.drain(0.6) == [], "reading a file counted as a change"

        issue.write_text("second\n", encoding="utf-8")
        saved = heard.drain(1.0)
        assert any(Path(os.fsdecode(event.src_path)) == issue for event in saved), saved

        new = content / "011.md"
        new.write_text("new\n", encoding="utf-8")
        new.unlink()
        changed = {Path(os.fsdecode(event.src_path)) for event in heard.drain(1.0)}
        assert new in changed or content in changed, changed
    finally:
        observer.stop()
        observer.join(timeout=5)
