"""Webhook handshake, signatures and parsing; deliveries come from the fake over loopback."""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from aiohttp import web

from spacrm.adapters.facebook.webhook import (
    FbInbound,
    parse_events,
    verify_challenge,
    verify_signature,
)
from tests.fakes.facebook import FakeGraph

APP_SECRET = "fb-app-secret"
VERIFY_TOKEN = "verify-me"
PAGE_A, PAGE_B = "111", "222"


@dataclass
class Receiver:
    """A minimal webhook endpoint built from the adapter's pure functions (what the web app does)."""

    url: str = ""
    raw_bodies: list[bytes] = field(default_factory=list)
    events: list[FbInbound] = field(default_factory=list)


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    rec = Receiver()

    async def get(request: web.Request) -> web.Response:
        challenge = verify_challenge(request.query, VERIFY_TOKEN)
        return web.Response(text=challenge) if challenge is not None else web.Response(status=403)

    async def post(request: web.Request) -> web.Response:
        raw = await request.read()
        if not verify_signature(raw, request.headers.get("X-Hub-Signature-256"), APP_SECRET):
            return web.Response(status=403)
        rec.raw_bodies.append(raw)
        try:
            rec.events.extend(parse_events(json.loads(raw)))
        except ValueError:
            pass  # unparseable but signed: acknowledge and ignore
        return web.Response(text="EVENT_RECEIVED")

    app = web.Application()
    app.router.add_get("/fb", get)
    app.router.add_post("/fb", post)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    rec.url = f"http://127.0.0.1:{runner.addresses[0][1]}/fb"
    yield rec
    await runner.cleanup()


async def test_challenge_handshake(graph: FakeGraph, receiver: Receiver) -> None:
    assert await graph.verify_webhook(receiver.url, VERIFY_TOKEN, "8812") == (200, "8812")
    status, _ = await graph.verify_webhook(receiver.url, "wrong")
    assert status == 403


def test_verify_challenge_needs_subscribe_mode() -> None:
    params = {"hub.mode": "unsubscribe", "hub.verify_token": VERIFY_TOKEN, "hub.challenge": "1"}
    assert verify_challenge(params, VERIFY_TOKEN) is None
    assert verify_challenge({**params, "hub.mode": "subscribe"}, VERIFY_TOKEN) == "1"
    assert verify_challenge({"hub.mode": "subscribe", "hub.challenge": "1"}, VERIFY_TOKEN) is None


async def test_signed_delivery_is_accepted_and_parsed(graph: FakeGraph, receiver: Receiver) -> None:
    status = await graph.deliver_message(
        receiver.url, PAGE_A, "psid-1", "Chị muốn đặt lịch gội đầu dưỡng sinh", mid="m_1",
        app_secret=APP_SECRET,
    )  # fmt: skip
    assert status == 200
    # The fake sends escaped unicode; the receiver must have hashed those bytes, not UTF-8 ones.
    assert b"\\u1ecb" in receiver.raw_bodies[0]
    (event,) = receiver.events
    assert (event.page_id, event.sender_id, event.mid) == (PAGE_A, "psid-1", "m_1")
    assert event.text == "Chị muốn đặt lịch gội đầu dưỡng sinh"
    assert not event.is_echo


async def test_forged_and_missing_signatures_are_rejected(
    graph: FakeGraph, receiver: Receiver
) -> None:
    body = json.dumps(graph.message_payload(PAGE_A, "psid-1", "hi")).encode()
    forged = "sha256=" + hmac.new(b"other-secret", body, hashlib.sha256).hexdigest()
    assert await graph.deliver_raw(receiver.url, body, {"X-Hub-Signature-256": forged}) == 403
    assert await graph.deliver_raw(receiver.url, body, {}) == 403
    assert receiver.events == []


def test_verify_signature_edge_cases() -> None:
    body = b'{"object":"page"}'
    good = "sha256=" + hmac.new(APP_SECRET.encode(), body, hashlib.sha256).hexdigest()
    assert verify_signature(body, good, APP_SECRET)
    assert verify_signature(body, good.upper().replace("SHA256=", "sha256="), APP_SECRET)
    assert not verify_signature(body + b" ", good, APP_SECRET)  # any byte change breaks it
    assert not verify_signature(body, good.replace("sha256=", "sha1="), APP_SECRET)
    assert not verify_signature(body, good.removeprefix("sha256="), APP_SECRET)
    assert not verify_signature(body, None, APP_SECRET)
    assert not verify_signature(body, good, "")
    # Re-serialised JSON hashes differently from what Meta signed.
    reserialised = json.dumps(json.loads('{"t":"\\u00e4"}'), ensure_ascii=False).encode()
    sig = "sha256=" + hmac.new(APP_SECRET.encode(), b'{"t":"\\u00e4"}', hashlib.sha256).hexdigest()
    assert not verify_signature(reserialised, sig, APP_SECRET)


