"""Refunds typed in the staff chat (ops): a payment voucher (PC…, its own gapless number) after
a confirmation card, only for a branch director and above, never beyond what the order holds,
once per card; the order's paid amount and status follow, its course is left as it was."""

from __future__ import annotations

from spacrm.bot.engine import Engine
from spacrm.core.actors import Actor
from spacrm.core.models import Course, Lead, Order, Voucher
from tests.conftest import new_phone
from tests.intents.transcript import Chat


async def test_refund_typed_by_director(personas: dict[str, Actor]) -> None:
    desk = Chat(Engine(), personas["lt_q1"])
    phone = new_phone()
    await desk.says(f"thêm khách chị Diệp {phone}", "Đã thêm khách tiềm năng Diệp")
    lead = await Lead.get(phone=phone)
    await desk.says(f"bán gói triệt nách 10 buổi cho chị Diệp {phone} 2tr5 ck", "Đã thanh toán")
    order = await Order.get(lead_id=lead.id)
    course = await Course.get(order_id=order.id)
    vouchers = await Voucher.filter(order_id=order.id).count()
    # the front desk may not refund: told who does, nothing written
    await desk.says(f"hoàn tiền đơn {order.number} 500k tm", "giám đốc chi nhánh")
    boss = Chat(Engine(), personas["bd_q1"])
    await boss.says(f"hoàn tiền đơn {order.number} 3tr tm", "lớn hơn số đã thu", "2.500.000 ₫")
    await boss.says(f"hoàn tiền đơn {order.number} 500k tm", "Phiếu chi hoàn tiền 500.000 ₫",
                    order.number, "Tiền mặt")  # fmt: skip
    assert await Voucher.filter(order_id=order.id).count() == vouchers  # nothing before the press
    out = await boss.press("Hoàn tiền", "Đã lập phiếu chi PC2026-", "còn phải thu 500.000 ₫")
    await boss.press("rfy", "đã lập rồi")  # a double press writes one voucher
    refund = await Voucher.get(order_id=order.id, kind="payment")
    assert refund.number in out and refund.amount == 500_000 and refund.category == "refund"
    assert refund.method == "cash"
    order = await Order.get(id=order.id)
    assert (order.paid, order.status) == (2_000_000, "partly_paid")
    again = await Course.get(id=course.id)
    assert (again.sessions_total, again.status) == (course.sessions_total, course.status)
    # by customer name, the rest: the order holds 2.000.000 now
    await boss.says(f"hoàn 2tr cho c Diệp {phone} ck", "Phiếu chi hoàn tiền 2.000.000 ₫",
                    "Chuyển khoản")  # fmt: skip
    await boss.press("Hoàn tiền", "còn phải thu 2.500.000 ₫")
    order = await Order.get(id=order.id)
    assert (order.paid, order.status) == (0, "confirmed")
    numbers = sorted(v.number for v in await Voucher.filter(order_id=order.id, kind="payment"))
    first, second = (int(n.rsplit("-", 1)[1]) for n in numbers)
    assert second == first + 1  # gapless
    await boss.says(f"hoàn tiền đơn {order.number} 100k", "lớn hơn số đã thu")
    # a question is no refund
    await boss.says(f"hoàn tiền đơn {order.number} được không?")
    assert await Voucher.filter(order_id=order.id, kind="payment").count() == 2


async def test_refund_goes_back_the_way_it_was_paid(personas: dict[str, Actor]) -> None:
    """No method typed: the refund card offers the method the order was paid by (a transfer is
    refunded by transfer, not from the till)."""
    desk = Chat(Engine(), personas["lt_q1"])
    phone = new_phone()
    await desk.says(f"thêm khách chị Yến {phone}", "Đã thêm khách tiềm năng Yến")
    await desk.says(f"bán gói triệt nách 10 buổi cho chị Yến {phone} 2tr5 ck", "Đã thanh toán")
    order = await Order.get(lead_id=(await Lead.get(phone=phone)).id)
    boss = Chat(Engine(), personas["bd_q1"])
    await boss.says(f"hoàn tiền đơn {order.number} 500k", "Phiếu chi hoàn tiền 500.000 ₫",
                    "Chuyển khoản")  # fmt: skip
    await boss.press("Hoàn tiền", "Đã lập phiếu chi PC2026-")
    refund = await Voucher.get(order_id=order.id, kind="payment")
    assert refund.method == (await Voucher.get(order_id=order.id, kind="receipt")).method
    assert refund.method != "cash"
