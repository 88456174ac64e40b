"""Selling and taking payments in the staff chat, as transcripts through the real engine."""

from __future__ import annotations

from spacrm.bot.engine import Engine
from spacrm.core.actors import Actor
from spacrm.core.models import Course, Lead, Order, Voucher
from tests.bot.test_engine_transcripts import Chat
from tests.conftest import new_phone


async def _customer(chat: Chat, name: str) -> tuple[str, Lead]:
    phone = new_phone()
    await chat.says(f"thêm khách chị {name} {phone}", f"Đã thêm khách tiềm năng {name}")
    return phone, await Lead.get(phone=phone)


async def test_sell_package_paid_by_transfer_opens_course(personas: dict[str, Actor]) -> None:
    chat = Chat(Engine(), personas["st_q1a1"])
    phone, lead = await _customer(chat, "Oanh")
    out = await chat.says(f"bán gói triệt nách 10 buổi cho chị Oanh {phone} 2tr5 ck",
                          "Đã tạo đơn HD2026-", "Triệt nách 10 buổi", "Tổng: 2.500.000 ₫",
                          "Chuyển khoản", "Đã thanh toán", "Đã mở liệu trình", "10 buổi")  # fmt: skip
    order = await Order.get(lead_id=lead.id)
    assert order.number in out and order.status == "paid" and order.paid == 2_500_000
    assert await Voucher.filter(order_id=order.id, kind="receipt", method="transfer").count() == 1
    course = await Course.get(order_id=order.id)
    assert (course.sessions_total, course.session_amount, course.lead_id) == (10, 250_000, lead.id)
    lead = await Lead.get(id=lead.id)
    assert lead.stage == "in_service" and lead.contact_id is not None
    await chat.says(f"liệu trình chị Oanh {phone} còn mấy buổi", "Triệt nách 10 buổi",
                    "còn 10/10 buổi")  # fmt: skip
    await chat.says(f"xem đơn {order.number.lower()}", order.number, "Đã thu: 2.500.000 ₫")
    assert not any(b.payload.startswith("oa:") for b in chat.buttons)  # nothing left to take


async def test_goods_pick_partial_then_double_press(personas: dict[str, Actor]) -> None:
    chat = Chat(Engine(), personas["st_q1a1"])
    phone, lead = await _customer(chat, "Hương")
    await chat.says(f"chị Hương {phone} mua 2 hộp kem chống nắng", "Có nhiều mục khớp")
    assert {"Anessa", "La Roche"} <= {
        w for b in chat.buttons for w in ("Anessa", "La Roche") if w in b.text
    }
    await chat.press("Anessa", "Đã tạo đơn", "Kem chống nắng Anessa 60ml", "x2",
                     "Tổng: 1.040.000 ₫", "Còn phải thu: 1.040.000 ₫")  # fmt: skip
    order = await Order.get(lead_id=lead.id)
    await chat.says(f"thu tiền mặt 1tr5 đơn {order.number}", "lớn hơn số còn phải thu",
                    "1.040.000 ₫")  # fmt: skip
    await chat.says(f"thu tiền mặt 1tr5k đơn {order.number}", "chưa hợp lệ")
    await chat.says(f"chị Hương {phone} ck 500k", "Đã thu 500.000 ₫", "Chuyển khoản",
                    "Đã thu một phần", "Còn phải thu: 540.000 ₫")  # fmt: skip
    await chat.press("💵 Thu tiền", "Thu bao nhiêu", "540.000 ₫")
    full = next(b for b in chat.buttons if b.payload.startswith("of:") and b.payload.endswith(":c"))
    first = "\n".join(r.text for r in await chat.send(payload=full.payload))
    assert "Đã thu 540.000 ₫" in first and "thanh toán đủ" in first
    again = "\n".join(r.text for r in await chat.send(payload=full.payload))
    assert "đã được ghi rồi" in again
    assert await Voucher.filter(order_id=order.id).count() == 2
    assert (await Order.get(id=order.id)).status == "paid"


async def test_bad_input_gets_clear_replies(personas: dict[str, Actor]) -> None:
    chat = Chat(Engine(), personas["st_q1a2"])
    phone, lead = await _customer(chat, "Quế")
    await chat.says(f"bán gói XYZ cho chị Quế {phone}", "không tìm thấy “XYZ”")
    await chat.says(f"chị Quế {phone} mua 0 hộp kem chống nắng", "Số lượng “0” chưa hợp lệ")
    await chat.says(f"bán gói triệt nách 0 buổi cho chị Quế {phone}", "Số lượng “0” chưa hợp lệ")
    await chat.says("xem đơn HD2026-999999", "không tìm thấy đơn")
    await chat.says(f"chị Quế {phone} ck 500k", "không có đơn nào còn phải thu")
    # A staff member may not set their own price; a manager may.
    await chat.says(f"bán gói triệt nách 10 buổi cho chị Quế {phone} 2tr", "chưa có quyền đổi giá")
    assert not await Order.filter(lead_id=lead.id).exists()
    await chat.says(f"tạo đơn cho chị Quế {phone} gói massage body 5 buổi", "Đã tạo đơn",
                    "Massage body 5 buổi", "1.500.000 ₫")  # fmt: skip
    order = await Order.get(lead_id=lead.id)
    await chat.press("Hủy đơn", f"Hủy đơn {order.number}")
    await chat.press("Có, hủy đơn", "Đã hủy đơn", "Đã hủy")
    await chat.says(f"thu tiền mặt 500k đơn {order.number}", "đã hủy")
    assert not await Voucher.filter(order_id=order.id).exists()


