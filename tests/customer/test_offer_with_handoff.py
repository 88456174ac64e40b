"""A question the bot is not sure of is handed off as before, and the hand-off offers the pair it
most likely is ("tiệm nằm chỗ nào vậy": the address). A tap (or "đúng") sends that answer, keeps
her wording as a variant for staff to approve and tells the staff member; anything else goes to
staff like every message of a handed-off chat, and nothing is kept."""

from __future__ import annotations

import uuid
from typing import Any

import httpx

from spacrm.core.models import Conversation, OutboxMessage, VariantSuggestion
from tests.customer.conftest import World, eventually


async def _say(http: httpx.AsyncClient, session: str, text: str) -> list[dict[str, Any]]:
    r = await http.post("/api/widget/messages", json={"session_id": session, "text": text})
    assert r.status_code == 200
    replies: list[dict[str, Any]] = r.json()["replies"]
    return replies


async def test_the_offered_answer_is_sent_when_she_taps_it(world: World) -> None:
    session = f"of-{uuid.uuid4().hex[:8]}"
    await VariantSuggestion.filter(qa_id="dia-chi").delete()
    async with httpx.AsyncClient(base_url=world.base, timeout=10) as http:
        first = await _say(http, session, "tiệm nằm chỗ nào vậy")
        assert len(first) == 1
        assert "chuyển cho nhân viên" in first[0]["text"] and "Spa ở đâu?" in first[0]["text"]
        assert [b["text"] for row in first[0]["buttons"] for b in row] == ["📖 Xem câu trả lời"]
        conv = await Conversation.get(channel="widget", customer_ref=session)
        assert conv.state == "handoff"  # staff are called all the same
        second = await _say(http, session, "📖 Xem câu trả lời")
        assert [r["text"] for r in second] == [
            "Dạ spa ở số 12 Nguyễn Văn Bảo, phường Hạnh Thông, TP.HCM ạ."
        ]
    kept = await VariantSuggestion.filter(qa_id="dia-chi", status="pending")
    assert [v.text for v in kept] == ["tiệm nằm chỗ nào vậy"]

    async def told() -> bool:
        rows = await OutboxMessage.filter(channel="telegram").order_by("-id").limit(10)
        return any("đã bấm xem câu trả lời" in str(m.payload.get("text")) for m in rows)

    assert await eventually(told)


async def test_anything_else_goes_to_staff(world: World) -> None:
    session = f"of-{uuid.uuid4().hex[:8]}"
    await VariantSuggestion.filter(qa_id="dia-chi").delete()
    async with httpx.AsyncClient(base_url=world.base, timeout=10) as http:
        first = await _say(http, session, "tiệm nằm chỗ nào vậy")
        assert "Spa ở đâu?" in first[0]["text"]
        assert await _say(http, session, "ko phải, e hỏi chỗ gửi xe hơi") == []
        assert await _say(http, session, "đúng rồi") == []  # the offer was for one answer only
    assert not await VariantSuggestion.filter(qa_id="dia-chi").exists()
