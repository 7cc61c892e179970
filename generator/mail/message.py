"""Building the MIME message of an issue: plain text first, HTML last, list headers.

Headers follow the project's email checklist: Date, From and Reply-To (the mailbox),
a Message-ID on the site's own domain, List-Id and a `mailto:` List-Unsubscribe. The
message is built and generated with `POLICY`: body lines (quoted-printable when a line
is long or not ASCII) of at most 76 characters (RFC 2045) and header lines folded at 76,
except that `List-Unsubscribe` is folded only between its addresses and never encoded
(`=?`), which would break it.
"""

from __future__ import annotations

import datetime as dt
import re
from email import policy
from email.headerregistry import Address, BaseHeader, HeaderRegistry, UnstructuredHeader
from email.message import EmailMessage
from email.policy import Policy
from email.utils import format_datetime, formataddr, make_msgid

from ..content.header_text import unsafe_part
from ..generate.email_render import EmailRenderError, RenderedIssue
from ..settings.reader import Settings

#: The longest line of a body or a folded header, without its CRLF (RFC 2045's limit).
MAX_LINE = 76
_ANGLE_ADDRESS = re.compile(r"<[^>]*>")


class AddressListHeader(UnstructuredHeader, BaseHeader):
    """A header that is a list of `<URL>`s (RFC 2369's `List-Unsubscribe`): folded between
    the addresses when the line is long, never inside one and never encoded."""

    def fold(self, *, policy: Policy) -> str:
        """The header as it is written: `Name: <a>,` and each later address on its own line."""
        value = str(self)
        entries = _ANGLE_ADDRESS.findall(value) or [value]
        limit = policy.max_line_length or 998
        lines = [f"{self.name}:"]
        for number, entry in enumerate(entries):
            piece = entry + ("," if number + 1 < len(entries) else "")
            if len(lines[-1]) + 1 + len(piece) <= limit:
                lines[-1] += " " + piece
            else:
                lines.append(" " + piece)
        return policy.linesep.join(lines) + policy.linesep


def _header_registry() -> HeaderRegistry:
    registry = HeaderRegistry()
    registry.map_to_type("list-unsubscribe", AddressListHeader)
    return registry


POLICY = policy.SMTP.clone(max_line_length=MAX_LINE, header_factory=_header_registry())


def new_message_id(settings: Settings, issue_number: int) -> str:
    """A fresh, globally unique Message-ID on the site's domain.

    `issue_number` is not written into it, to keep the header within a folded line."""
    del issue_number
    return make_msgid(domain=settings.domain)


def sender(settings: Settings) -> Address:
    """The newsletter's From address: the site's name and its mailbox."""
    mailbox = settings.mailbox or ""
    local, _, domain = mailbox.partition("@")
    return Address(display_name=settings.site_name, username=local, domain=domain)


def list_id(settings: Settings) -> str:
    """The List-Id header (RFC 2919): the site's name and a label on its domain."""
    return formataddr((settings.site_name, f"newsletter.{settings.domain}"))


def build_message(
    settings: Settings,
    rendered: RenderedIssue,
    *,
    to: str | None,
    message_id: str,
    date: dt.datetime,
) -> EmailMessage:
    """The complete `multipart/alternative` message for one recipient (or none, for a copy).

    Raises `EmailRenderError` when a header value has a line break, NUL or `=?` in it."""
    for name, value in (("subject", rendered.subject), ("sender's name", settings.site_name)):
        found = unsafe_part(value)
        if found:
            raise EmailRenderError(f"the email's {name} contains {found}; remove it and run `sofs check`")
    message = EmailMessage(policy=POLICY)
    message["Subject"] = rendered.subject
    message["From"] = sender(settings)
    message["Reply-To"] = sender(settings)
    if to:
        message["To"] = to
    message["Date"] = format_datetime(date)
    message["Message-ID"] = message_id
    message["List-Id"] = list_id(settings)
    message["List-Unsubscribe"] = f"<{rendered.unsubscribe}>"
    message.set_content(rendered.text, cte=transfer_encoding(rendered.text))
    message.add_alternative(rendered.html, subtype="html", cte=transfer_encoding(rendered.html))
    message["Content-Language"] = "en"
    return message


def transfer_encoding(text: str) -> str:
    """7bit when every line is ASCII of at most `MAX_LINE` characters, as it reads best;
    quoted-printable otherwise, whose lines `POLICY` keeps to `MAX_LINE`."""
    short = all(len(line) <= MAX_LINE for line in text.splitlines())
    return "7bit" if text.isascii() and short else "quoted-printable"


def message_bytes(message: EmailMessage) -> bytes:
    """The message as it goes on the wire: CRLF line ends, body lines of at most 76
    characters, headers folded at 76 (a single address longer than that stays whole)."""
    return message.as_bytes(policy=POLICY)
