"""The send loop: one message per recipient, recorded in the ledger before and after.

Temporary refusals of a recipient (4xx) are retried with growing waits, up to a bound;
permanent ones (5xx) fail that recipient; a lost connection is reopened. A refusal of
the sender (a quota, `MAIL FROM` refused, 421; see `refusals`) is tried a few times with
growing waits, then the run stops and everyone not reached stays pending, with the
server's reply and how long it asked us to wait. Time and sleeping are passed in, so the
loop can be tested without waiting.
"""

from __future__ import annotations

import heapq
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from .ledger import Ledger, Recipient
from .refusals import QUOTA_WAIT, Cause
from .smtp import Attempt, ConnectFailed, Outcome

MAX_RECONNECTS = 5
SAME_REFUSALS = 3  # the same unexplained refusal for this many recipients in a row: the sender's


class Connection(Protocol):
    def deliver(self, sender: str, recipient: str, data: bytes, *, accepted_before: bool) -> Attempt: ...

    def close(self) -> None: ...


@dataclass(frozen=True)
class SendOptions:
    """How fast to send and how hard to try."""

    per_minute: float = 30.0
    retries: int = 4
    retry_wait: float = 60.0
    sender_tries: int = 3  # tries of a refused sender before the run stops (waits from retry_wait)


@dataclass(frozen=True)
class Pause:
    """The server refused the sender, so the run stopped; everyone not reached is still pending."""

    cause: Cause | None
    reply: str
    wait: float  # seconds the server wants before the next try


@dataclass
class SendSummary:
    """What one run did."""

    sent: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)
    uncertain: list[tuple[str, str]] = field(default_factory=list)
    deferred: list[tuple[str, str]] = field(default_factory=list)
    stopped: str | None = None
    paused: Pause | None = None


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


@dataclass
class _SenderBackoff:
    """Refusals of the sender in a row: each doubles the wait, `tries` of them stop the run."""

    options: SendOptions
    refusals: int = 0
    hold_until: float = 0.0  # nobody is tried before this

    def gives_up(self, now: float) -> bool:
        """Count one refusal; True when the run should stop, else hold off for a while."""
        self.refusals += 1
        if self.refusals >= max(self.options.sender_tries, 1):
            return True
        self.hold_until = now + self.options.retry_wait * 2 ** (self.refusals - 1)
        return False


_ENHANCED = re.compile(r"^(\d{3})\s+([245]\.\d{1,3}\.\d{1,3})\b")


@dataclass
class _SameRefusals:
    """Recipients refused in a row with the same permanent reply whose code does not name them.

    A 550 with no recipient status code (`5.7.708 Access denied`, a plain `550 Mailbox
    unavailable`) may be about one address or about the account. Several recipients in a
    row refused alike means the account: their failures are taken back and the run is
    treated as a refused sender, so nobody is failed for the server's refusal of us.
    """

    jobs: list[_Job] = field(default_factory=list)
    signature: str = ""

    @staticmethod
    def signature_of(reply: str, address: str) -> str:
        found = _ENHANCED.match(reply)
        if found:
            return f"{found[1]} {found[2]}"
        return reply.replace(address, "").lower()

    def add(self, job: _Job, reply: str) -> bool:
        """Count one unexplained refusal; True when it is the same for enough in a row."""
        signature = self.signature_of(reply, job.recipient.address)
        if signature != self.signature:
            self.jobs, self.signature = [], signature
        self.jobs.append(job)
        return len(self.jobs) >= SAME_REFUSALS

    def clear(self) -> None:
        self.jobs, self.signature = [], ""


def _paused(summary: SendSummary, refusal: Attempt) -> SendSummary:
    summary.paused = Pause(refusal.cause, refusal.reply, refusal.wait)
    summary.stopped = f"the mail server refused the sender ({refusal.reply})"
    return summary


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
    backoff = _SenderBackoff(options)
    same = _SameRefusals()
    try:
        while queue:
            job = heapq.heappop(queue)
            wait = max(job.not_before - clock.now(), backoff.hold_until - clock.now(), 0.0)
            if last_send is not None and interval:
                wait = max(wait, last_send + interval - clock.now())
            if wait > 0:
                clock.sleep(wait)
            if connection is None:
                try:
                    connection = connect()
                except ConnectFailed as exc:
                    if exc.refusal is not None:  # the server answered "busy": as a refused sender
                        if backoff.gives_up(clock.now()):
                            return _paused(summary, exc.refusal)
                        heapq.heappush(queue, job)
                        continue
                    summary.stopped = str(exc)
                    summary.deferred += [
                        (j.recipient.address, "not tried: " + str(exc)) for j in [job, *queue]
                    ]
                    return summary
            recipient = job.recipient
            if not ledger.claim(recipient.key):
                continue
            data = message_for(recipient)
            attempt = connection.deliver(sender, recipient.address, data, accepted_before=summary.sent > 0)
            outcome, reply = attempt.outcome, attempt.reply
            last_send = clock.now()
            if outcome is Outcome.SENT:
                ledger.sent(recipient.key, reply)
                summary.sent += 1
                reconnects = backoff.refusals = 0
                same.clear()
            elif outcome is Outcome.SENDER:
                ledger.release(recipient.key, reply)
                connection.close()
                connection = None
                if backoff.gives_up(clock.now()):
                    return _paused(summary, attempt)
                heapq.heappush(queue, job)
            elif outcome is Outcome.PERMANENT:
                ledger.failed(recipient.key, reply)
                summary.failed.append((recipient.address, reply))
                if attempt.about_recipient:
                    same.clear()
                elif same.add(job, reply):
                    taken_back = {j.recipient.address for j in same.jobs}
                    for earlier in same.jobs:
                        ledger.reopen(earlier.recipient.key, reply)
                    summary.failed = [f for f in summary.failed if f[0] not in taken_back]
                    refusal = Attempt(Outcome.SENDER, reply, Cause.SAME_REFUSAL, QUOTA_WAIT)
                    connection.close()
                    connection = None
                    if backoff.gives_up(clock.now()):
                        return _paused(summary, refusal)
                    for earlier in same.jobs:
                        heapq.heappush(queue, earlier)
                    same.clear()
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
