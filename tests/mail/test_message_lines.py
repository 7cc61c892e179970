"""The message's raw lines: bodies quoted-printable at 76 characters when a line is long or
not ASCII (RFC 2045), and `List-Unsubscribe` folded between its addresses, never encoded."""

from __future__ import annotations

import email
from email.message import EmailMessage
from email.policy import default

from generator.mail.message import MAX_LINE, POLICY, message_bytes, transfer_encoding


def test_list_unsubscribe_folds_between_addresses_and_is_never_encoded() -> None:
    web = "<https://signs-of-safety.example.org/unsubscribe?token=" + "a" * 60 + ">"
    mail = "<mailto:signsofsafety@northumberland.gov.uk?subject=unsubscribe>"
    message = EmailMessage(policy=POLICY)
    message["List-Unsubscribe"] = f"{web}, {mail}"
    raw = message_bytes(message)
    assert raw.startswith(b"List-Unsubscribe:\r\n " + web.encode() + b",\r\n " + mail.encode() + b"\r\n")
    assert b"=?" not in raw
    parsed = email.message_from_bytes(raw, policy=default)
    assert " ".join(str(parsed["List-Unsubscribe"]).split()) == f"{web}, {mail}"


def test_a_short_list_unsubscribe_stays_on_one_line() -> None:
    message = EmailMessage(policy=POLICY)
    message["List-Unsubscribe"] = "<mailto:news@example.org?subject=unsubscribe>"
    assert (
        message_bytes(message) == b"List-Unsubscribe: <mailto:news@example.org?subject=unsubscribe>\r\n\r\n"
    )


def test_long_and_non_ascii_bodies_are_quoted_printable_in_short_lines() -> None:
    html = (
        '<p style="margin: 0;color: #0b0c0c;">'
        + "Children’s services – meaningful measures. " * 60
        + "</p>\n"
    )
    message = EmailMessage(policy=POLICY)
    message.set_content("Short plain text.\n", cte=transfer_encoding("Short plain text.\n"))
    message.add_alternative(html, subtype="html", cte=transfer_encoding(html))
    raw = message_bytes(message)
    assert max(len(line) for line in raw.split(b"\r\n")) <= MAX_LINE
    parts = list(email.message_from_bytes(raw, _class=EmailMessage, policy=default).iter_parts())
    assert [p["Content-Transfer-Encoding"] for p in parts] == ["7bit", "quoted-printable"]
    assert parts[1].get_content().replace("\r\n", "\n") == html


def test_transfer_encoding_keeps_short_ascii_readable() -> None:
    assert transfer_encoding("a\n" + "b" * MAX_LINE + "\n") == "7bit"
    assert transfer_encoding("b" * (MAX_LINE + 1)) == "quoted-printable"
    assert transfer_encoding("café") == "quoted-printable"
