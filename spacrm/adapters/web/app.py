"""The one FastAPI app: health, Telegram webhook, and (with the customer chatbot) more webhooks."""

from __future__ import annotations

import logging
import secrets
from typing import Any

from aiogram.types import Update
from fastapi import FastAPI, Request, Response

from spacrm.adapters.app.runtime import Runtime
from spacrm.adapters.web.console import mount_console
from spacrm.adapters.web.safety import BodyLimit, excerpt, parse_json
from spacrm.core import logcap

log = logging.getLogger(__name__)


def create_app(runtime: Runtime) -> FastAPI:
    logcap.install()
    app = FastAPI(title="spacrm", docs_url=None, redoc_url=None)
    app.add_middleware(BodyLimit)
    app.state.runtime = runtime

    @app.get("/healthz")
    async def healthz() -> dict[str, Any]:
        return {"ok": True, "telegram": runtime.telegram is not None}

    @app.get("/")
    async def index() -> Response:
        html = (
            "<!doctype html><meta charset=utf-8><title>spacrm</title>"
            "<h1>spacrm</h1><p>Chat-first CRM for spas. Staff chat with the bot on Telegram or Zalo; "
            "try <code>spacrm chat --user st_q1a1</code> in a terminal.</p>"
        )
        return Response(html, media_type="text/html; charset=utf-8")

    @app.post("/webhooks/telegram")
    async def telegram_webhook(request: Request) -> Response:
        channel = runtime.telegram
        if channel is None:
            return Response(status_code=404)
        expected = runtime.settings.telegram_webhook_secret
        got = request.headers.get("X-Telegram-Bot-Api-Secret-Token", "")
        if expected is None:  # polling mode (serve refuses webhook mode without a secret)
            return Response(status_code=404)
        # Bytes: compare_digest raises TypeError on a non-ASCII str, and a header can hold anything.
        if not secrets.compare_digest(
            got.encode("utf-8", "surrogateescape"), expected.get_secret_value().encode()
        ):
            return Response("Unauthorized", status_code=401)
        body = await request.body()
        try:
            raw = parse_json(body)
            if not isinstance(raw, dict):
                raise ValueError("not a JSON object")
            Update.model_validate(raw, context={"bot": channel.bot})
        except Exception:  # unknown payloads are acknowledged and ignored
            log.info("ignored a Telegram update we cannot read: %s", excerpt(body))
            return Response(status_code=200)
        inbox = runtime.inbox
        assert inbox is not None  # built with the channel
        # Stored before the 200: if the process dies now, the update is handled after the
        # restart; if storing fails, Telegram gets a 500 and delivers it again.
        await inbox.accept([raw])
        return Response(status_code=200)

    from spacrm.adapters.bank import router as bank_router
    from spacrm.adapters.web import printer_routes

    printer_routes.register(app, runtime.settings, kick=runtime.dispatcher.kick)
    bank_router.register(app, runtime.settings, bank_router.ledger(runtime.dispatcher.kick))
    mount_console(app, runtime)
    for extra in runtime.web_extensions:
        extra(app, runtime)
    return app
