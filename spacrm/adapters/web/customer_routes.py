"""Customer-facing HTTP: Messenger and Zalo OA webhooks, the website chat widget.

Webhooks check the signature on the raw body, store each new event durably (repeats are skipped
by their id) and only then answer 200; the runtime's customer inbox handles the stored events
(adapters/app/customer_inbox.py), so a kill after the 200 loses nothing. Replies go through the
outbox; the widget answers inline and polls for staff replies.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Awaitable, Callable
from importlib import resources
from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse

from spacrm.adapters.app.customer_inbox import CustomerInbox
from spacrm.adapters.app.runtime import Runtime
from spacrm.adapters.facebook import webhook as fb_webhook
from spacrm.adapters.web.safety import client_address, excerpt, parse_json
from spacrm.adapters.zalo import webhook as zalo_webhook
from spacrm.adapters.zalo.staff import ZaloStaffChannel
from spacrm.bot.customer_engine import CustomerEngine
from spacrm.core.permissions import record_id
from spacrm.core.services import channels, conversations, outbox, ratelimit
from spacrm.core.textnorm import clean_inbound
from spacrm.intents.chat import ChatEvent
from spacrm.intents.customer import detect
from spacrm.intents.customer.texts import CUSTOMER

log = logging.getLogger(__name__)

MAX_WIDGET_TEXT = 20_000
MAX_SESSION = 100


def _static(name: str) -> str:
    return resources.files("spacrm.adapters.web").joinpath(name).read_text("utf-8")


NameLookup = Callable[[str, str], Awaitable[str | None]]


async def _deliver(
    runtime: Runtime, engine: CustomerEngine, event: ChatEvent, names: NameLookup | None = None
) -> None:
    """Run the bot on one inbound customer message and queue its replies (background task)."""
    try:
        if names is not None and event.account_ref:
            known = await conversations.find_conversation(
                event.channel, event.account_ref, event.external_user_id
            )
            if known is None or not known.display_name:
                try:
                    event.display_name = await names(event.account_ref, event.external_user_id)
                except Exception as exc:  # a profile is a nicety; the answer must still go out
                    log.info("profile lookup failed on %s: %s", event.channel, type(exc).__name__)
        replies = await engine.handle(event)
        for reply in replies:
            buttons = [[[b.text, b.payload] for b in row] for row in reply.buttons]
            await outbox.enqueue(
                event.channel, event.external_user_id, {"text": reply.text, "buttons": buttons},
                account_ref=event.account_ref,
            )  # fmt: skip
    except Exception:
        log.exception("customer message %s on %s failed", event.event_id, event.channel)
        try:  # no customer is left without an answer: a polite holding reply, best effort
            await outbox.enqueue(
                event.channel, event.external_user_id, {"text": CUSTOMER["sorry"], "buttons": []},
                account_ref=event.account_ref,
            )  # fmt: skip
        except Exception:
            log.exception("could not queue the holding reply either")
    runtime.dispatcher.kick()


async def _widget_limited(request: Request, session: str, text: str) -> Response | None:
    """The public widget is open to anyone: a session or an address sending faster than a person
    types, or an address leaving new phone numbers (each one a lead for the staff) more than a
    few times an hour, is answered politely and nothing is stored or created."""
    address = client_address(request)
    allowed = await ratelimit.hit(f"widget-msg:{session}", ratelimit.WIDGET_PER_SESSION)
    allowed = allowed and await ratelimit.hit(
        f"widget-addr:{address}", ratelimit.WIDGET_PER_ADDRESS
    )
    phone = detect.find_phone(text) if allowed and text else None
    if phone is not None:
        conv = await conversations.find_conversation("widget", "web", session)
        if conv is None or conv.phone != phone:
            allowed = await ratelimit.hit(
                f"widget-lead:{address}", ratelimit.WIDGET_LEADS_PER_ADDRESS
            )
    if allowed:
        return None
    log.warning("widget rate limit: session %s, address %s", excerpt(session, 40), address)
    return JSONResponse(
        {"error": "too many messages", "replies": [{"text": CUSTOMER["too_fast"]}]},
        status_code=429,
    )


def register(
    app: FastAPI,
    runtime: Runtime,
    engine: CustomerEngine,
    names: dict[str, NameLookup] | None = None,
) -> None:
    settings = runtime.settings
    names = names or {}
    zalo_staff = ZaloStaffChannel(runtime.engine, runtime.dispatcher.kick, settings)

    async def handle_facebook(stored: dict[str, Any]) -> None:
        await _deliver(runtime, engine, ChatEvent(**stored), names.get("facebook"))

    async def handle_zalo(stored: dict[str, Any]) -> None:
        event = ChatEvent(**stored)
        if await zalo_staff.is_staff(event):  # staff use the staff bot on the same OA (staff.py)
            await zalo_staff.handle(event)
        else:
            await _deliver(runtime, engine, event, names.get("zalo"))

    inbox = CustomerInbox(
        {"facebook": handle_facebook, "zalo": handle_zalo}, workers=settings.inbound_workers
    )
    runtime.customer_inbox = inbox

    @app.get("/webhooks/facebook")
    async def facebook_verify(request: Request) -> Response:
        challenge = fb_webhook.verify_challenge(
            dict(request.query_params), settings.facebook_verify_token
        )
        if challenge is None:
            return PlainTextResponse("Forbidden", status_code=403)
        return PlainTextResponse(challenge)

    @app.post("/webhooks/facebook")
    async def facebook_events(request: Request) -> Response:
        raw = await request.body()
        secret = (
            settings.facebook_app_secret.get_secret_value() if settings.facebook_app_secret else ""
        )
        if not fb_webhook.verify_signature(
            raw, request.headers.get(fb_webhook.SIGNATURE_HEADER), secret
        ):
            return PlainTextResponse("Forbidden", status_code=403)
        events = fb_webhook.parse_events(parse_json(raw))
        rows = []
        for ev in events:
            if await channels.get_channel("facebook", ev.page_id) is None:
                continue  # a page we do not manage: acknowledged, ignored
            text = ev.text if ev.text is not None else ev.postback_title
            event = ChatEvent(
                channel="facebook", external_user_id=ev.sender_id, chat_id=ev.sender_id,
                text=text, payload=ev.payload, event_id=ev.mid, message_id=ev.mid,
                attachments=list(ev.attachments), account_ref=ev.page_id,
            )  # fmt: skip
            rows.append((ev.mid, f"{ev.page_id}:{ev.sender_id}", dataclasses.asdict(event)))
        await inbox.accept("facebook", rows)  # stored (or a repeat) before the 200
        return Response(status_code=200)

    @app.post("/webhooks/zalo")
    async def zalo_events(request: Request) -> Response:
        raw = await request.body()
        ev = zalo_webhook.parse_event_body(raw)
        if ev is None:
            return Response(status_code=200)
        channel = await channels.get_channel("zalo", ev.oa_id)
        if channel is None:
            return Response(status_code=200)  # an OA we do not manage
        sig = request.headers.get(zalo_webhook.SIGNATURE_HEADER)
        if not zalo_webhook.verify_signature(raw, sig, channel.secret_key or ""):
            return PlainTextResponse("Forbidden", status_code=403)
        if not ev.is_user_message:
            return Response(status_code=200)
        event = ChatEvent(
            channel="zalo", external_user_id=ev.user_id, chat_id=ev.user_id, text=ev.text,
            event_id=ev.event_id, message_id=ev.msg_id, attachments=list(ev.attachments),
            account_ref=ev.oa_id,
        )  # fmt: skip
        row = (ev.event_id, f"{ev.oa_id}:{ev.user_id}", dataclasses.asdict(event))
        await inbox.accept("zalo", [row])  # stored (or a repeat) before the 200
        return Response(status_code=200)

    @app.post("/api/widget/messages")
    async def widget_post(request: Request) -> Response:
        body: Any = parse_json(await request.body())
        if not isinstance(body, dict):
            return JSONResponse({"error": "expected a JSON object"}, status_code=400)
        session = body.get("session_id")
        text = body.get("text")
        if not isinstance(session, str) or len(session) > MAX_SESSION:
            return JSONResponse({"error": "session_id is required"}, status_code=400)
        session = clean_inbound(session.strip()) or ""
        if not session:
            return JSONResponse({"error": "session_id is required"}, status_code=400)
        if text is not None and not isinstance(text, str):
            return JSONResponse({"error": "text must be a string"}, status_code=400)
        text = clean_inbound(text or "", MAX_WIDGET_TEXT) or ""
        name = body.get("name")
        limited = await _widget_limited(request, session, text)
        if limited is not None:
            return limited
        event = ChatEvent(
            channel="widget", external_user_id=session, chat_id=session, text=text,
            account_ref="web", display_name=name if isinstance(name, str) else None,
        )  # fmt: skip
        replies = await engine.handle(event)
        runtime.dispatcher.kick()
        conv = await conversations.find_conversation("widget", "web", session)
        last = (await conversations.recent(conv, 1))[-1].id if conv else 0
        # Buttons (offered booking times) travel as rows of titles: pressing one sends its title.
        out = [{"text": r.text, "buttons": [[{"text": b.text} for b in row] for row in r.buttons]}
               for r in replies]  # fmt: skip
        return JSONResponse({"replies": out, "last_id": last})

    @app.get("/api/widget/messages")
    async def widget_poll(session_id: str = "", after: str = "0") -> Response:
        since = 0 if after in ("", "0") else record_id(after)
        if since is None:
            return JSONResponse({"error": "after must be a message id"}, status_code=400)
        session = clean_inbound(session_id.strip(), MAX_SESSION + 1) or ""
        conv = (
            await conversations.find_conversation("widget", "web", session)
            if 0 < len(session) <= MAX_SESSION
            else None
        )
        if conv is None:
            return JSONResponse({"replies": [], "last_id": since})
        rows = await conversations.messages_after(conv, since, ("staff",))
        last = rows[-1].id if rows else since
        return JSONResponse({
            "replies": [{"id": m.id, "text": m.text, "from": "staff"} for m in rows],
            "last_id": last, "state": conv.state,
        })  # fmt: skip

    @app.get("/widget/widget.js")
    async def widget_js() -> Response:
        return Response(_static("widget.js"), media_type="application/javascript; charset=utf-8")

    @app.get("/widget/demo")
    async def widget_demo() -> Response:
        return HTMLResponse(_static("widget_demo.html"))