def _entry(page: str, *items: dict[str, Any]) -> dict[str, Any]:
    return {"id": page, "time": 1700000000000, "messaging": list(items)}


def _msg(page: str, psid: str, message: dict[str, Any], ts: int = 1700000000123) -> dict[str, Any]:
    return {"sender": {"id": psid}, "recipient": {"id": page}, "timestamp": ts, "message": message}


def test_parse_mixed_batch_from_two_pages() -> None:
    payload = {
        "object": "page",
        "entry": [
            _entry(
                PAGE_A,
                _msg(PAGE_A, "u1", {"mid": "m_text", "text": "Giá massage body?"}),
                _msg(PAGE_A, "u1", {"mid": "m_img", "attachments": [
                    {"type": "image", "payload": {"url": "https://x/img.jpg"}}]}),
                _msg(PAGE_A, "u1", {"mid": "m_stk", "sticker_id": 369239263222822, "attachments": [
                    {"type": "image", "payload": {"url": "https://x/s.png", "sticker_id": 369239263222822}}]}),
                {"sender": {"id": "u1"}, "recipient": {"id": PAGE_A}, "timestamp": 1,
                 "delivery": {"mids": ["m_x"], "watermark": 1}},
                {"sender": {"id": "u1"}, "recipient": {"id": PAGE_A}, "timestamp": 1,
                 "read": {"watermark": 1}},
                _msg("u1", PAGE_A, {"mid": "m_echo", "text": "Dạ 500k ạ", "is_echo": True}) | {
                    "sender": {"id": PAGE_A}, "recipient": {"id": "u1"}},
            ),
            _entry(
                PAGE_B,
                {"sender": {"id": "u2"}, "recipient": {"id": PAGE_B}, "timestamp": 1700000000999,
                 "postback": {"title": "Đặt lịch", "payload": "BOOK", "mid": "m_pb"}},
                _msg(PAGE_B, "u2", {"mid": "m_qr", "text": "Sáng", "quick_reply": {"payload": "slot:am"}}),
            ),
        ],
    }  # fmt: skip
    events = parse_events(payload)
    assert [(e.page_id, e.sender_id, e.mid) for e in events] == [
        (PAGE_A, "u1", "m_text"),
        (PAGE_A, "u1", "m_img"),
        (PAGE_A, "u1", "m_stk"),
        (PAGE_B, "u2", "m_pb"),
        (PAGE_B, "u2", "m_qr"),
    ]
    text, img, stk, pb, qr = events
    assert text.text == "Giá massage body?" and text.timestamp_ms == 1700000000123
    assert img.attachments == ["image"] and img.text is None
    assert stk.attachments == ["sticker"]
    assert pb.postback_payload == "BOOK" and pb.payload == "BOOK" and pb.text is None
    assert qr.quick_reply_payload == "slot:am" and qr.text == "Sáng"

    echoes = [e for e in parse_events(payload, include_echoes=True) if e.is_echo]
    assert [(e.page_id, e.sender_id, e.text) for e in echoes] == [(PAGE_A, "u1", "Dạ 500k ạ")]


def test_missing_mid_gets_a_stable_synthetic_id() -> None:
    payload = {"object": "page", "entry": [_entry(PAGE_A, _msg(PAGE_A, "u1", {"text": "hi"}))]}
    first, second = parse_events(payload)[0], parse_events(json.loads(json.dumps(payload)))[0]
    assert first.mid == second.mid and first.mid.startswith("syn_")
    other = {"object": "page", "entry": [_entry(PAGE_A, _msg(PAGE_A, "u1", {"text": "hello"}))]}
    assert parse_events(other)[0].mid != first.mid


@pytest.mark.parametrize(
    "payload",
    [None, [], "x", {}, {"object": "instagram", "entry": [_entry(PAGE_A, _msg(PAGE_A, "u", {"text": "a"}))]},
     {"object": "page", "entry": "nope"}, {"object": "page", "entry": [None, 5, {"messaging": {"a": 1}}]},
     {"object": "page", "entry": [{"id": PAGE_A, "messaging": [None, {"message": "str"},
                                                               {"sender": {}, "message": {"text": "x"}}]}]}],
)  # fmt: skip
def test_malformed_payloads_never_raise(payload: Any) -> None:
    assert parse_events(payload) == []


def test_partially_bad_batch_keeps_the_good_events() -> None:
    payload = {"object": "page", "entry": [
        {"id": PAGE_A, "messaging": [{"sender": None}, _msg(PAGE_A, "u1", {"mid": "m_ok", "text": 5})]},
        "garbage",
    ]}  # fmt: skip
    (event,) = parse_events(payload)
    assert event.mid == "m_ok" and event.text is None
