"""A reply typed on the case card ("Trả lời") reaches the customer whose complaint opened the case."""

from __future__ import annotations

import uuid

import httpx

from spacrm.core.models import Complaint, ComplaintReply, Conversation
from tests.customer.conftest import STAFF_TG, World, eventually


async def test_case_reply_reaches_the_widget_customer(world: World) -> None:
    session = f"w-{uuid.uuid4().hex}"
    async with httpx.AsyncClient(base_url=world.base, timeout=10) as http:
        r = await http.post(
            "/api/widget/messages",
            json={
                "session_id": session,
                "text": "em rất thất vọng, làm xong bị nổi mẩn đỏ hết mặt",
            },
        )
        assert "xin lỗi" in r.json()["replies"][0]["text"]
        conv = await Conversation.get(channel="widget", customer_ref=session)
        case = await Complaint.get(conversation_id=conv.id)
        assert case.status == "new" and case.owner_id == conv.assignee_id
        staff_tg = STAFF_TG[next(k for k, v in world.staff.items() if v == conv.assignee_id)]

        # The handoff notice opens the case card; its "Trả lời" asks for the text.
        note = await world.tg.wait_for_sent(
            lambda s: s.chat_id == staff_tg and f"vụ việc #{case.id}" in (s.text or ""), timeout=10
        )
        card_btn = next(d for label, d in note.buttons if label == f"Xem vụ việc #{case.id}")
        await world.tg.push_callback(staff_tg, str(card_btn), note.message_id)
        card = await world.tg.wait_for_sent(
            lambda s: s.chat_id == staff_tg and f"Vụ việc #{case.id}" in (s.text or ""), timeout=10
        )
        reply_btn = next(d for label, d in card.buttons if label == "💬 Trả lời")
        await world.tg.push_callback(staff_tg, str(reply_btn), card.message_id)
        await world.tg.wait_for_sent(
            lambda s: s.chat_id == staff_tg and "gõ nội dung trả lời" in (s.text or ""), timeout=10
        )
        answer = "Dạ em xin lỗi chị, chị gửi em số điện thoại để em gọi ngay ạ."
        await world.tg.push_message(staff_tg, answer)
        done = await world.tg.wait_for_sent(
            lambda s: s.chat_id == staff_tg and "Đã gửi cho khách" in (s.text or ""), timeout=10
        )
        assert f"#{case.id}" in (done.text or "") and "Đang xử lý" in (done.text or "")

        async def poll() -> list[str]:
            data = (
                await http.get("/api/widget/messages", params={"session_id": session, "after": 0})
            ).json()
            return [str(r["text"]) for r in data["replies"]]

        assert await eventually(poll) == [answer]
    case = await Complaint.get(id=case.id)
    assert case.status == "in_progress" and case.first_response_at is not None
    replies = await ComplaintReply.filter(complaint_id=case.id)
    assert [(r.author_id, r.text) for r in replies] == [(conv.assignee_id, answer)]
    conv = await Conversation.get(id=conv.id)
    assert conv.state == "handoff"
