"""`spacrm serve`: the web app plus Telegram (polling or webhook), the outbox and the scheduler.

Start-up problems a user can fix (port, token, webhook secret) are one line and exit code 2.
Ctrl+C / SIGTERM: stop taking work, let what is in hand finish for a few seconds, leave the rest
stored (queued replies, received updates) for the next start; a second Ctrl+C exits at once."""

from __future__ import annotations

import asyncio
import contextlib
import errno
import logging
import os
import signal
import socket
from collections.abc import Iterator

import uvicorn
from aiogram.exceptions import TelegramBadRequest, TelegramUnauthorizedError
from aiogram.utils.token import TokenValidationError

from spacrm.adapters.app import wiring
from spacrm.adapters.app.runtime import Runtime, build_runtime
from spacrm.adapters.web.app import create_app
from spacrm.core.settings import Settings, get_settings

log = logging.getLogger("spacrm")


class StartupError(Exception):
    """A setting or the machine prevents starting: one line for the user, exit code 2."""


class _Server(uvicorn.Server):
    """uvicorn without its own signal handling: `serve` owns Ctrl+C (uvicorn would re-raise the
    signal after shutting down, which prints a traceback)."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


def check_settings(settings: Settings) -> None:
    if settings.telegram_webhook_url and settings.telegram_webhook_secret is None:
        raise StartupError(
            "Chế độ webhook (SPACRM_TELEGRAM_WEBHOOK_URL) cần SPACRM_TELEGRAM_WEBHOOK_SECRET "
            "(1–256 ký tự A-Z a-z 0-9 _ -): không có nó ai cũng gửi được tin giả tới bot."
        )


def bind(host: str, port: int) -> socket.socket:
    """The listening socket, opened before anything else starts, so a bad port is one line."""
    if not 1 <= port <= 65535:
        raise StartupError(f"Cổng {port} không hợp lệ: chọn một số từ 1 đến 65535 (--port).")
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise StartupError(f"Không tìm thấy địa chỉ {host} (--host): {exc.strerror}.") from exc
    family, _, _, _, address = infos[0]
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(address)
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise StartupError(
                f"Cổng {port} đang được một chương trình khác dùng: dừng nó hoặc chọn --port khác."
            ) from exc
        raise StartupError(f"Không mở được cổng {host}:{port}: {exc.strerror}.") from exc
    sock.listen(2048)
    sock.setblocking(False)
    return sock


async def start_telegram(runtime: Runtime) -> None:
    channel, inbox = runtime.telegram, runtime.inbox
    if channel is None or inbox is None:
        return
    settings = runtime.settings
    try:
        await channel.bot.get_me()
    except TelegramUnauthorizedError as exc:
        raise StartupError(
            "Telegram từ chối mã bot (SPACRM_TELEGRAM_TOKEN): kiểm tra lại mã lấy từ @BotFather."
        ) from exc
    except Exception as exc:  # Telegram unreachable: start anyway, polling and sends retry
        log.warning("Telegram is not reachable now (%s); will keep trying", exc)
    try:
        await channel.setup_commands()
    except Exception as exc:  # the menu is a nicety; the bot works without it
        log.warning("could not set the Telegram command menu: %s", exc)
    if settings.telegram_webhook_url:
        secret = settings.telegram_webhook_secret
        assert secret is not None  # check_settings
        try:
            await channel.bot.set_webhook(
                settings.telegram_webhook_url, secret_token=secret.get_secret_value()
            )
        except TelegramBadRequest as exc:
            raise StartupError(f"Telegram không nhận địa chỉ webhook: {exc.message}") from exc
        print(f"Telegram: webhook mode ({settings.telegram_webhook_url}).", flush=True)
    else:
        print("Telegram: long polling.", flush=True)
        runtime.spawn(inbox.poll(), name="telegram-poll")
    runtime.spawn(inbox.work(), name="telegram-inbox")


def _install_signals(stop: asyncio.Event) -> None:
    loop = asyncio.get_running_loop()

    def on_signal() -> None:
        if stop.is_set():  # the second Ctrl+C: leave now (everything unsent stays queued)
            print("\nspacrm: dừng ngay.", flush=True)
            os._exit(130)
        print("\nspacrm: đang dừng (Ctrl+C lần nữa để thoát ngay)…", flush=True)
        stop.set()

    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, on_signal)


async def serve(host: str, port: int) -> None:
    settings = get_settings()
    check_settings(settings)
    sock = bind(host, port)
    stop = asyncio.Event()
    _install_signals(stop)
    await wiring.start()
    runtime: Runtime | None = None
    server: _Server | None = None
    try:
        try:
            runtime = build_runtime(settings)
        except TokenValidationError as exc:
            raise StartupError(
                "SPACRM_TELEGRAM_TOKEN không đúng dạng mã bot (123456789:ABC…) của @BotFather."
            ) from exc
        from spacrm.adapters.app import customer_wiring

        customer = await customer_wiring.attach(runtime)
        # Build the Q&A index now (in a thread), not on the first customer's question.
        runtime.spawn(customer.knowledge.current(), name="kb-warm")
        app = create_app(runtime)
        if runtime.telegram is None:
            print(
                "No SPACRM_TELEGRAM_TOKEN set: Telegram is off. Try the same bot in a terminal:\n"
                "    spacrm chat --user st_q1a1",
                flush=True,
            )
        await start_telegram(runtime)
        if runtime.customer_inbox is not None:  # Messenger / Zalo events stored by the webhooks
            runtime.spawn(runtime.customer_inbox.work(), name="customer-inbox")
        runtime.spawn(runtime.dispatcher.run(), name="outbox")
        runtime.spawn(runtime.scheduler(settings.scheduler_seconds), name="scheduler")
        config = uvicorn.Config(
            app, log_level="warning", lifespan="off", timeout_graceful_shutdown=1
        )
        server = _Server(config)
        web = asyncio.create_task(server.serve(sockets=[sock]))
        print(f"spacrm is serving on http://{host}:{port}", flush=True)
        stopped = asyncio.create_task(stop.wait())
        await asyncio.wait({web, stopped}, return_when=asyncio.FIRST_COMPLETED)
        server.should_exit = True
        stopped.cancel()
        await runtime.shutdown(settings.shutdown_seconds, web)
    finally:
        if runtime is not None:
            await runtime.close()
        sock.close()
        await wiring.stop()
