"""What an SMTP refusal is about: one recipient, or the sending account as a whole.

A refusal of one recipient (`RCPT TO` answered 550 5.1.1, a full mailbox) fails or
delays that recipient only. A refusal of the sender (`MAIL FROM` refused, a quota or
rate limit, 421 "closing", a 5xx after the server has already taken messages in this
run) would refuse everyone after it too, so sending stops and the rest wait, not sent
yet. The wording checks follow what large providers answer, for example Microsoft 365's
`554 5.2.0 STOREDRV.Submission.Exception:SubmissionQuotaExceededException`.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
from dataclasses import dataclass


class Stage(enum.Enum):
    """Where in the SMTP conversation a reply came."""

    MAIL = "MAIL FROM"
    RCPT = "RCPT TO"
    DATA = "DATA"
    MESSAGE = "end of message"


class Kind(enum.Enum):
    """What a refusal means for the run."""

    TEMPORARY = "temporary"  # this recipient, try again later
    PERMANENT = "permanent"  # this recipient failed
    SENDER = "sender"  # the account is refused: stop, keep the rest not sent yet


class Cause(enum.Enum):
    """Why the sender was refused, for the message to people."""

    LIMIT = "limit"
    MAIL_FROM = "mail from"
    CLOSING = "closing"
    REFUSING = "refusing"
    SAME_REFUSAL = "same refusal"  # several recipients in a row refused alike, for no reason of theirs


QUOTA_WAIT = 3600.0
SHORT_WAIT = 600.0

_ENHANCED = re.compile(r"^\s*([245])\.(\d{1,3})\.(\d{1,3})\b")
_LIMIT_WORDS = re.compile(r"quota|exceed|too many|throttl|\blimit|\brate\b", re.IGNORECASE)
# Enhanced status codes about one recipient's address or mailbox (RFC 3463): X.1.* and
# X.2.1 (mailbox disabled), X.2.2 (mailbox full), X.2.4 (list expansion). Gmail's
# 4.2.1 "receiving mail at a rate" is about that recipient too.
_ABOUT_RECIPIENT = {("2", "1"), ("2", "2"), ("2", "4")}
# X.1.7 and X.1.8 are about the sender's address (Microsoft 365 answers "550 5.1.8 Access
# denied, bad outbound sender" at RCPT TO when the account is blocked from sending).
_ABOUT_SENDER = {("1", "7"), ("1", "8")}
_WAIT_IN_TEXT = re.compile(
    r"(?:after|in|wait|for)\s+(\d{1,5})\s*(seconds?|secs?|s\b|minutes?|mins?|hours?|hrs?|h\b)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Refusal:
    """How one refusal is to be treated; `wait` is seconds before trying again (sender only)."""

    kind: Kind
    cause: Cause | None = None
    wait: float = 0.0
    about_recipient: bool = False  # its status code names the recipient (X.1.*, mailbox full...)


def classify(stage: Stage, code: int, text: str, *, accepted_before: bool) -> Refusal:
    """Whether a refusal at `stage` is about the recipient or the sender (see module doc)."""
    temporary = code < 500
    recipient_kind = Kind.TEMPORARY if temporary else Kind.PERMANENT
    enhanced = _ENHANCED.match(text)
    if code == 421:
        return Refusal(Kind.SENDER, Cause.CLOSING, wait_from(text, SHORT_WAIT))
    if stage is Stage.MAIL:
        limited = bool(_LIMIT_WORDS.search(text))
        default = QUOTA_WAIT if limited or not temporary else SHORT_WAIT
        return Refusal(Kind.SENDER, Cause.LIMIT if limited else Cause.MAIL_FROM, wait_from(text, default))
    if enhanced and (enhanced[2], enhanced[3]) in _ABOUT_SENDER:
        return Refusal(Kind.SENDER, Cause.MAIL_FROM, wait_from(text, QUOTA_WAIT))
    if enhanced and (enhanced[2] == "1" or (enhanced[2], enhanced[3]) in _ABOUT_RECIPIENT):
        return Refusal(recipient_kind, about_recipient=True)
    if _LIMIT_WORDS.search(text):
        return Refusal(Kind.SENDER, Cause.LIMIT, wait_from(text, QUOTA_WAIT))
    if stage is not Stage.RCPT and not temporary and accepted_before:
        return Refusal(Kind.SENDER, Cause.REFUSING, wait_from(text, QUOTA_WAIT))
    return Refusal(recipient_kind)


def wait_from(text: str, default: float) -> float:
    """The wait the server's text asks for ("try again in 30 minutes"), else `default`."""
    found = _WAIT_IN_TEXT.search(text)
    if not found:
        return default
    amount, unit = int(found[1]), found[2].lower()
    if unit.startswith("h"):
        return amount * 3600.0
    if unit.startswith("m"):
        return amount * 60.0
    return float(amount)


def plain_duration(seconds: float) -> str:
    """A wait in words: "about an hour", "about 10 minutes", "about 2 hours"."""
    minutes = max(round(seconds / 60), 1)
    if minutes < 55:
        return f"about {minutes} minute{'s' if minutes != 1 else ''}"
    hours = round(minutes / 60)
    return "about an hour" if hours <= 1 else f"about {hours} hours"


def try_again_at(wait: float, now: dt.datetime) -> str:
    """When to try again, for people: "in about an hour (after 23:14 on 30 November)"."""
    then = now + dt.timedelta(seconds=wait)
    day = "today" if then.date() == now.date() else f"on {then.day} {then:%B}"
    return f"in {plain_duration(wait)} (after {then:%H:%M} {day})"


def cause_in_words(cause: Cause | None, sender: str) -> tuple[str, str]:
    """Why sending stopped, in plain English, and what to check first ("" when nothing)."""
    if cause is Cause.LIMIT:
        return "the mail server says this account has reached its sending limit for now", ""
    if cause is Cause.MAIL_FROM:
        return (
            f"the mail server refused to take mail from {sender}",
            f"Check that the SMTP account may send as {sender} (the `mailbox` setting). ",
        )
    if cause is Cause.CLOSING:
        return "the mail server closed the connection and asked us to come back later", ""
    if cause is Cause.SAME_REFUSAL:
        return (
            "the mail server refused several recipients in a row with the same reply, which is about "
            "this account, not them",
            f"Check that the SMTP account may send as {sender} and is not blocked. ",
        )
    return "the mail server started refusing messages after accepting earlier ones", ""
