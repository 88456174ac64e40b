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
