"""The SMTP client of the notices: Python's ``smtplib`` with STARTTLS (or TLS from the start on
port 465) and log-in, one connection for a batch of messages. Every failure becomes a
``MailError`` that says in plain words what went wrong (server unreachable, log-in refused,
address refused...) and whether sending again could help."""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass
from datetime import datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from types import TracebackType

from app.domain.errors import (
    MailAddressRefused,
    MailDeferred,
    MailError,
    MailLoginRefused,
    MailNotConfigured,
    MailRefused,
    MailSenderRefused,
    MailServerUnreachable,
    MailTlsFailed,
)
from app.domain.notices import SmtpSettings

#: port of SMTP over TLS from the first byte (RFC 8314); other ports speak plain SMTP first
IMPLICIT_TLS_PORT = 465


@dataclass(frozen=True, slots=True)
class Outgoing:
    to: str
    subject: str
    body: str
    message_id: str
    date: datetime


def new_message_id(from_address: str) -> str:
    """A Message-ID on the sender's domain ("<...@shop.example>")."""
    domain = from_address.rpartition("@")[2] or "packdesk.invalid"
    return make_msgid(domain=domain)


def build_message(settings: SmtpSettings, out: Outgoing) -> EmailMessage:
    """The e-mail: UTF-8 text, headers encoded as RFC 2047 where they are not ASCII."""
    msg = EmailMessage()
    try:
        msg["From"] = Address(display_name=settings.from_name, addr_spec=settings.from_address)
    except (ValueError, IndexError) as exc:
        raise MailSenderRefused(address=settings.from_address, error=str(exc)) from None
    try:
        msg["To"] = Address(addr_spec=out.to)
    except (ValueError, IndexError) as exc:
        raise MailAddressRefused(address=out.to, error=str(exc)) from None
    msg["Subject"] = out.subject
    msg["Date"] = format_datetime(out.date)
    msg["Message-ID"] = out.message_id
    msg["Auto-Submitted"] = "auto-generated"
    msg.set_content(out.body, charset="utf-8")
    return msg


class SmtpConnection:
    """``with SmtpConnection(settings) as smtp: smtp.send(outgoing)``: connects, says STARTTLS
    and logs in on entry (raising a MailError for the whole batch), sends one by one."""

    def __init__(self, settings: SmtpSettings) -> None:
        self.settings = settings
        self._smtp: smtplib.SMTP | None = None

    @property
    def server(self) -> str:
        return f"{self.settings.host}:{self.settings.port}"

    def _tls(self) -> ssl.SSLContext:
        context = ssl.create_default_context()
        if self.settings.ca_file:
            context.load_verify_locations(cafile=self.settings.ca_file)
        return context

    def __enter__(self) -> SmtpConnection:
        s = self.settings
        if not s.enabled or not s.host or not s.from_address:
            raise MailNotConfigured()
        try:
            if s.port == IMPLICIT_TLS_PORT:
                smtp: smtplib.SMTP = smtplib.SMTP_SSL(
                    s.host, s.port, timeout=s.timeout, context=self._tls()
                )
            else:
                smtp = smtplib.SMTP(s.host, s.port, timeout=s.timeout)
        except ssl.SSLError as exc:
            raise MailTlsFailed(server=self.server, error=_words(exc)) from None
        except (OSError, smtplib.SMTPException) as exc:
            raise MailServerUnreachable(server=self.server, error=_words(exc)) from None
        self._smtp = smtp
        try:
            self._hello(smtp)
        except BaseException:
            self.close()
            raise
        return self

    def _hello(self, smtp: smtplib.SMTP) -> None:
        s = self.settings
        try:
            smtp.ehlo()
            if s.starttls and s.port != IMPLICIT_TLS_PORT:
                smtp.starttls(context=self._tls())
                smtp.ehlo()
        except (ssl.SSLError, smtplib.SMTPNotSupportedError, smtplib.SMTPResponseException) as exc:
            raise MailTlsFailed(server=self.server, error=_words(exc)) from None
        except (OSError, smtplib.SMTPException) as exc:
            raise MailServerUnreachable(server=self.server, error=_words(exc)) from None
        if not s.user:
            return
        try:
            smtp.login(s.user, s.password)
        except smtplib.SMTPAuthenticationError as exc:
            raise MailLoginRefused(user=s.user, error=_words(exc)) from None
        except smtplib.SMTPNotSupportedError:
            raise MailLoginRefused(
                user=s.user, error="the server offers no log-in on this connection"
            ) from None
        except (OSError, smtplib.SMTPException) as exc:
            raise MailServerUnreachable(server=self.server, error=_words(exc)) from None

    def send(self, out: Outgoing) -> None:
        """Send one message; a MailError says why not (``permanent``: this message only)."""
        smtp = self._smtp
        assert smtp is not None, "send() outside ``with``"
        msg = build_message(self.settings, out)
        try:
            smtp.send_message(msg)
        except smtplib.SMTPRecipientsRefused as exc:
            code, text = next(iter(exc.recipients.values()), (550, b""))
            if code < 500:
                raise MailDeferred(error=_reply(code, text)) from None
            raise MailAddressRefused(address=out.to, error=_reply(code, text)) from None
        except smtplib.SMTPSenderRefused as exc:
            raise MailSenderRefused(
                address=self.settings.from_address, error=_reply(exc.smtp_code, exc.smtp_error)
            ) from None
        except smtplib.SMTPResponseException as exc:
            if exc.smtp_code < 500:
                raise MailDeferred(error=_reply(exc.smtp_code, exc.smtp_error)) from None
            refused = MailRefused(error=_reply(exc.smtp_code, exc.smtp_error))
            refused.permanent = True
            raise refused from None
        except (OSError, smtplib.SMTPException) as exc:
            self.close()
            raise MailServerUnreachable(server=self.server, error=_words(exc)) from None

    def close(self) -> None:
        smtp, self._smtp = self._smtp, None
        if smtp is None:
            return
        try:
            smtp.quit()
        except (OSError, smtplib.SMTPException):
            smtp.close()

    @property
    def open(self) -> bool:
        return self._smtp is not None

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def _reply(code: int, text: bytes | str) -> str:
    words = text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text)
    return f"{code} {' '.join(words.split())}".strip()


def _words(exc: BaseException) -> str:
    if isinstance(exc, smtplib.SMTPResponseException):
        return _reply(exc.smtp_code, exc.smtp_error)
    text = str(exc) or type(exc).__name__
    return " ".join(text.split())


__all__ = ["MailError", "Outgoing", "SmtpConnection", "build_message", "new_message_id"]
