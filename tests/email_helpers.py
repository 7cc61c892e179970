"""A real SMTP server for the email tests: aiosmtpd on 127.0.0.1 with scripted faults.

The handler records every message it accepts, and can answer 451 (try later) or 550
(no such user) to chosen recipients, drop the connection at RCPT or after the data, or
hold one message (already stored) until the test lets it go. Like a provider with
limits, it can refuse the sender: a quota reached after so many messages (Microsoft
365's 554 5.2.0), `MAIL FROM` refused, or 421 "closing" a number of times; it counts
every MAIL command it is sent.
"""

from __future__ import annotations

import asyncio
import email
import os
import signal
import socket
import subprocess
import sys
import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.policy import default
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from conftest import FIXED_TODAY


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Recorder:
    """An aiosmtpd handler that stores what arrives and misbehaves on purpose."""

    temporary: dict[str, int] = field(default_factory=dict)
    permanent: set[str] = field(default_factory=set)
    drop_at_rcpt: set[str] = field(default_factory=set)
    drop_after_data: set[str] = field(default_factory=set)
    hold: str | None = None
    quota_after: int | None = None
    quota_reply: str = (
        "554 5.2.0 STOREDRV.Submission.Exception:SubmissionQuotaExceededException; "
        "Failed to process message due to a permanent exception: sending limit exceeded"
    )
    refuse_mail: str | None = None
    refuse_rcpt: str | None = None  # this reply to every RCPT TO while set (a blocked account)
    unrouteable: set[str] = field(default_factory=set)  # refused with no enhanced status code
    closing_after: int | None = None
    closings: int = 0
    mail_commands: int = 0
    received: list[tuple[list[str], bytes]] = field(default_factory=list)
    held: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_MAIL(
        self, server: Any, session: Any, envelope: Any, address: str, mail_options: list[str]
    ) -> str:
        with self.lock:
            self.mail_commands += 1
            accepted = len(self.received)
        if self.refuse_mail:
            return self.refuse_mail
        if self.closing_after is not None and accepted >= self.closing_after and self.closings > 0:
            self.closings -= 1
            return "421 4.7.0 Too many messages for now, closing connection"
        envelope.mail_from = address
        return "250 OK"

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: list[str]
    ) -> str:
        if self.refuse_rcpt:
            return self.refuse_rcpt
        if address in self.permanent:
            return "550 5.1.1 No such user here"
        if address in self.unrouteable:
            return "550 Unrouteable address"
        if self.temporary.get(address, 0) > 0:
            self.temporary[address] -= 1
            return "451 4.7.1 Greylisted, try again later"
        if address in self.drop_at_rcpt:
            self.drop_at_rcpt.discard(address)
            server.transport.close()
            return "421 4.3.0 Closing"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        with self.lock:
            if self.quota_after is not None and len(self.received) >= self.quota_after:
                return self.quota_reply
            self.received.append((list(envelope.rcpt_tos), bytes(envelope.original_content)))
        dropping = set(envelope.rcpt_tos) & self.drop_after_data
        if dropping:
            self.drop_after_data -= dropping
            server.transport.close()
            return "421 4.3.0 Closing"
        if self.hold in envelope.rcpt_tos and not self.held.is_set():
            self.held.set()
            await asyncio.get_running_loop().run_in_executor(None, self.release.wait)
        return "250 2.0.0 Message accepted"

    def counts(self) -> Counter[str]:
        with self.lock:
            return Counter(address for recipients, _ in self.received for address in recipients)

    def messages(self) -> list[EmailMessage]:
        with self.lock:
            raw = [data for _, data in self.received]
        return [email.message_from_bytes(data, _class=EmailMessage, policy=default) for data in raw]


@contextmanager
def smtp_server(recorder: Recorder, **server_options: Any) -> Iterator[Controller]:
    """A running aiosmtpd Controller on 127.0.0.1 and a free port."""
    controller = Controller(recorder, hostname="127.0.0.1", port=free_port(), **server_options)
    controller.start()
    try:
        yield controller
    finally:
        recorder.release.set()
        controller.stop()


def smtp_env(controller: Controller, tls: str = "none") -> dict[str, str]:
    """Environment variables that point `sofs email send` at the test server."""
    return {"SOFS_SMTP_HOST": "127.0.0.1", "SOFS_SMTP_PORT": str(controller.port), "SOFS_SMTP_TLS": tls}


def addresses(count: int) -> list[str]:
    return [f"reader{n:03d}@example.org" for n in range(count)]


def write_csv(path: Path, rows: list[str], header: str = "email") -> Path:
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def kill_when_held(
    project: Path, recorder: Recorder, server: Controller, args: list[str], wait: float
) -> None:
    """Run `sofs ARGS` in `project` against `server`, and SIGKILL it while the server is
    holding the message to `recorder.hold` (the one message in flight at the crash)."""
    env = {**os.environ, "SOFS_TODAY": FIXED_TODAY, **smtp_env(server)}
    env.pop("SOFS_DEBUG", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "generator.cli", *args],
        cwd=project,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        assert recorder.held.wait(timeout=wait), "the sender never reached the held recipient"
        process.send_signal(signal.SIGKILL)
        process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == -signal.SIGKILL
    recorder.release.set()


class VirtualClock:
    """Time that passes only when the sending loop sleeps; every sleep is recorded."""

    def __init__(self, start: float = 1000.0) -> None:
        self.time = start
        self.sleeps: list[float] = []

    def now(self) -> float:
        return self.time

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(round(seconds, 6))
        self.time += seconds
