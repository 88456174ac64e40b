"""A fake SMTP server (aiosmtpd) on 127.0.0.1 for tests and demos.

aiosmtpd's Controller runs the server in its own thread and event loop, so the blocking smtplib
client (run through `asyncio.to_thread`) and the test's loop never wait on each other::

    async with FakeSMTP(user="spa", password="secret") as fake:
        mailer = SmtpMailer("127.0.0.1", fake.port, sender="a@spa.vn", user="spa", password="secret")
        await mailer.send("khach@example.com", "Xác nhận lịch hẹn", "Chào chị Lan")
        mail = await fake.wait_for_message()
        assert mail["Subject"] == "Xác nhận lịch hẹn"

Run by hand (prints each mail): ``python -m tests.fakes.smtp --port 8025``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import email
import email.policy
import threading
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Any, cast

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session


@dataclass
class ReceivedMail:
    """Envelope data next to the parsed message (the envelope can differ from the headers)."""

    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage
    authenticated_as: str | None = None
    raw: bytes = field(default=b"", repr=False)


class _PortZeroController(Controller):
    """Controller that can bind port 0: it learns the real port before its self-check connects."""

    def _create_server(self) -> Awaitable[asyncio.AbstractServer]:
        async def create() -> asyncio.AbstractServer:
            server = await self.loop.create_server(
                self._factory_invoker, host=self.hostname, port=self.port, ssl=self.ssl_context
            )
            self.port = server.sockets[0].getsockname()[1]
            return server

        return create()


class FakeSMTP:
    """SMTP sink with optional AUTH, scripted refusals and a down switch."""

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        user: str | None = None,
        password: str | None = None,
        on_message: Callable[[ReceivedMail], None] | None = None,
    ) -> None:
        self.host = host
        self.port = port
        self.user = user
        self.password = password
        self.on_message = on_message
        self.received: list[ReceivedMail] = []
        self.auth_attempts: list[tuple[str, str, bool]] = []  # (mechanism, login, success)
        self._lock = threading.Lock()  # the handler runs on the controller's thread
        self._cursor = 0
        self._reject_reply: str | None = None
        self._reject_only: set[str] | None = None
        self._controller: _PortZeroController | None = None

    # ----------------------------------------------------------------- lifecycle
    def start(self) -> FakeSMTP:
        auth: dict[str, Any] = {}
        if self.user is not None:
            # Loopback without TLS: allow AUTH in clear text. AUTH is required by handle_MAIL
            # rather than aiosmtpd's auth_required, which warns on every connection without TLS.
            auth = {"authenticator": self._authenticate, "auth_require_tls": False}
        self._controller = _PortZeroController(
            _Handler(self),
            hostname=self.host,
            port=self.port,
            server_hostname="fake-smtp.local",
            **auth,
        )
        self._controller.start()
        self.port = int(self._controller.port)
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    @property
    def down(self) -> bool:
        return self._controller is None

    def set_down(self, down: bool) -> None:
        """Stop listening (connections are refused) or come back on the same port."""
        if down:
            self.stop()
        elif self._controller is None:
            self.start()

    def __enter__(self) -> FakeSMTP:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    async def __aenter__(self) -> FakeSMTP:
        return await asyncio.to_thread(self.start)

    async def __aexit__(self, *exc: object) -> None:
        await asyncio.to_thread(self.stop)

    # ----------------------------------------------------------------- test controls
    @property
    def messages(self) -> list[EmailMessage]:
        with self._lock:
            return [r.message for r in self.received]

    def reject(
        self, reply: str = "550 5.1.1 Mailbox unavailable", recipients: Iterable[str] | None = None
    ) -> None:
        """Refuse RCPT TO with `reply` ("550 ..." permanent, "451 ..." temporary), for all or some."""
        self._reject_reply = reply
        self._reject_only = {r.lower() for r in recipients} if recipients is not None else None

    def accept(self) -> None:
        self._reject_reply = None
        self._reject_only = None

    # A timeout argument (not asyncio.timeout) keeps test code short: the wait is the assertion.
    async def wait_for_message(self, timeout: float = 5.0) -> EmailMessage:
        """The next message not yet returned by an earlier call (so none is missed)."""
        return (await self.wait_for_mail(timeout)).message

    async def wait_for_mail(self, timeout: float = 5.0) -> ReceivedMail:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            with self._lock:
                if self._cursor < len(self.received):
                    self._cursor += 1
                    return self.received[self._cursor - 1]
            if loop.time() >= deadline:
                raise TimeoutError(f"no mail arrived within {timeout}s")
            # The mail arrives on another thread; polling is simpler than a cross-loop wake-up.
            await asyncio.sleep(0.01)

    # ----------------------------------------------------------------- server side
    def _authenticate(
        self, server: SMTP, session: Session, envelope: Envelope, mechanism: str, auth_data: Any
    ) -> AuthResult:
        if not isinstance(auth_data, LoginPassword):
            return AuthResult(success=False, handled=False)
        login = auth_data.login.decode("utf-8", "replace")
        ok = login == self.user and auth_data.password.decode("utf-8", "replace") == self.password
        with self._lock:
            self.auth_attempts.append((mechanism, login, ok))
        return AuthResult(success=ok, handled=False, auth_data=login if ok else None)

    def _refusal_for(self, address: str) -> str | None:
        if self._reject_reply is None:
            return None
        if self._reject_only is None or address.lower() in self._reject_only:
            return self._reject_reply
        return None

    def _store(self, envelope: Envelope, session: Session) -> None:
        raw = cast(bytes, envelope.original_content or envelope.content or b"")
        message = email.message_from_bytes(raw, policy=email.policy.default)
        auth = session.auth_data if isinstance(session.auth_data, str) else None
        mail = ReceivedMail(envelope.mail_from or "", list(envelope.rcpt_tos), message, auth, raw)
        with self._lock:
            self.received.append(mail)
        if self.on_message is not None:
            self.on_message(mail)


class _Handler:
    def __init__(self, fake: FakeSMTP) -> None:
        self.fake = fake

    async def handle_MAIL(
        self,
        server: SMTP,
        session: Session,
        envelope: Envelope,
        address: str,
        mail_options: list[str],
    ) -> str:
        if self.fake.user is not None and not session.authenticated:
            return "530 5.7.0 Authentication required"
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RCPT(
        self,
        server: SMTP,
        session: Session,
        envelope: Envelope,
        address: str,
        rcpt_options: list[str],
    ) -> str:
        refusal = self.fake._refusal_for(address)
        if refusal is not None:
            return refusal
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        self.fake._store(envelope, session)
        return "250 Message accepted for delivery"


def _print_mail(mail: ReceivedMail) -> None:
    message = mail.message
    print("=" * 72)
    print(f"From: {message['From']}  (envelope {mail.mail_from})")
    print(f"To: {message['To']}  (envelope {', '.join(mail.rcpt_tos)})")
    print(f"Subject: {message['Subject']}")
    body = message.get_body(preferencelist=("plain", "html"))
    if body is not None:
        print()
        print(cast(EmailMessage, body).get_content(), flush=True)


def _main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Fake SMTP server: prints every mail")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8025)
    parser.add_argument("--user")
    parser.add_argument("--password")
    args = parser.parse_args(argv)
    fake = FakeSMTP(
        host=args.host,
        port=args.port,
        user=args.user,
        password=args.password,
        on_message=_print_mail,
    )
    with fake:
        print(
            f"Fake SMTP at {fake.host}:{fake.port}" + (f" (AUTH {args.user})" if args.user else "")
        )
        with contextlib.suppress(KeyboardInterrupt):
            threading.Event().wait()


if __name__ == "__main__":
    _main()
