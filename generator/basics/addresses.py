"""One email address, checked the one way sofs checks every address.

The newsletter's own mailbox (in `mkdocs.yml`) and each subscriber's address go into
message headers, so both must be a single plain address that needs no SMTPUTF8. Addresses
are checked with email-validator, without network look-ups.
"""

from __future__ import annotations

from dataclasses import dataclass

from email_validator import EmailNotValidError, validate_email


class AddressProblem(ValueError):
    """Text that is not one plain email address; the message is email-validator's reason."""


@dataclass(frozen=True)
class Address:
    """A valid address as written and in its normal form (ASCII wherever it can be)."""

    written: str
    normal: str
    ascii: str | None


def checked_address(text: str) -> Address:
    """`text` as one plain email address; raises `AddressProblem` with the reason if it is not."""
    try:
        result = validate_email(text, check_deliverability=False, allow_smtputf8=False)
    except EmailNotValidError as exc:
        raise AddressProblem(str(exc)) from None
    return Address(text, str(result.ascii_email or result.normalized), result.ascii_email)
