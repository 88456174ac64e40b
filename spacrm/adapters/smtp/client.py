"""Outbound e-mail over SMTP with the standard library only.

smtplib is blocking, so each send runs in a worker thread (`asyncio.to_thread`); a mail is rare
enough that a thread per send costs nothing, and it saves a dependency. Failures come back as one
exception type, `MailError`, whose `permanent` flag tells the outbox whether retrying can help.
"""

from __future__ import annotations

import asyncio
import base64
import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formatdate, make_msgid, parseaddr


class MailError(Exception):
    """A mail was not accepted.

    `permanent` is True when this very message will never be accepted (the server refused the
    recipient, sender or content with a 5xx, or the address is malformed): retrying is pointless.
    It is False for anything that may pass later: connection errors, timeouts, 4xx answers, and
    configuration problems such as a wrong password (fixing the settings makes a retry succeed).
    """

    def __init__(self, permanent: bool, reason: str, code: int | None = None) -> None:
        super().__init__(reason)
        self.permanent = permanent
        self.reason = reason
        self.code = code

    def __repr__(self) -> str:
        return (
            f"MailError(permanent={self.permanent!r}, reason={self.reason!r}, code={self.code!r})"
        )


# 5xx replies that are about our credentials, not the message: a settings fix makes them pass.
_AUTH_CODES = frozenset({530, 534, 535, 538})


def _permanent(code: int) -> bool:
    return code >= 500 and code not in _AUTH_CODES


def _text(raw: bytes | str) -> str:
    return raw.decode("utf-8", "replace") if isinstance(raw, bytes) else raw


class SmtpMailer:
    """Sends one mail per `send` call; a new SMTP connection each time (mail volume is low)."""

    def __init__(
        self,
        host: str,
        port: int,
        *,
        sender: str,
        user: str | None = None,
        password: str | None = None,
        use_tls: bool = False,
        starttls: bool | None = None,
        timeout: float = 10.0,
        ssl_context: ssl.SSLContext | None = None,
        local_hostname: str | None = None,
    ) -> None:
        """`use_tls`: implicit TLS (port 465). `starttls`: None = upgrade when the server offers it,
        True = require it, False = never. `sender` may carry a display name: "Spa Hoa Sen <a@b.vn>".
        """
        self.host = host
        self.port = port
        self.sender = sender
        self.user = user
        self.password = password
        self.use_tls = use_tls
        self.starttls = starttls
        self.timeout = timeout
        self.ssl_context = ssl_context
        self.local_hostname = local_hostname
        self.sender_address = parseaddr(sender)[1]
        if "@" not in self.sender_address:
            raise ValueError(f"sender {sender!r} has no e-mail address")

    async def send(self, to: str, subject: str, text: str, html: str | None = None) -> None:
        """Send a UTF-8 mail (plain text, plus an HTML alternative when given) or raise MailError."""
        message = self.build_message(to, subject, text, html)
        await asyncio.to_thread(self._send_sync, message, parseaddr(to)[1])

    def build_message(
        self, to: str, subject: str, text: str, html: str | None = None
    ) -> EmailMessage:
        address = parseaddr(to)[1]
        if "@" not in address or any(c in to for c in "\r\n"):
            raise MailError(True, f"invalid recipient address {to!r}")
        message = EmailMessage()
        try:
            message["From"] = self.sender
            message["To"] = to
            message["Subject"] = subject
        except ValueError as exc:  # e.g. a line break in the subject (header injection)
            raise MailError(True, f"invalid header: {exc}") from None
        message["Date"] = formatdate(localtime=True)
        # An explicit domain: make_msgid() would otherwise do a slow reverse DNS lookup.
        message["Message-ID"] = make_msgid(domain=self.sender_address.rsplit("@", 1)[1])
        # quoted-printable keeps the body 7-bit clean for servers without 8BITMIME.
        message.set_content(text, charset="utf-8", cte="quoted-printable")
        if html is not None:
            message.add_alternative(html, subtype="html", charset="utf-8", cte="quoted-printable")
        return message

    def _context(self) -> ssl.SSLContext:
        return self.ssl_context or ssl.create_default_context()

    @staticmethod
    def _login(smtp: smtplib.SMTP, user: str, password: str) -> None:
        if (user + password).isascii():
            smtp.login(user, password)
            return
        # smtplib encodes credentials as ASCII; RFC 4616 PLAIN is UTF-8, so send it by hand.
        if "plain" not in smtp.esmtp_features.get("auth", "").lower().split():
            raise MailError(False, "non-ASCII credentials need AUTH PLAIN, which the server lacks")
        token = base64.b64encode(f"\0{user}\0{password}".encode()).decode("ascii")
        code, reply = smtp.docmd("AUTH", f"PLAIN {token}")
        if code != 235:
            raise smtplib.SMTPAuthenticationError(code, reply)

    def _send_sync(self, message: EmailMessage, recipient: str) -> None:
        try:
            smtp: smtplib.SMTP
            if self.use_tls:
                smtp = smtplib.SMTP_SSL(
                    self.host,
                    self.port,
                    local_hostname=self.local_hostname,
                    timeout=self.timeout,
                    context=self._context(),
                )
            else:
                smtp = smtplib.SMTP(
                    self.host, self.port, local_hostname=self.local_hostname, timeout=self.timeout
                )
            with smtp:
                smtp.ehlo()
                if not self.use_tls and self.starttls is not False:
                    if smtp.has_extn("starttls"):
                        smtp.starttls(context=self._context())
                        smtp.ehlo()
                    elif self.starttls:
                        raise MailError(False, "the server does not offer STARTTLS")
                if self.user:
                    self._login(smtp, self.user, self.password or "")
                smtp.send_message(message, from_addr=self.sender_address, to_addrs=[recipient])
        except MailError:
            raise
        except smtplib.SMTPRecipientsRefused as exc:
            code, reply = next(iter(exc.recipients.values()), (0, b"recipient refused"))
            raise MailError(
                _permanent(code), f"recipient refused: {code} {_text(reply)}", code
            ) from exc
        except smtplib.SMTPAuthenticationError as exc:
            raise MailError(
                False,
                f"authentication failed: {exc.smtp_code} {_text(exc.smtp_error)}",
                exc.smtp_code,
            ) from exc
        except smtplib.SMTPResponseException as exc:  # sender refused, data refused, 421, ...
            code = exc.smtp_code
            raise MailError(
                _permanent(code), f"server refused: {code} {_text(exc.smtp_error)}", code
            ) from exc
        except smtplib.SMTPNotSupportedError as exc:
            raise MailError(False, f"server lacks a needed extension: {exc}") from exc
        except (smtplib.SMTPException, OSError) as exc:  # refused connection, timeout, TLS, drop
            raise MailError(
                False, f"cannot talk to {self.host}:{self.port}: {type(exc).__name__}: {exc}"
            ) from exc
