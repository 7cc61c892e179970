"""Progress while sending, on stderr: a bar on a terminal, a line now and then otherwise."""

from __future__ import annotations

from typing import TextIO

from .delivery import SendSummary


class Progress:
    """Shows how many of `total` messages are done."""

    def __init__(self, total: int, stream: TextIO) -> None:
        self.total = total
        self.stream = stream
        self.tty = stream.isatty()
        self.last_tenth = -1

    def __call__(self, summary: SendSummary) -> None:
        done = summary.sent + len(summary.failed) + len(summary.uncertain) + len(summary.deferred)
        line = (
            f"{done}/{self.total} done: {summary.sent} sent, {len(summary.failed)} failed, "
            f"{len(summary.uncertain)} uncertain"
        )
        if self.tty:
            width = 30
            filled = width * done // max(self.total, 1)
            self.stream.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {line}")
            if done >= self.total:
                self.stream.write("\n")
        else:
            tenth = 10 * done // max(self.total, 1)
            if tenth == self.last_tenth:
                return
            self.last_tenth = tenth
            self.stream.write(line + "\n")
        self.stream.flush()

    def finish(self) -> None:
        if self.tty:
            self.stream.write("\n")
            self.stream.flush()
