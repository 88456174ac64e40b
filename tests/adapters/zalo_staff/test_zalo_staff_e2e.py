"""Staff on the Zalo OA: linking by the emailed code, working by chat with numbered buttons,
reminders; customers writing to the same OA keep getting the customer bot."""

from __future__ import annotations

import asyncio
import re
import uuid
from datetime import timedelta

from spacrm.core.models import ChannelIdentity, Conversation, Lead, LinkCode, OutboxMessage
from tests.adapters.zalo_staff.conftest import OA, ZaloWorld, new_zalo_user
from tests.conftest import new_phone


def option_number(text: str, label_start: str) -> str:
    """The number in front of the option starting with `label_start` in a numbered list."""
    match = re.search(rf"^(\d+)\. {re.escape(label_start)}", text, re.MULTILINE)
    assert match, f"no option {label_start!r} in {text!r}"
    return match.group(1)


async def test_link_create_lead_and_answer_buttons_by_number(zworld: ZaloWorld) -> None:
    user = new_zalo_user()
    await zworld.link(user, "st_q1a1")
    ident = await ChannelIdentity.get(channel="zalo", external_id=user).prefetch_related("user")
    assert ident.user.login == "st_q1a1" and ident.chat_id == user

    phone = new_phone()
    said = uuid.uuid4().hex
    card = await zworld.say(
        user, f"thêm khách chị Hoa {phone} quan tâm trị mụn nguồn facebook", msg_id=said
    )
    assert "Đã thêm khách tiềm năng Hoa" in card
    assert f"{phone[:4]} {phone[4:7]} {phone[7:]}" in card
    assert option_number(card, "Đang chăm sóc") == "1"
    # Sent as a reply to the staff member's own message (a free "reply" in Zalo's quota).
    assert zworld.zalo.messages_to(user)[-1].recipient == {"message_id": said}

    moved = await zworld.say(user, "1")
    assert "👤 Hoa" in moved and "Đang chăm sóc" in moved
    lead = await Lead.get(phone=phone)
    assert lead.stage == "caring"

    listing = await zworld.say(user, "khách của tôi")
    assert "👥" in listing
    opened = await zworld.say(user, option_number(listing, "Hoa —"))
    assert f"👤 Hoa · {phone[:4]} {phone[4:7]} {phone[7:]}" in opened

    # A question: Cancel is not a number (a typed "1" may be an answer), it is /cancel.
    question = await zworld.say(user, "thêm khách")
    assert "/cancel" in question and not re.search(r"^\d+\. Hủy", question, re.MULTILINE)
    assert "Đã hủy" in await zworld.say(user, "/cancel")


async def test_repeated_webhook_is_answered_once(zworld: ZaloWorld) -> None:
    user = new_zalo_user()
    await zworld.link(user, "st_q1a2")
    before = len(zworld.texts(user))
    same = uuid.uuid4().hex
    for _ in range(2):
        assert (
            await zworld.zalo.deliver_text(zworld.hook, OA, user, "hướng dẫn", msg_id=same) == 200
        )
    await zworld.wait_texts(user, before + 1)
    await asyncio.sleep(0.5)
    assert len(zworld.texts(user)) == before + 1


async def test_customer_on_the_same_oa_gets_the_customer_bot(zworld: ZaloWorld) -> None:
    from spacrm.adapters.zalo import staff_memory

    customer = new_zalo_user()
    answer = await zworld.say(customer, "gia goi triet long nach 10 buoi")
    assert "1.500.000đ" in answer
    # "/start" by mistake, then a real question: the question is answered by the customer bot.
    assert "tên đăng nhập" in await zworld.say(customer, "/start")
    sunday = await zworld.say(customer, "chủ nhật có làm không ạ")
    assert "tên đăng nhập" not in sunday and "tài khoản" not in sunday
    assert not await staff_memory.linking_open(customer)  # the attempt was dropped
    # A bare "nhân viên" is a customer asking for a person, never the staff login.
    handoff = await zworld.say(customer, "nhân viên")
    assert "nhân viên" in handoff and "tên đăng nhập" not in handoff
    conv = await Conversation.get(channel="zalo", account_ref=OA, customer_ref=customer)
    assert conv.state == "handoff"
    # Typing a staff login as a customer starts nothing and tells nothing about the account.
    other = new_zalo_user()
    reply = await zworld.say(other, "st_q1a1")
    assert "lotus.example" not in reply and "mã" not in reply.lower()
    assert await Conversation.filter(channel="zalo", customer_ref=other).exists()
    for who in (customer, other):
        assert not await LinkCode.filter(channel="zalo", external_id=who).exists()
        assert not await ChannelIdentity.filter(channel="zalo", external_id=who).exists()
    assert not zworld.smtp.messages


async def test_linking_modes_login_and_off(zworld: ZaloWorld) -> None:
    settings = zworld.runtime.settings
    try:
        settings.zalo_staff_linking = "login"
        user = new_zalo_user()
        sent = await zworld.say(user, "st_q1a2@lotus.example")  # an exact staff email, no /start
        assert "mã 6 số" in sent
        mail = await zworld.smtp.wait_for_message(timeout=10)
        assert mail["To"] == "st_q1a2@lotus.example"
        settings.zalo_staff_linking = "off"
        other = new_zalo_user()
        assert "tên đăng nhập" not in await zworld.say(other, "/start")
        assert not await LinkCode.filter(channel="zalo", external_id=other).exists()
    finally:
        settings.zalo_staff_linking = "command"


async def test_zalo_staff_receives_a_due_reminder(zworld: ZaloWorld) -> None:
    from spacrm.bot.notify import send_due_reminders
    from spacrm.core import clock

    user = new_zalo_user()
    await zworld.link(user, "st_q1b1")
    phone = new_phone()
    assert "Khoa" in await zworld.say(user, f"thêm khách anh Khoa {phone}")
    last = uuid.uuid4().hex
    planned = await zworld.say(user, f"nhắc tôi 9h sáng mai gọi lại anh Khoa {phone}", msg_id=last)
    assert "Đã lên lịch" in planned
    before = len(zworld.texts(user))
    clock.freeze(clock.now() + timedelta(days=2))
    try:
        assert await send_due_reminders() >= 1
        zworld.runtime.dispatcher.kick()
        reminder = (await zworld.wait_texts(user, before + 1))[before]
        assert "Nhắc việc" in reminder and "Khoa" in reminder
        row = await OutboxMessage.filter(channel="zalo", chat_id=user).order_by("-id").first()
        assert row is not None and row.account_ref is None and row.status == "sent"
        assert zworld.zalo.messages_to(user)[-1].recipient == {"message_id": last}
        card = await zworld.say(user, option_number(reminder, "📇 Xem thẻ"))
        assert f"👤 Khoa · {phone[:4]} {phone[4:7]} {phone[7:]}" in card
    finally:
        clock.freeze(None)
