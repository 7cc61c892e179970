"""Helpers for tests that start a real preview server: a free port, and waiting for a page."""

from __future__ import annotations

import signal
import socket
import time
import urllib.error
import urllib.request


def hear_interrupts() -> None:
    """For `preexec_fn`: let a child process hear Ctrl-C as a terminal would send it. A shell
    that runs the tests in the background (`pytest &`, some CI runners) hands its children an
    ignored SIGINT, and Python keeps it ignored, so an interrupt would never reach them."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return str(response.read().decode("utf-8"))
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


def wait_for(url: str, needle: str, seconds: float = 60) -> str:
    deadline = time.monotonic() + seconds
    last = None
    while time.monotonic() < deadline:
        last = fetch(url)
        if last is not None and needle in last:
            return last
        time.sleep(0.3)
    raise AssertionError(f"{needle!r} never appeared at {url}; last answer: {(last or '')[:300]!r}")
