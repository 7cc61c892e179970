"""One SMTP connection, configured from the environment, that says exactly how a send ended.

TLS always checks certificates (`ssl.create_default_context()`); when TLS is asked for
and cannot be had, the connection fails: it never falls back to plain text. Credentials
come from the environment only and are never printed.
"""

from __future__ import annotations

import contextlib
import enum
import re
import smtplib
import ssl
from collections.abc import Mapping
from dataclasses import dataclass, field

from .refusals import SHORT_WAIT, Cause, Kind, Stage, classify, wait_from

TLS_MODES = ("starttls", "ssl", "none")
DEFAULT_PORTS = {"starttls": 587, "ssl": 465, "none": 25}
_LOOPBACK = {"localhost", "127.0.0.1", "::1"}
_TIMEOUT = 60.0


class SmtpConfigError(Exception):
    """The SMTP settings in the environment are missing or wrong."""


class ConnectFailed(Exception):
    """The server could not be reached, secured or logged in to.

    `refusal` is set when the server answered its greeting with a refusal (421 "busy,
    closing"): a refusal of the sender, tried again like one.
    """

    def __init__(self, message: str, refusal: Attempt | None = None) -> None:
        super().__init__(message)
        self.refusal = refusal


@dataclass(frozen=True)
class SmtpConfig:
    """Where and how to send: read from SOFS_SMTP_* environment variables."""

    host: str
    port: int
    tls: str
    user: str | None = None
    password: str | None = field(default=None, repr=False)

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> SmtpConfig:
        """Read SOFS_SMTP_HOST, _PORT, _USER, _PASSWORD and _TLS (starttls, ssl or none)."""
        host = environ.get("SOFS_SMTP_HOST", "").strip()
        if not host:
            raise SmtpConfigError(
                "SOFS_SMTP_HOST is not set; set it to your mail server's name, like smtp.office365.com"
            )
        tls = environ.get("SOFS_SMTP_TLS", "starttls").strip().lower() or "starttls"
        if tls not in TLS_MODES:
            raise SmtpConfigError(f"SOFS_SMTP_TLS is {tls!r}; use starttls, ssl or none")
        port_text = environ.get("SOFS_SMTP_PORT", "").strip()
        if port_text:
            if not port_text.isdigit() or not 0 < int(port_text) < 65536:
                raise SmtpConfigError(f"SOFS_SMTP_PORT is {port_text!r}; use a port number like 587")
            port = int(port_text)
        else:
            port = DEFAULT_PORTS[tls]
        user = environ.get("SOFS_SMTP_USER") or None
        password = environ.get("SOFS_SMTP_PASSWORD") or None
        if bool(user) != bool(password):
            raise SmtpConfigError("set both SOFS_SMTP_USER and SOFS_SMTP_PASSWORD, or neither")
        if user and tls == "none" and host not in _LOOPBACK:
            raise SmtpConfigError(
                "refusing to send a password without TLS; set SOFS_SMTP_TLS to starttls or ssl"
            )
        return cls(host, port, tls, user, password)

    def describe(self) -> str:
        """Where the mail goes, for people (never the password)."""
        login = f" as {self.user}" if self.user else ""
        return f"{self.host}:{self.port} ({self.tls}){login}"


class Outcome(enum.Enum):
    """How one attempt to send ended."""

    SENT = "sent"
    TEMPORARY = "temporary"  # 4xx: try again later
    PERMANENT = "permanent"  # 5xx: this recipient failed
    SENDER = "sender refused"  # the account is refused (quota, MAIL FROM, 421): stop for now
    NOT_SENT = "not sent"  # connection lost before the message data: safe to resend
    UNCERTAIN = "uncertain"  # connection lost after the data went: it may have arrived


def _reply(code: int, text: bytes | str) -> str:
    message = text.decode("utf-8", "replace") if isinstance(text, bytes) else text
    return f"{code} {' '.join(message.split())}".strip()


@dataclass(frozen=True)
class Attempt:
    """How one attempt ended; for a refused sender, why and how long to wait (seconds)."""

    outcome: Outcome
    reply: str
    cause: Cause | None = None
    wait: float = 0.0
    about_recipient: bool = False  # the refusal's status code names the recipient (X.1.*, X.2.2...)


_OUTCOMES = {
    Kind.TEMPORARY: Outcome.TEMPORARY,
    Kind.PERMANENT: Outcome.PERMANENT,
    Kind.SENDER: Outcome.SENDER,
}


def _refusal(stage: Stage, code: int, text: bytes | str, accepted_before: bool) -> Attempt:
    reply = _reply(code, text)
    found = classify(stage, code, reply.removeprefix(str(code)), accepted_before=accepted_before)
    return Attempt(_OUTCOMES[found.kind], reply, found.cause, found.wait, found.about_recipient)


