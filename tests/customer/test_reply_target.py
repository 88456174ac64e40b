"""After "Trả lời", only the next typed text goes to the customer: "hủy", another button, or 15
minutes of silence drop it, so a forgotten reply never sends an unrelated message to a customer."""

from __future__ import annotations

import uuid
from datetime import timedelta

from spacrm.bot.customer_engine import CustomerEngine
from spacrm.core import clock
from spacrm.core.models import ChannelIdentity, User
from spacrm.core.services import conversations
from spacrm.intents.chat import ChatEvent


async def test_pending_reply_is_dropped_by_cancel_button_or_time(db: str) -> None:
    me = uuid.uuid4().hex[:8]
    user = await User.get(login="st_q1b1")
    await ChannelIdentity.create(user=user, channel="tgtest", external_id=me, chat_id=me)
    conv = await conversations.open_conversation("widget", "", f"s-{me}", display_name="Lan")
    await conversations.set_state(conv, "handoff", assignee_id=user.id)  # only its holder answers
    engine = CustomerEngine()

    def ev(text: str | None = None, payload: str | None = None) -> ChatEvent:
        return ChatEvent(
            channel="tgtest", external_user_id=me, chat_id=me, text=text, payload=payload
        )

    async def sent_texts() -> list[str]:
        return [m.text for m in await conversations.recent(conv, 20) if m.author != "customer"]

    assert (
        "Nhập câu trả lời" in (await engine.staff_hook(ev(payload=f"hr:{conv.id}")) or [])[0].text
    )
    cancelled = await engine.staff_hook(ev("hủy"))
    assert cancelled and "Đã hủy trả lời" in cancelled[0].text
    assert await engine.staff_hook(ev("tổng quan")) is None  # back to the staff bot

    await engine.staff_hook(ev(payload=f"hr:{conv.id}"))
    assert await engine.staff_hook(ev(payload="lc:1")) is None  # another button: moved on
    assert await engine.staff_hook(ev("xem khách 678")) is None

    await engine.staff_hook(ev(payload=f"hr:{conv.id}"))
    clock.freeze(clock.now() + timedelta(minutes=16))
    try:
        assert await engine.staff_hook(ev("danh sách khách")) is None
    finally:
        clock.freeze(None)
    assert not any(
        t in ("tổng quan", "xem khách 678", "danh sách khách") for t in await sent_texts()
    )

    await engine.staff_hook(ev(payload=f"hr:{conv.id}"))
    done = await engine.staff_hook(ev("Dạ chị cần hỗ trợ gì ạ?"))
    assert done and "Đã gửi" in done[0].text
    assert "Dạ chị cần hỗ trợ gì ạ?" in await sent_texts()


async def test_a_repeated_staff_reply_reaches_the_customer_once(db: str) -> None:
    from spacrm.bot.engine import Engine

    me = uuid.uuid4().hex[:8]
    user = await User.get(login="st_q1b1")
    await ChannelIdentity.create(user=user, channel="tgtest", external_id=me, chat_id=me)
    conv = await conversations.open_conversation("widget", "", f"r-{me}", display_name="Hà")
    await conversations.set_state(conv, "handoff", assignee_id=user.id)
    customer = CustomerEngine()
    staff = Engine()
    staff.before = customer.staff_hook  # as customer_wiring does for every staff channel
    base = {"channel": "tgtest", "external_user_id": me, "chat_id": me}
    pressed = await staff.handle(ChatEvent(**base, payload=f"hr:{conv.id}", event_id=f"b-{me}"))
    assert "Nhập câu trả lời" in pressed[0].text
    reply = ChatEvent(**base, text="Dạ spa mở cửa đến 20h ạ", event_id=f"m-{me}")
    assert "Đã gửi" in (await staff.handle(reply))[0].text
    assert await staff.handle(reply) == []  # the provider delivered it again
    sent = [m.text for m in await conversations.recent(conv, 20) if m.author != "customer"]
    assert sent.count("Dạ spa mở cửa đến 20h ạ") == 1
