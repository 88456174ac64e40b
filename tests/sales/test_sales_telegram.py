"""Selling on Telegram through the fake Bot API: the order card's buttons, pressed twice."""

from __future__ import annotations

from spacrm.core.actors import Actor
from spacrm.core.models import Course, Lead, Order, Voucher
from spacrm.core.services.leads import create_lead
from tests.adapters.telegram.test_telegram_e2e import Harness, _link, bot  # noqa: F401
from tests.conftest import new_phone


async def test_front_desk_sells_and_takes_payment_on_telegram(
    bot: Harness,  # noqa: F811
    personas: dict[str, Actor],
) -> None:
    user = 700_801
    await _link(bot, user, "lt_q1")
    phone = new_phone()
    lead = await create_lead(personas["st_q1a2"], name="Đoàn Thị Yến Nhi", phone=phone)
    card = await bot.say(user, f"bán gói massage body 10 buổi cho chị Nhi {phone}")
    assert "Đã tạo đơn HD2026-" in (card.text or "") and "2.800.000 ₫" in (card.text or "")
    labels = [label for label, _ in card.buttons]
    assert {"💵 Thu tiền", "📱 Gửi QR", "🧾 In bill", "❌ Hủy đơn"} <= set(labels)
    pay = next(data for label, data in card.buttons if label == "💵 Thu tiền")
    assert pay is not None
    ask = await bot.press(user, pay, card.message_id)
    assert "Còn phải thu 2.800.000 ₫" in (ask.text or "")
    cash = next(
        data for _, data in ask.buttons if data and data.startswith("of:") and data.endswith(":c")
    )
    first = await bot.press(user, cash, ask.message_id)
    assert "Đã thu 2.800.000 ₫ (Tiền mặt)" in (first.text or "")
    second = await bot.press(user, cash, ask.message_id)  # the same button again
    assert "không thu lần hai" in (second.text or "")
    order = await Order.get(lead_id=lead.id)
    assert order.status == "paid" and order.created_by_id == personas["lt_q1"].user_id
    assert await Voucher.filter(order_id=order.id).count() == 1
    assert (await Course.get(order_id=order.id)).sessions_total == 10
    assert (await Lead.get(id=lead.id)).stage == "in_service"


async def test_payment_voucher_on_telegram_pressed_twice(
    bot: Harness,  # noqa: F811
    personas: dict[str, Actor],
) -> None:
    user = 700_802
    await _link(bot, user, "lt_gv")
    before = await Voucher.filter(kind="payment").count()
    card = await bot.say(user, "chi 350k mua khăn tắm")
    assert "Phiếu chi (chưa lập): 350.000 ₫" in (card.text or "")
    assert await Voucher.filter(kind="payment").count() == before
    write = next(data for label, data in card.buttons if label == "✅ Lập phiếu chi")
    assert write is not None
    first = await bot.press(user, write, card.message_id)
    assert "Đã lập phiếu chi PC2026-" in (first.text or "")
    second = await bot.press(user, write, card.message_id)
    assert "không lập lần hai" in (second.text or "")
    made = await Voucher.filter(kind="payment").order_by("-id").first()
    assert made is not None and (made.amount, made.name, made.category) == (
        350_000, "Mua khăn tắm", "supplies",
    )  # fmt: skip
    assert await Voucher.filter(kind="payment").count() == before + 1
    listed = await bot.say(user, "xem phiếu chi hôm nay")
    assert made.number in (listed.text or "")
