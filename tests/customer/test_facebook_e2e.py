"""Messenger end to end: signed webhooks from the fake Graph, answers back through the real
client, handoff to Telegram, the staff reply going back to the customer, leads and cases."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from spacrm.core import clock
from spacrm.core.models import (
    Complaint,
    ComplaintReply,
    Conversation,
    Lead,
    OutboxMessage,
    ProcessedEvent,
)
from tests.conftest import new_phone
from tests.customer.conftest import APP_SECRET, PAGE, STAFF_TG, VERIFY, World, eventually
from tests.fakes.telegram import SentMessage

RUN = uuid.uuid4().hex[:8]


async def say(w: World, psid: str, text: str, **kw: Any) -> int:
    """A signed user message with a unique mid (the fake restarts its counter every test, but
    processed ids live in the shared database)."""
    kw.setdefault("mid", f"m-{uuid.uuid4().hex}")
    return await w.graph.deliver_message(w.fb_hook, PAGE, psid, text, app_secret=APP_SECRET, **kw)


def texts_to(w: World, psid: str) -> list[str]:
    return [str(m.message.get("text", "")) for m in w.graph.messages_to(psid)]


async def wait_fb(w: World, psid: str, n: int) -> list[str]:
    async def check() -> list[str] | None:
        got = texts_to(w, psid)
        return got if len(got) >= n else None

    return list(await eventually(check))


async def wait_tg(w: World, chat: int, pred: object) -> SentMessage:
    return await w.tg.wait_for_sent(lambda s: s.chat_id == chat and pred(s), timeout=10)  # type: ignore[operator]


async def test_verify_handshake(world: World) -> None:
    status, body = await world.graph.verify_webhook(world.fb_hook, VERIFY, challenge="c-42")
    assert (status, body) == (200, "c-42")
    status, _ = await world.graph.verify_webhook(world.fb_hook, "wrong")
    assert status == 403


async def test_forged_and_unknown_are_not_processed(world: World) -> None:
    before = await ProcessedEvent.filter(source="facebook").count()
    payload = world.graph.message_payload(PAGE, "psid-forged", "giá triệt nách?", mid="m-forged")
    import json

    raw = json.dumps(payload).encode()
    status = await world.graph.deliver_raw(
        world.fb_hook, raw, {"X-Hub-Signature-256": "sha256=" + "0" * 64}
    )
    assert status == 403
    assert await world.graph.deliver_raw(world.fb_hook, raw, {}) == 403
    # Signed but for a page we do not manage: acknowledged, ignored.
    status = await world.graph.deliver_message(
        world.fb_hook, "999", "psid-x", "hello", app_secret=APP_SECRET
    )
    assert status == 200
    # Signed garbage: acknowledged.
    assert (
        await world.graph.deliver_payload(
            world.fb_hook, {"object": "page", "entry": "x"}, app_secret=APP_SECRET
        )
        == 200
    )
    assert await ProcessedEvent.filter(source="facebook").count() == before
    assert not await Conversation.filter(customer_ref__in=["psid-forged", "psid-x"]).exists()


async def test_answer_dedupe_sticker_and_long(world: World) -> None:
    psid = "psid-answer"
    st = await say(world, psid, "triệt nách bn tiền 1 buổi", mid="m-a1-" + RUN)
    assert st == 200
    got = await wait_fb(world, psid, 1)
    assert "199.000đ" in got[0]
    # Meta redelivers the same event: answered once only.
    await say(world, psid, "triệt nách bn tiền 1 buổi", mid="m-a1-" + RUN)
    await say(world, psid, "", mid="m-a2-" + RUN,
                                      attachments=[{"type": "image", "payload": {"sticker_id": 369239263222822}}])  # fmt: skip
    got = await wait_fb(world, psid, 2)
    assert len(got) == 2 and "nhãn dán" in got[1]
    await say(world, psid, "chuyen khoan duoc ko " * 1000, mid="m-a3-" + RUN)
    got = await wait_fb(world, psid, 3)
    assert "chuyển khoản" in got[2]


async def test_handoff_staff_reply_and_buttons(world: World) -> None:
    psid = "psid-handoff"
    world.graph.add_user(psid, "Lan", "Nguyễn")
    await say(world, psid, "spa có bán vé máy bay không")
    got = await wait_fb(world, psid, 1)
    assert "nhân viên" in got[0]
    conv = await Conversation.get(channel="facebook", customer_ref=psid)
    assert conv.state == "handoff" and conv.assignee_id is not None
    staff_tg = STAFF_TG[next(k for k, v in world.staff.items() if v == conv.assignee_id)]
    note = await wait_tg(world, staff_tg, lambda s: "vé máy bay" in (s.text or ""))
    assert "Facebook" in (note.text or "")
    labels = [label for label, _ in note.buttons]
    assert labels == ["Trả lời", "Đóng", "Trả cho bot"]
    # While handed off, the bot stays quiet and forwards what the customer writes.
    await say(world, psid, "alo có ai không")
    await wait_tg(
        world, staff_tg, lambda s: "alo có ai không" in (s.text or "") and "💬" in (s.text or "")
    )
    assert len(texts_to(world, psid)) == 1
    # The staff member replies to the Telegram message: it reaches the customer on Messenger.
    await world.tg.push_message(
        staff_tg, "Dạ spa không bán vé máy bay ạ.", reply_to_message_id=note.message_id
    )
    got = await wait_fb(world, psid, 2)
    assert got[1] == "Dạ spa không bán vé máy bay ạ."
    assert world.graph.messages_to(psid)[-1].messaging_type == "RESPONSE"
    await wait_tg(world, staff_tg, lambda s: "Đã gửi cho khách" in (s.text or ""))
    # "Trả lời" then typing.
    reply_btn = next(data for label, data in note.buttons if label == "Trả lời")
    await world.tg.push_callback(staff_tg, str(reply_btn), note.message_id)
    await wait_tg(world, staff_tg, lambda s: "Nhập câu trả lời" in (s.text or ""))
    await world.tg.push_message(staff_tg, "Chị cần thêm gì cứ nhắn em nha.")
    got = await wait_fb(world, psid, 3)
    assert got[2] == "Chị cần thêm gì cứ nhắn em nha."
    # "Trả cho bot": the bot answers again.
    bot_btn = next(data for label, data in note.buttons if label == "Trả cho bot")
    await world.tg.push_callback(staff_tg, str(bot_btn), note.message_id)
    await eventually(lambda: Conversation.filter(id=conv.id, state="bot").exists())
    await say(world, psid, "spa ở đâu vậy")
    got = await wait_fb(world, psid, 4)
    assert "Nguyễn Văn Bảo" in got[3]


async def test_phone_becomes_lead_deduped(world: World) -> None:
    phone = new_phone()
    spaced = f"{phone[:4]} {phone[4:7]} {phone[7:]}"
    await say(world, "psid-lead1", f"em tên Hoa, sđt {spaced} tư vấn giúp em")
    got = await wait_fb(world, "psid-lead1", 1)
    assert spaced in got[0]
    lead = await eventually(lambda: Lead.get_or_none(phone=phone))
    assert lead.source == "facebook"
    assert lead.owner_id in world.staff.values()
    owner_tg = STAFF_TG[next(k for k, v in world.staff.items() if v == lead.owner_id)]
    await wait_tg(
        world,
        owner_tg,
        lambda s: "Khách tiềm năng mới" in (s.text or "") and spaced in (s.text or ""),
    )
    # Same phone from another customer (+84 form): linked, not copied.
    await say(world, "psid-lead2", f"+84 {phone[1:]}")
    await wait_fb(world, "psid-lead2", 1)
    conv2 = await eventually(
        lambda: Conversation.get_or_none(customer_ref="psid-lead2", lead_id__not_isnull=True)
    )
    assert conv2.lead_id == lead.id
    assert await Lead.filter(phone=phone).count() == 1


async def test_complaint_opens_case(world: World) -> None:
    phone = new_phone()
    psid = "psid-complaint"
    await say(world, psid, f"sđt em {phone}")
    await wait_fb(world, psid, 1)
    await say(world, psid, "em rất thất vọng, làm xong bị nổi mẩn đỏ hết mặt")
    got = await wait_fb(world, psid, 2)
    assert "xin lỗi" in got[1]
    lead = await Lead.get(phone=phone)
    case = await eventually(lambda: Complaint.get_or_none(lead_id=lead.id))
    assert case.status == "new" and case.owner_id == lead.owner_id
    conv = await Conversation.get(customer_ref=psid)
    staff_tg = STAFF_TG[next(k for k, v in world.staff.items() if v == conv.assignee_id)]
    note = await wait_tg(world, staff_tg, lambda s: f"vụ việc #{case.id}" in (s.text or ""))
    await world.tg.push_message(
        staff_tg, "Dạ em xin lỗi chị, em gọi chị ngay ạ.", reply_to_message_id=note.message_id
    )
    await wait_fb(world, psid, 3)
    case = await Complaint.get(id=case.id)
    assert case.status == "in_progress" and case.first_response_at is not None
    replies = await ComplaintReply.filter(complaint_id=case.id)
    assert [(r.author_id, r.text) for r in replies] == [
        (conv.assignee_id, "Dạ em xin lỗi chị, em gọi chị ngay ạ.")
    ]


async def test_windows_human_agent_and_too_late(world: World) -> None:
    psid = "psid-window"
    await say(world, psid, "cho em gặp nhân viên")
    await wait_fb(world, psid, 1)
    conv = await Conversation.get(customer_ref=psid)
    staff_tg = STAFF_TG[next(k for k, v in world.staff.items() if v == conv.assignee_id)]
    note = await wait_tg(world, staff_tg, lambda s: "nói chuyện với nhân viên" in (s.text or ""))
    # 3 days later: only the HUMAN_AGENT tag may carry a person's answer.
    world.graph.user_wrote(PAGE, psid, clock.now() - timedelta(days=3))
    await Conversation.filter(id=conv.id).update(last_customer_at=clock.now() - timedelta(days=3))
    await world.tg.push_message(staff_tg, "Dạ em chào chị", reply_to_message_id=note.message_id)
    await wait_fb(world, psid, 2)
    sent = world.graph.messages_to(psid)[-1]
    assert (sent.messaging_type, sent.tag) == ("MESSAGE_TAG", "HUMAN_AGENT")
    # 8 days later: not sent, and the staff member is told why.
    await Conversation.filter(id=conv.id).update(last_customer_at=clock.now() - timedelta(days=8))
    await world.tg.push_message(
        staff_tg, "Chị còn quan tâm không ạ?", reply_to_message_id=note.message_id
    )
    await wait_tg(
        world, staff_tg, lambda s: "Chưa gửi được" in (s.text or "") and "7 ngày" in (s.text or "")
    )
    row = await OutboxMessage.filter(channel="facebook", chat_id=psid).order_by("-id").first()
    assert row is not None and row.status == "failed"
    assert len(world.graph.messages_to(psid)) == 2


async def test_send_error_is_retried(world: World) -> None:
    psid = "psid-retry"
    world.graph.fail_next(2, status=500)  # a temporary Graph error
    await say(world, psid, "massage toàn thân bao lâu")
    got = await wait_fb(world, psid, 1)
    assert "60 phút" in got[0]

    async def marked_sent() -> OutboxMessage | None:
        # Graph has the message before the dispatcher commits "sent" (a loaded machine shows it)
        row = await OutboxMessage.filter(channel="facebook", chat_id=psid).first()
        return row if row is not None and row.status == "sent" else None

    row = await eventually(marked_sent)
    assert row.attempts >= 2


async def test_stored_before_the_200_survives_a_stop_and_a_retry(world: World) -> None:
    """Issue 13 §5: the 200 means the event is stored. With no worker running (the server was
    killed right after answering), nothing is answered yet but nothing is lost; Meta's retry is
    not stored twice; the next start answers it once; a retry after that is skipped."""
    import asyncio

    from spacrm.adapters.app.customer_inbox import CustomerInbox
    from spacrm.core.models import InboundUpdate

    inbox = world.runtime.customer_inbox
    assert inbox is not None
    inbox.stop()  # the running worker ends its pass: nothing handles new events now
    await asyncio.sleep(1.2)
    psid, mid = "psid-stored", f"m-stored-{RUN}"
    assert await say(world, psid, "triệt nách bn tiền 1 buổi", mid=mid) == 200
    assert await say(world, psid, "triệt nách bn tiền 1 buổi", mid=mid) == 200  # a retry
    assert await InboundUpdate.filter(source="facebook", key=mid).count() == 1
    await asyncio.sleep(0.3)
    assert texts_to(world, psid) == []  # acknowledged, not handled yet

    restarted = CustomerInbox(inbox.handlers)  # the next start of the server
    worker = asyncio.create_task(restarted.work())
    try:
        got = await wait_fb(world, psid, 1)
        assert "199.000đ" in got[0]
        await eventually(lambda: _gone(mid))
        assert await say(world, psid, "triệt nách bn tiền 1 buổi", mid=mid) == 200  # late retry
        await asyncio.sleep(0.5)
        assert len(texts_to(world, psid)) == 1
        assert not await InboundUpdate.filter(source="facebook", key=mid).exists()
    finally:
        restarted.stop()
        await asyncio.wait_for(worker, 5)


async def _gone(mid: str) -> bool:
    from spacrm.core.models import InboundUpdate

    return not await InboundUpdate.filter(source="facebook", key=mid).exists()
