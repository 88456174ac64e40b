"""Malformed and hostile unauthenticated requests against the running app (issue 13 #10):
never a 5xx, nothing stored from what was refused, and the public widget's spam creates no leads."""

from __future__ import annotations

import asyncio
import json
import uuid
from urllib.parse import quote

import httpx
from pydantic import SecretStr

from spacrm.core.models import Conversation, Lead
from tests.conftest import new_phone
from tests.customer.conftest import World


def _widget(session: str, text: str, **extra: object) -> bytes:
    return json.dumps({"session_id": session, "text": text, **extra}).encode()


async def test_malformed_requests_never_get_a_5xx(world: World) -> None:
    world.runtime.settings.telegram_webhook_secret = SecretStr("tg-secret")
    tag = uuid.uuid4().hex[:8]
    deep = b"[" * 100_000 + b"]" * 100_000
    deep_obj = b'{"a":' * 50_000 + b"1" + b"}" * 50_000
    surrogate = (
        b'{"session_id": "s-\\ud800-' + tag.encode() + b'", "text": "hi \\udfff\\u0000 there"}'
    )
    two_mb_name = _widget(f"big-{tag}", "chào shop", name="N" * 2_000_000)
    near_mb_name = _widget(f"name-{tag}", "chào shop", name="Lan " * 200_000)

    def chunks() -> object:
        async def gen():  # type: ignore[no-untyped-def]
            for _ in range(40):
                yield b"x" * 65_536

        return gen()

    posts: list[tuple[str, bytes | None, dict[str, bytes | str]]] = [
        ("/webhooks/telegram", b"{}", {"X-Telegram-Bot-Api-Secret-Token": "ñ".encode()}),
        (
            "/webhooks/telegram",
            b"{}",
            {"X-Telegram-Bot-Api-Secret-Token": "\xff".encode("latin-1")},
        ),
        ("/webhooks/telegram", deep, {"X-Telegram-Bot-Api-Secret-Token": "tg-secret"}),
        (
            "/webhooks/telegram",
            b'{"update_id": "x", "message": [1]}',
            {"X-Telegram-Bot-Api-Secret-Token": "tg-secret"},
        ),
        ("/webhooks/facebook", deep, {"X-Hub-Signature-256": "sha256=ñ".encode()}),
        ("/webhooks/facebook", b"not json", {}),
        ("/webhooks/zalo", deep, {}),
        ("/webhooks/zalo", deep_obj, {}),
        (
            "/webhooks/zalo",
            b'{"event_name": "user_send_text", "app_id": "1", "timestamp": "1",'
            b' "recipient": {"id": "\\ud800"}, "sender": {"id": "\\u0000"},'
            b' "message": {"text": "\\ud800", "msg_id": "\\ud800"}}',
            {"X-ZEvent-Signature": "mac=ñ".encode()},
        ),
        ("/webhooks/zalo", b'{"event_name": 5, "sender": [], "recipient": "x"}', {}),
        ("/api/widget/messages", surrogate, {}),
        ("/api/widget/messages", deep, {}),
        ("/api/widget/messages", deep_obj, {}),
        ("/api/widget/messages", two_mb_name, {}),
        ("/api/widget/messages", near_mb_name, {}),
        ("/api/widget/messages", _widget("x" * 5000, "hi"), {}),
        ("/api/widget/messages", b'{"session_id": 5, "text": "hi"}', {}),
        ("/api/widget/messages", b'{"session_id": "ok", "text": ["hi"]}', {}),
        ("/api/widget/messages", b'{"session_id": "   ", "text": "hi"}', {}),
        ("/api/widget/messages", b'{"session_id": "\\u0000\\u0000", "text": "hi"}', {}),
        ("/api/widget/messages", _widget(f"t-{tag}", "1" * 4300), {}),
        ("/api/widget/messages", b"\xff\xfe\x00", {}),
        ("/api/widget/messages", b"", {}),
        ("/api/widget/messages", None, {}),  # a 2.6 MB chunked body
    ]
    statuses: dict[str, int] = {}
    async with httpx.AsyncClient(base_url=world.base, timeout=30) as http:
        for i, (path, body, headers) in enumerate(posts):
            content = body if body is not None else chunks()
            r = await http.post(path, content=content, headers=headers)  # type: ignore[arg-type]
            statuses[f"{i} {path}"] = r.status_code
        gets = [
            {"session_id": f"t-{tag}", "after": "1e30"},
            {"session_id": f"t-{tag}", "after": str(10**30)},
            {"session_id": f"t-{tag}", "after": "-5"},
            {"session_id": f"t-{tag}", "after": "²"},
            {"session_id": "\ud800", "after": "0"},
            {"session_id": "x" * 5000, "after": "0"},
            {"session_id": "\x00"},
        ]
        for i, params in enumerate(gets):
            url = "/api/widget/messages?" + "&".join(
                f"{k}={quote(v.encode('utf-8', 'surrogatepass'))}" for k, v in params.items()
            )
            r = await http.get(url)
            statuses[f"get {i}"] = r.status_code
        fb_verify = await http.get(
            "/webhooks/facebook", params={"hub.mode": "subscribe", "hub.verify_token": "ñ\x00"}
        )
        statuses["fb verify"] = fb_verify.status_code
        health = await http.get("/healthz")
    assert not [k for k, v in statuses.items() if v >= 500], statuses
    assert health.status_code == 200
    assert statuses["0 /webhooks/telegram"] == 401 and statuses["1 /webhooks/telegram"] == 401
    assert statuses["13 /api/widget/messages"] == 413 and statuses["23 /api/widget/messages"] == 413
    # The surrogate and NUL were cleaned, not stored, and the conversation exists under the clean id.
    conv = await Conversation.get_or_none(customer_ref=f"s--{tag}")
    assert conv is not None
    stored = await conv.messages.all()
    assert stored and all("\x00" not in m.text and "\ud800" not in m.text for m in stored)
    named = await Conversation.get_or_none(customer_ref=f"name-{tag}")
    assert named is not None and named.display_name is not None and len(named.display_name) <= 120


