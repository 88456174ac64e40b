"""The one FastAPI app: health, Telegram webhook, and (with the customer chatbot) more webhooks."""

from __future__ import annotations

import logging
import secrets
from typing import Any

from aiogram.types import Update
from fastapi import FastAPI, Request, Response

from spacrm.adapters.runtime import Runtime
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
        # Bytes: compare_digest raises TypeError on a non-ASCII str, and a header can hold anything.
        if expected is not None and not secrets.compare_digest(
            got.encode("utf-8", "surrogateescape"), expected.get_secret_value().encode()
        ):
            return Response("Unauthorized", status_code=401)
        body = await request.body()
        try:
            update = Update.model_validate(parse_json(body), context={"bot": channel.bot})
        except Exception:  # unknown payloads are acknowledged and ignored
            log.info("ignored a Telegram update we cannot read: %s", excerpt(body))
            return Response(status_code=200)
        runtime.spawn(channel.dispatcher.feed_update(channel.bot, update))
        return Response(status_code=200)

    from spacrm.adapters.bank import router as bank_router
    from spacrm.adapters.web import printer_routes

    printer_routes.register(app, runtime.settings, kick=runtime.dispatcher.kick)
    bank_router.register(app, runtime.settings, bank_router.ledger(runtime.dispatcher.kick))
    for extra in runtime.web_extensions:
        extra(app, runtime)
    return app
