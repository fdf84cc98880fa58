"""send_email against a real local SMTP server (aiosmtpd), read back with the email package."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Iterator
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from monitor.config import SmtpSettings
from monitor.digest import build_day, default_templates_dir, render_email, send_email
from monitor.errors import DigestError
from tests.test_digest_sample import DAY, TZ, health, stories

SUBJECT = "monitor digest 2026-11-24"


class Inbox:
    """An aiosmtpd handler that keeps every envelope it receives."""

    def __init__(self) -> None:
        self.envelopes: list[Any] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def authenticator(
    server: Any, session: Any, envelope: Any, mechanism: str, data: Any
) -> AuthResult:
    ok = isinstance(data, LoginPassword) and (data.login, data.password) == (b"digest", b"s3cret")
    return AuthResult(success=ok, handled=False)


@pytest.fixture
def smtp_server() -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()
    port = free_port()
    controller = Controller(
        inbox,
        hostname="127.0.0.1",
        port=port,
        authenticator=authenticator,
        auth_require_tls=False,
    )
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


def digest_message() -> EmailMessage:
    digest = build_day(stories(), health(), DAY, TZ)
    return render_email(
        digest,
        default_templates_dir(),
        "Monitor <monitor@example.org>",
        ["reader@example.org", "Second Reader <second@example.org>"],
        SUBJECT,
    )


def test_send_and_read_back(smtp_server: tuple[Inbox, int]) -> None:
    inbox, port = smtp_server
    message = digest_message()
    asyncio.run(send_email(message, SmtpSettings(host="127.0.0.1", port=port, timeout_s=10)))
    assert len(inbox.envelopes) == 1
    envelope = inbox.envelopes[0]
    assert envelope.mail_from == "monitor@example.org"
    assert sorted(envelope.rcpt_tos) == ["reader@example.org", "second@example.org"]
    received = message_from_bytes(envelope.content, policy=policy.default)
    assert isinstance(received, EmailMessage)
    assert received["Subject"] == SUBJECT
    assert received["Date"] and received["Message-ID"]
    assert message["Date"] is None  # the caller's message is left as it was
    assert received.get_content_type() == "multipart/alternative"
    plain, html = received.get_body(("plain",)), received.get_body(("html",))
    assert plain is not None and html is not None
    text, markup = str(plain.get_content()), str(html.get_content())
    assert "Port strike enters third day" in text and "CONFLICTING" in text
    assert "Port strike enters third day" in markup
    assert 'style="' in markup and "<style" not in markup
    assert "https://reuters.example/r1" in markup


def test_send_with_login(smtp_server: tuple[Inbox, int]) -> None:
    inbox, port = smtp_server
    settings = SmtpSettings(
        host="127.0.0.1", port=port, username="digest", password="s3cret", timeout_s=10
    )
    asyncio.run(send_email(digest_message(), settings))
    assert len(inbox.envelopes) == 1
    bad = settings.model_copy(update={"password": "wrong"})
    with pytest.raises(DigestError) as info:
        asyncio.run(send_email(digest_message(), bad))
    assert info.value.__cause__ is not None
    assert len(inbox.envelopes) == 1


def test_starttls_refused_by_a_plain_server_is_a_digest_error(
    smtp_server: tuple[Inbox, int],
) -> None:
    _, port = smtp_server
    with pytest.raises(DigestError):
        asyncio.run(
            send_email(digest_message(), SmtpSettings(host="127.0.0.1", port=port, starttls=True))
        )


def test_connection_refused_is_a_digest_error() -> None:
    port = free_port()  # nothing listens there now
    with pytest.raises(DigestError) as info:
        asyncio.run(send_email(digest_message(), SmtpSettings(host="127.0.0.1", port=port)))
    assert isinstance(info.value.__cause__, OSError)


def test_ssl_and_starttls_together_are_refused() -> None:
    with pytest.raises(DigestError):
        asyncio.run(send_email(digest_message(), SmtpSettings(port=465, ssl=True, starttls=True)))
