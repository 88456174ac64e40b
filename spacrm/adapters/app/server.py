"""`spacrm serve`: the web app plus Telegram (polling or webhook), the outbox and the scheduler."""

from __future__ import annotations

import asyncio
import contextlib
import logging

import uvicorn

from spacrm.adapters.app import wiring
from spacrm.adapters.app.runtime import Runtime, build_runtime
from spacrm.adapters.web.app import create_app
from spacrm.core.settings import get_settings

log = logging.getLogger("spacrm")


async def start_telegram(runtime: Runtime) -> None:
    channel = runtime.telegram
    if channel is None:
        return
    settings = runtime.settings
    try:
        await channel.setup_commands()
    except Exception as exc:  # the menu is a nicety; the bot works without it
        log.warning("could not set the Telegram command menu: %s", exc)
    if settings.telegram_webhook_url:
        secret = (
            settings.telegram_webhook_secret.get_secret_value()
            if settings.telegram_webhook_secret
            else None
        )
        await channel.bot.set_webhook(settings.telegram_webhook_url, secret_token=secret)
        print(f"Telegram: webhook mode ({settings.telegram_webhook_url}).", flush=True)
    else:
        print("Telegram: long polling.", flush=True)
        runtime.spawn(channel.dispatcher.start_polling(channel.bot, handle_signals=False))


async def serve(host: str, port: int) -> None:
    settings = get_settings()
    await wiring.start()
    runtime = build_runtime(settings)
    from spacrm.adapters.app import customer_wiring

    await customer_wiring.attach(runtime)
    app = create_app(runtime)
    if runtime.telegram is None:
        print(
            "No SPACRM_TELEGRAM_TOKEN set: Telegram is off. Try the same bot in a terminal:\n"
            "    spacrm chat --user st_q1a1",
            flush=True,
        )
    await start_telegram(runtime)
    runtime.spawn(runtime.dispatcher.run())
    runtime.spawn(runtime.scheduler())
    print(f"spacrm is serving on http://{host}:{port}", flush=True)
    server = uvicorn.Server(uvicorn.Config(app, host=host, port=port, log_level="warning"))
    try:
        await server.serve()
    finally:
        runtime.dispatcher.stop()
        if runtime.telegram is not None:
            with contextlib.suppress(Exception):
                await runtime.telegram.dispatcher.stop_polling()
            await runtime.telegram.bot.session.close()
        for task in list(runtime._tasks):
            task.cancel()
        await asyncio.sleep(0)
        await wiring.stop()
