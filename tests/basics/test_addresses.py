"""One address rule for the newsletter's mailbox and for subscribers."""

from __future__ import annotations

import pytest

from generator.basics.addresses import AddressProblem, checked_address
from generator.mail.subscribers import SubscriberError, normalise


def test_a_plain_address_is_kept_with_its_normal_form() -> None:
    address = checked_address("Someone@Example.ORG")
    assert address.written == "Someone@Example.ORG" and address.normal == "Someone@example.org"


def test_an_international_domain_has_an_ascii_form() -> None:
    address = checked_address("practice@exämple.org")
    assert address.ascii == "practice@xn--exmple-cua.org" and address.normal == address.ascii


@pytest.mark.parametrize(
    "text", ["not-an-address", "news@example.org?bcc=x@example.org", "Name <a@example.org>"]
)
def test_anything_but_one_plain_address_is_refused_with_the_reason(text: str) -> None:
    with pytest.raises(AddressProblem) as refused:
        checked_address(text)
    assert str(refused.value)
    with pytest.raises(SubscriberError, match="is not a usable email address"):
        normalise(text)