async def test_widget_spam_from_one_address_creates_no_more_than_three_leads(world: World) -> None:
    tag = uuid.uuid4().hex[:8]
    phones = [new_phone() for _ in range(100)]
    spammer = {"X-Forwarded-For": f"203.0.113.{int(tag[:2], 16) % 250}"}
    async with httpx.AsyncClient(base_url=world.base, timeout=30) as http:

        async def post(i: int) -> int:
            r = await http.post(
                "/api/widget/messages",
                content=_widget(f"spam-{tag}-{i}", f"sđt em {phones[i]}"),
                headers=spammer,
            )
            return r.status_code

        codes = await asyncio.gather(*(post(i) for i in range(100)))
    assert all(c in (200, 429) for c in codes), codes
    assert codes.count(200) <= 3
    assert await Lead.filter(phone__in=phones).count() <= 3


async def test_concurrent_first_widget_messages_get_answers_and_one_lead(world: World) -> None:
    tag = uuid.uuid4().hex[:8]
    phone = new_phone()
    async with httpx.AsyncClient(base_url=world.base, timeout=30) as http:

        async def post(i: int) -> httpx.Response:
            return await http.post(
                "/api/widget/messages",
                content=_widget(
                    f"first-{tag}-{i}", f"Em tên Hoa, sđt {phone}, spa mở cửa mấy giờ?"
                ),
                headers={"X-Forwarded-For": f"198.51.100.{i}"},
            )

        responses = await asyncio.gather(*(post(i) for i in range(20)))
    assert [r.status_code for r in responses] == [200] * 20
    assert all(r.json()["replies"] for r in responses)
    assert await Lead.filter(phone=phone).count() == 1
    convs = await Conversation.filter(customer_ref__startswith=f"first-{tag}-")
    assert len(convs) == 20 and len({c.lead_id for c in convs}) == 1
