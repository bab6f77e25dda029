"""A real SMTP server on loopback for the notice tests (aiosmtpd): plain, or with STARTTLS and
AUTH LOGIN on a certificate made at test time (trustme); it keeps what it received and
can refuse recipients with a reply of the test's choosing."""

from __future__ import annotations

import socket
import ssl
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import trustme
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

USER, PASSWORD = "shop@example.com", "mail-secret-1"


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    raw: bytes
    tls: bool
    login: str

    @property
    def message(self) -> EmailMessage:
        msg = message_from_bytes(self.raw, policy=policy.default)
        assert isinstance(msg, EmailMessage)
        return msg


@dataclass
class Handler:
    received: list[Received] = field(default_factory=list)
    #: the reply to every RCPT ("" : accept), e.g. "550 5.1.1 No such mailbox"
    refuse_rcpt: str = ""

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: Any
    ) -> str:
        if self.refuse_rcpt:
            return self.refuse_rcpt
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        login = session.auth_data.login.decode() if session.authenticated else ""
        self.received.append(
            Received(
                envelope.mail_from,
                list(envelope.rcpt_tos),
                envelope.original_content or envelope.content,
                session.ssl is not None,
                login,
            )
        )
        return "250 Message accepted"


@dataclass
class MailServer:
    host: str
    port: int
    handler: Handler
    ca_file: str = ""

    @property
    def received(self) -> list[Received]:
        return self.handler.received


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


#: the AUTH mechanisms clients used, in order
MECHANISMS: list[str] = []


def _authenticate(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> Any:
    MECHANISMS.append(mechanism)
    ok = isinstance(data, LoginPassword) and (data.login, data.password) == (
        USER.encode(),
        PASSWORD.encode(),
    )
    return AuthResult(success=ok, handled=False, auth_data=data if ok else None)


@contextmanager
def smtp_server(tmp_path: Path, *, tls: bool = False) -> Iterator[MailServer]:
    """A server on a free loopback port; ``tls``: STARTTLS required, then AUTH LOGIN."""
    handler = Handler()
    kwargs: dict[str, Any] = {}
    ca_file = ""
    if tls:
        ca = trustme.CA()
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ca.issue_cert("127.0.0.1", "localhost").configure_cert(context)
        ca_path = tmp_path / "smtp-ca.pem"
        ca.cert_pem.write_to_path(str(ca_path))
        ca_file = str(ca_path)
        kwargs = {
            "tls_context": context,
            "require_starttls": True,
            "authenticator": _authenticate,
            "auth_required": True,
            "auth_require_tls": True,
            # AUTH LOGIN only (smtplib would choose PLAIN when offered)
            "auth_exclude_mechanism": ["PLAIN"],
        }
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port, **kwargs)
    controller.start()
    try:
        yield MailServer("127.0.0.1", port, handler, ca_file)
    finally:
        controller.stop()
