"""Greetings get a greeting (no staff needed); a phone and a question in one message get both."""

from __future__ import annotations

import uuid

import httpx

from spacrm.core.models import Conversation, Lead
from tests.conftest import new_phone
from tests.customer.conftest import World


async def _say(http: httpx.AsyncClient, session: str, text: str) -> list[str]:
    r = await http.post("/api/widget/messages", json={"session_id": session, "text": text})
    assert r.status_code == 200
    return [x["text"] for x in r.json()["replies"]]


async def test_greeting_thanks_and_phone_with_question(world: World) -> None:
    session = f"st-{uuid.uuid4().hex[:8]}"
    async with httpx.AsyncClient(base_url=world.base, timeout=10) as http:
        hello = await _say(http, session, "chào shop")
        assert len(hello) == 1 and hello[0].startswith("Dạ")
        conv = await Conversation.get(channel="widget", customer_ref=session)
        assert conv.state == "bot"  # a greeting is not a reason to call a person
        phone = new_phone()
        both = await _say(http, session, f"sđt mình {phone}, gội đầu dưỡng sinh giá sao ạ")
        assert len(both) == 2 and phone[-3:] in both[0] and "150.000" in both[1]
        assert await Lead.filter(phone=phone).exists()
        thanks = await _say(http, session, "cảm ơn shop nhiều")
        assert len(thanks) == 1 and "150.000" not in thanks[0]
        assert (await Conversation.get(id=conv.id)).state == "bot"