def dot_stuffed(data: bytes) -> bytes:
    """Message bytes ready for DATA: CRLF line ends, leading dots doubled, the final dot."""
    data = re.sub(rb"\r\n|\r|\n", b"\r\n", data)
    data = re.sub(rb"(?m)^\.", b"..", data)
    if not data.endswith(b"\r\n"):
        data += b"\r\n"
    return data + b".\r\n"


class SmtpConnection:
    """An open, secured and logged-in SMTP session."""

    def __init__(self, config: SmtpConfig) -> None:
        self.config = config
        self.smtp = self._open()

    def _open(self) -> smtplib.SMTP:
        config = self.config
        context = ssl.create_default_context()
        smtp: smtplib.SMTP | None = None
        try:
            if config.tls == "ssl":
                smtp = smtplib.SMTP_SSL(config.host, config.port, timeout=_TIMEOUT, context=context)
            else:
                smtp = smtplib.SMTP(config.host, config.port, timeout=_TIMEOUT)
            smtp.ehlo()
            if config.tls == "starttls":
                if not smtp.has_extn("starttls"):
                    raise ConnectFailed(
                        f"{config.host} does not offer STARTTLS, so nothing was sent; "
                        "check SOFS_SMTP_TLS and SOFS_SMTP_PORT (465 uses ssl)"
                    )
                smtp.starttls(context=context)
                smtp.ehlo()
            if config.user and config.password:
                smtp.login(config.user, config.password)
            return smtp
        except ConnectFailed:
            _close(smtp)
            raise
        except ssl.SSLCertVerificationError as exc:
            _close(smtp)
            raise ConnectFailed(
                f"the certificate of {config.host} could not be verified "
                f"({exc.verify_message}); nothing was sent"
            ) from None
        except smtplib.SMTPConnectError as exc:
            _close(smtp)
            reply = _reply(exc.smtp_code, exc.smtp_error)
            busy = None
            if 400 <= exc.smtp_code < 500:
                busy = Attempt(Outcome.SENDER, reply, Cause.CLOSING, wait_from(reply, SHORT_WAIT))
            raise ConnectFailed(f"{config.host} refused the connection ({reply})", busy) from None
        except smtplib.SMTPAuthenticationError as exc:
            _close(smtp)
            if 400 <= exc.smtp_code < 500:  # "too many login attempts, try later": the account, for now
                reply = _reply(exc.smtp_code, exc.smtp_error)
                later = Attempt(Outcome.SENDER, reply, Cause.CLOSING, wait_from(reply, SHORT_WAIT))
                raise ConnectFailed(f"{config.host} refused the login for now ({reply})", later) from None
            raise ConnectFailed(
                f"{config.host} refused the login for {config.user} "
                f"({_reply(exc.smtp_code, exc.smtp_error)}); check SOFS_SMTP_USER and "
                "SOFS_SMTP_PASSWORD"
            ) from None
        except (smtplib.SMTPException, OSError) as exc:
            _close(smtp)
            reason = (
                exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc) or type(exc).__name__
            )
            raise ConnectFailed(f"cannot talk to {config.host}:{config.port} ({reason})") from None

    def deliver(self, sender: str, recipient: str, data: bytes, *, accepted_before: bool) -> Attempt:
        """Send one message to one recipient and say how it ended (never raises for SMTP).

        `accepted_before` says whether the server took a message earlier in this run: a
        5xx to MAIL FROM or DATA after that is about the account, not this recipient.
        """
        smtp = self.smtp
        try:
            code, text = smtp.mail(sender)
            if code != 250:
                return self._refused(Stage.MAIL, code, text, accepted_before)
            code, text = smtp.rcpt(recipient)
            if code not in (250, 251):
                return self._refused(Stage.RCPT, code, text, accepted_before)
            code, text = smtp.docmd("DATA")
            if code != 354:
                return self._refused(Stage.DATA, code, text, accepted_before)
        except (smtplib.SMTPException, OSError) as exc:
            return Attempt(Outcome.NOT_SENT, f"connection lost before the message was sent ({_why(exc)})")
        try:
            smtp.send(dot_stuffed(data))
            code, text = smtp.getreply()
        except (smtplib.SMTPException, OSError) as exc:
            return Attempt(
                Outcome.UNCERTAIN, f"connection lost while the message was being accepted ({_why(exc)})"
            )
        if code == 250:
            return Attempt(Outcome.SENT, _reply(code, text))
        return _refusal(Stage.MESSAGE, code, text, accepted_before)

    def _refused(self, stage: Stage, code: int, text: bytes, accepted_before: bool) -> Attempt:
        if code != 421:
            self._reset()
        return _refusal(stage, code, text, accepted_before)

    def _reset(self) -> None:
        with contextlib.suppress(smtplib.SMTPException, OSError):
            self.smtp.rset()

    def close(self) -> None:
        _close(self.smtp)


def _why(exc: BaseException) -> str:
    return str(exc) or type(exc).__name__


def _close(smtp: smtplib.SMTP | None) -> None:
    if smtp is None:
        return
    try:
        smtp.quit()
    except (smtplib.SMTPException, OSError):
        smtp.close()
