"""The send loop: one message per recipient, recorded in the ledger before and after.

Temporary refusals (4xx) are retried with growing waits, up to a bound; permanent ones
(5xx) fail that recipient; a lost connection is reopened. Time and sleeping are passed
in, so the loop can be tested without waiting.
"""

from __future__ import annotations

import heapq
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from .ledger import Ledger, Recipient
from .smtp_send import ConnectFailed, Outcome

MAX_RECONNECTS = 5


class Connection(Protocol):
    def deliver(self, sender: str, recipient: str, data: bytes) -> tuple[Outcome, str]: ...

    def close(self) -> None: ...


@dataclass(frozen=True)
class SendOptions:
    """How fast to send and how hard to try."""

    per_minute: float = 30.0
    retries: int = 4
    retry_wait: float = 60.0


@dataclass
class SendSummary:
    """What one run did."""

    sent: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)
    uncertain: list[tuple[str, str]] = field(default_factory=list)
    deferred: list[tuple[str, str]] = field(default_factory=list)
    stopped: str | None = None


@dataclass(order=True)
class _Job:
    not_before: float
    order: int
    recipient: Recipient = field(compare=False)
    tries: int = field(default=0, compare=False)
    drops: int = field(default=0, compare=False)


class Clock(Protocol):
    def now(self) -> float: ...

    def sleep(self, seconds: float) -> None: ...


class RealClock:
    """The monotonic clock and `time.sleep`."""

    def now(self) -> float:
        return time.monotonic()

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


def deliver_all(
    ledger: Ledger,
    recipients: list[Recipient],
    *,
    sender: str,
    message_for: Callable[[Recipient], bytes],
    connect: Callable[[], Connection],
    options: SendOptions,
    on_progress: Callable[[SendSummary], None] = lambda summary: None,
    clock: Clock | None = None,
) -> SendSummary:
    """Send to every recipient (all pending in `ledger`), keeping the ledger true throughout."""
    clock = clock or RealClock()
    summary = SendSummary()
    queue = [_Job(0.0, order, r) for order, r in enumerate(recipients)]
    heapq.heapify(queue)
    interval = 60.0 / options.per_minute if options.per_minute > 0 else 0.0
    last_send: float | None = None
    connection: Connection | None = None
    reconnects = 0
    try:
        while queue:
            job = heapq.heappop(queue)
            wait = max(job.not_before - clock.now(), 0.0)
            if last_send is not None and interval:
                wait = max(wait, last_send + interval - clock.now())
            if wait > 0:
                clock.sleep(wait)
            if connection is None:
                try:
                    connection = connect()
                except ConnectFailed as exc:
                    summary.stopped = str(exc)
                    summary.deferred += [
                        (j.recipient.address, "not tried: " + str(exc)) for j in [job, *queue]
                    ]
                    return summary
            recipient = job.recipient
            if not ledger.claim(recipient.key):
                continue
            data = message_for(recipient)
            outcome, reply = connection.deliver(sender, recipient.address, data)
            last_send = clock.now()
            if outcome is Outcome.SENT:
                ledger.sent(recipient.key, reply)
                summary.sent += 1
                reconnects = 0
            elif outcome is Outcome.PERMANENT:
                ledger.failed(recipient.key, reply)
                summary.failed.append((recipient.address, reply))
            elif outcome is Outcome.UNCERTAIN:
                ledger.uncertain(recipient.key, reply)
                summary.uncertain.append((recipient.address, reply))
                connection.close()
                connection = None
            elif outcome is Outcome.NOT_SENT:
                ledger.release(recipient.key, reply)
                connection.close()
                connection = None
                reconnects += 1
                if reconnects > MAX_RECONNECTS:
                    summary.stopped = f"the connection kept dropping ({reply})"
                    summary.deferred += [(j.recipient.address, reply) for j in [job, *queue]]
                    return summary
                job.drops += 1
                heapq.heappush(queue, job)
            else:
                ledger.release(recipient.key, reply)
                job.tries += 1
                if job.tries > options.retries:
                    summary.deferred.append((recipient.address, reply))
                else:
                    job.not_before = clock.now() + options.retry_wait * 2 ** (job.tries - 1)
                    heapq.heappush(queue, job)
            on_progress(summary)
    finally:
        if connection is not None:
            connection.close()
    return summary