async def test_front_desk_sells_to_a_colleagues_customer(personas: dict[str, Actor]) -> None:
    seller = Chat(Engine(), personas["st_q1b1"])
    phone, lead = await _customer(seller, "Thùy")
    desk = Chat(Engine(), personas["lt_q1"])
    await desk.says(f"tạo đơn cho chị Thùy {phone} gói massage body 5 buổi giảm 10%",
                    "Đã tạo đơn", "Giảm giá: −150.000 ₫", "Tổng: 1.350.000 ₫")  # fmt: skip
    order = await Order.get(lead_id=lead.id)
    assert order.owner_id == personas["st_q1b1"].user_id
    await seller.says(f"đơn hàng của chị Thùy {phone}", order.number)
    other = Chat(Engine(), personas["lt_gv"])
    await other.says(f"xem đơn {order.number}", "không tìm thấy đơn")


async def test_bank_review_buttons(personas: dict[str, Actor]) -> None:
    from datetime import UTC, datetime

    from spacrm.core.models import BankReview
    from spacrm.core.services.bank_transfers import apply_bank_transfer

    chat = Chat(Engine(), personas["ceo"])
    seller = Chat(Engine(), personas["st_q1a1"])
    phone, lead = await _customer(seller, "Nhàn")
    await seller.says(f"bán gói triệt nách 5 buổi cho chị Nhàn {phone}", "Đã tạo đơn")
    order = await Order.get(lead_id=lead.id)
    when = datetime(2026, 11, 25, 3, 0, tzinfo=UTC)
    outs = [
        await apply_bank_transfer(
            provider="casso",
            provider_id=f"rv-{phone}-{n}",
            amount=1_350_000,
            note=note,
            account="1",
            received_at=when,
            raw={},
        )
        for n, note in enumerate(["CHUYEN TIEN SPA", "tien an"])
    ]
    assert [o.reason for o in outs] == ["no_code", "no_code"]
    await chat.send(payload=f"ba:{outs[0].review_id}")
    await chat.says(order.number, f"Đã gán khoản chuyển khoản vào đơn {order.number}",
                    "Đã thanh toán")  # fmt: skip
    await chat.send(payload=f"bi:{outs[1].review_id}")
    assert (await BankReview.get(id=outs[1].review_id)).status == "ignored"
    again = "\n".join(r.text for r in await chat.send(payload=f"bi:{outs[1].review_id}"))
    assert "đã được xử lý rồi" in again
    assert (await Order.get(id=order.id)).status == "paid"
    # A staff member without the front-desk flag sees no review.
    out = "\n".join(r.text for r in await seller.send(payload=f"bi:{outs[0].review_id}"))
    assert "Không tìm thấy" in out or "không tìm thấy" in out


async def test_card_shows_sessions_left_and_money_owed(personas: dict[str, Actor]) -> None:
    """The front desk's first two questions about a customer, answered on her card."""
    chat = Chat(Engine(), personas["st_q1a1"])
    phone, lead = await _customer(chat, "Diệp")
    out = await chat.says(f"khách {phone}", "Diệp")
    assert "Còn nợ" not in out and "📋" not in out
    await chat.says(f"bán gói triệt nách 10 buổi cho chị Diệp {phone}", "Đã tạo đơn")
    await chat.says(f"chị Diệp {phone} ck 1tr", "Đã thu 1.000.000 ₫")
    order = await Order.get(lead_id=lead.id)
    assert order.total - order.paid == 1_500_000
    await chat.says(f"khách {phone}", "Còn nợ 1.500.000 ₫ (1 đơn)")
    await chat.says(f"chị Diệp {phone} ck 1tr5", "Đã thu 1.500.000 ₫")  # paid: the course opens
    out = await chat.says(f"khách {phone}", "Triệt nách 10 buổi: còn 10/10 buổi")
    assert "Còn nợ" not in out


async def test_a_second_amount_is_what_was_paid_now(personas: dict[str, Actor]) -> None:
    """ "gói … 2tr5, ck trước 1tr": the price, then a part paid now (never the whole recorded);
    a part paid without its method is asked; a part above the total records nothing."""
    chat = Chat(Engine(), personas["st_q1a1"])
    phone, lead = await _customer(chat, "Thư")
    await chat.says(f"chị Thư {phone} đặt gói triệt nách 10 buổi 2tr5, ck trước 1tr",
                    "Đã tạo đơn HD2026-", "Tổng: 2.500.000 ₫", "Chuyển khoản")  # fmt: skip
    order = await Order.get(lead_id=lead.id)
    assert (order.total, order.paid, order.status) == (2_500_000, 1_000_000, "partly_paid")
    assert [v.amount for v in await Voucher.filter(order_id=order.id, kind="receipt")] == [
        1_000_000
    ]

    phone, lead = await _customer(chat, "Vân")
    await chat.says(f"bán gói triệt nách 10 buổi cho chị Vân {phone} 2tr5 cọc 500k",
                    "Đã tạo đơn HD2026-", "500.000 ₫")  # fmt: skip
    order = await Order.get(lead_id=lead.id)
    assert order.paid == 0  # the method is asked before anything is written
    await chat.press("Tiền mặt", "500.000 ₫")
    order = await Order.get(id=order.id)
    assert order.paid == 500_000
    assert (await Voucher.get(order_id=order.id, kind="receipt")).method == "cash"

    phone, lead = await _customer(chat, "Hà")
    await chat.says(f"bán gói triệt nách 10 buổi cho chị Hà {phone} 2tr5 ck 3tr",
                    "Đã tạo đơn HD2026-", "lớn hơn tổng đơn")  # fmt: skip
    order = await Order.get(lead_id=lead.id)
    assert order.paid == 0 and not await Voucher.filter(order_id=order.id).exists()
