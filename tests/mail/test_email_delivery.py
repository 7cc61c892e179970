"""The send loop's pacing and retries, against the real SMTP server with a virtual clock,
and TLS that checks certificates and never falls back to plain text."""

from __future__ import annotations

import datetime as dt
import ipaddress
import ssl
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from email_helpers import Recorder, VirtualClock, addresses, smtp_server

from generator.mail.delivery import SendOptions, deliver_all
from generator.mail.ledger import open_ledger
from generator.mail.smtp import ConnectFailed, SmtpConfig, SmtpConfigError, SmtpConnection, dot_stuffed


def _send(
    tmp_path: Path, recorder: Recorder, people: list[str], options: SendOptions
) -> tuple[VirtualClock, dict[str, int]]:
    clock = VirtualClock()
    with smtp_server(recorder) as server, open_ledger(tmp_path / "ledger.sqlite") as ledger:
        ledger.enrol({p: p for p in people}, lambda: "<id@example.org>")
        config = SmtpConfig("127.0.0.1", server.port, "none")
        summary = deliver_all(
            ledger,
            ledger.in_state("pending"),
            sender="news@example.org",
            message_for=lambda r: f"To: {r.address}\r\nSubject: hi\r\n\r\n.leading dot\r\n".encode(),
            connect=lambda: SmtpConnection(config),
            options=options,
            clock=clock,
        )
        assert summary.stopped is None
        counts = ledger.counts()
    return clock, counts


def test_the_rate_limit_spaces_messages_evenly(tmp_path: Path) -> None:
    recorder = Recorder()
    clock, counts = _send(tmp_path, recorder, addresses(5), SendOptions(per_minute=30))
    assert clock.sleeps == [2.0, 2.0, 2.0, 2.0]
    assert counts["sent"] == 5
    assert all(data.endswith(b".leading dot\r\n") for _, data in recorder.received), (
        "dots are unstuffed intact"
    )


def test_no_rate_limit_means_no_waiting(tmp_path: Path) -> None:
    clock, counts = _send(tmp_path, Recorder(), addresses(5), SendOptions(per_minute=0))
    assert clock.sleeps == [] and counts["sent"] == 5


def test_temporary_refusals_back_off_doubling_then_give_up(tmp_path: Path) -> None:
    people = addresses(2)
    recorder = Recorder(temporary={people[0]: 10})
    clock, counts = _send(tmp_path, recorder, people, SendOptions(per_minute=0, retries=3, retry_wait=5))
    assert clock.sleeps == [5.0, 10.0, 20.0]
    assert counts == {"pending": 1, "sending": 0, "sent": 1, "failed": 0, "uncertain": 0}
    assert recorder.temporary[people[0]] == 6, "first try and three retries"


def test_dot_stuffing() -> None:
    assert dot_stuffed(b"a\n.b\r\n..c") == b"a\r\n..b\r\n...c\r\n.\r\n"


def _self_signed(folder: Path) -> ssl.SSLContext:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False
        )
        .sign(key, hashes.SHA256())
    )
    (folder / "cert.pem").write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    (folder / "key.pem").write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(folder / "cert.pem", folder / "key.pem")
    return context


def test_starttls_refuses_a_certificate_it_cannot_verify(tmp_path: Path) -> None:
    recorder = Recorder()
    context = _self_signed(tmp_path)
    with (
        smtp_server(recorder, tls_context=context) as server,
        pytest.raises(ConnectFailed, match=r"certificate of 127\.0\.0\.1 could not be verified"),
    ):
        SmtpConnection(SmtpConfig("127.0.0.1", server.port, "starttls"))
    assert recorder.received == []


def test_implicit_tls_to_a_plain_server_fails_instead_of_falling_back(tmp_path: Path) -> None:
    recorder = Recorder()
    with (
        smtp_server(recorder) as server,
        pytest.raises(ConnectFailed, match=r"cannot talk to 127\.0\.0\.1:\d+"),
    ):
        SmtpConnection(SmtpConfig("127.0.0.1", server.port, "ssl"))
    assert recorder.received == []


def test_a_password_needs_tls_unless_the_server_is_on_this_machine() -> None:
    env = {
        "SOFS_SMTP_HOST": "mail.example.org",
        "SOFS_SMTP_TLS": "none",
        "SOFS_SMTP_USER": "u",
        "SOFS_SMTP_PASSWORD": "secret",
    }
    with pytest.raises(SmtpConfigError, match="refusing to send a password without TLS"):
        SmtpConfig.from_env(env)
    config = SmtpConfig.from_env({**env, "SOFS_SMTP_TLS": "starttls"})
    assert (config.port, config.tls) == (587, "starttls")
    assert "secret" not in repr(config) + config.describe()
