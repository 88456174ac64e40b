"""A manager who writes English is read by the same rules: "customer Thoa 09… paid 100k cash"
records that receipt, "revenue this month" is the overview, "who is off today" the leave list,
and an English message the table cannot read is asked about, never guessed into a write."""

from __future__ import annotations

from dataclasses import replace

from spacrm.bot.engine import Engine
from spacrm.core.actors import Actor
from spacrm.core.models import Lead, Order, Voucher
from tests.bot.test_engine_transcripts import Chat
from tests.conftest import new_phone


async def test_english_messages_do_what_they_say(personas: dict[str, Actor]) -> None:
    chat = Chat(Engine(), personas["st_q1a1"])
    phone = new_phone()
    await chat.says(f"thêm khách chị Thoa {phone}", "Đã thêm khách tiềm năng Thoa")
    await chat.says(f"tạo đơn cho chị Thoa {phone} gói massage body 5 buổi", "Đã tạo đơn")
    order = await Order.get(lead_id=(await Lead.get(phone=phone)).id)
    english = Chat(Engine(), replace(personas["st_q1a1"], lang="en"))
    await english.says(f"customer Thoa {phone} paid 100k cash", "Took 100.000 ₫ (Cash)")
    await english.says(f"customer Thoa {phone} transferred 200k", "Took 200.000 ₫")
    receipts = await Voucher.filter(order_id=order.id, kind="receipt").order_by("id")
    assert [(v.amount, v.method) for v in receipts] == [(100_000, "cash"), (200_000, "transfer")]
    for read in ("revenue this month", "who is off today"):
        reply = await english.says(read)
        assert "didn't quite get" not in reply
    before = await Voucher.all().count()
    # not understood: asked, nothing written
    await english.says("please sort out the thing with Thoa", "didn't quite get")
    assert await Voucher.all().count() == before
