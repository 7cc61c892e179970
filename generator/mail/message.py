"""Building the MIME message of an issue: plain text first, HTML last, list headers.

Headers follow the project's email checklist: Date, From and Reply-To (the mailbox),
a Message-ID on the site's own domain, List-Id and a `mailto:` List-Unsubscribe. The
message is generated with `POLICY` so long header values are never encoded (`=?`).
"""

from __future__ import annotations

import datetime as dt
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, formataddr, make_msgid

from ..content.header_text import unsafe_part
from ..generate.email_render import EmailRenderError, RenderedIssue
from ..settings.reader import Settings

POLICY = policy.SMTP.clone(max_line_length=998)


def new_message_id(settings: Settings, issue_number: int) -> str:
    """A fresh, globally unique Message-ID on the site's domain."""
    return make_msgid(idstring=f"issue{issue_number}", domain=settings.domain)


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
    """7bit when every line is short ASCII, as it reads best; quoted-printable otherwise."""
    short = all(len(line) <= 998 for line in text.splitlines())
    return "7bit" if text.isascii() and short else "quoted-printable"


def message_bytes(message: EmailMessage) -> bytes:
    """The message as it goes on the wire: CRLF line ends, no header line over 998."""
    return message.as_bytes(policy=POLICY)
