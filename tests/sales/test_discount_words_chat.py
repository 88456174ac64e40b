"""Money that is no receipt: a discount on a sale is taken off its price ("mua … giảm 20k tiền
mặt": the order is 20k less and the receipt is what was paid), while "giảm giá 200k cho chị …" or
"chị … dùng voucher 100k" on their own write no receipt (her order card is shown). A sale paid
two ways is two receipts."""

from __future__ import annotations

from spacrm.bot.engine import Engine
from spacrm.core.actors import Actor
from spacrm.core.models import CatalogItem, Lead, Order, Voucher
from tests.bot.test_engine_transcripts import Chat
from tests.conftest import new_phone


async def _desk_with_customer(
    personas: dict[str, Actor], name: str
) -> tuple[Chat, str, CatalogItem]:
    """The front desk's chat, a new customer's phone, and the cleanser on sale."""
    chat = Chat(Engine(), personas["lt_q1"])
    phone = new_phone()
    await chat.says(f"thêm khách chị {name} {phone}", f"Đã thêm khách tiềm năng {name}")
    cleanser = await CatalogItem.filter(
        name__icontains="sữa rửa mặt", kind="goods", active=True
    ).first()
    assert cleanser is not None
    return chat, phone, cleanser


async def test_a_discount_is_off_the_price_and_never_a_receipt(personas: dict[str, Actor]) -> None:
    chat, phone, cleanser = await _desk_with_customer(personas, "Diệu")
    await chat.says(f"chị Diệu {phone} mua 1 sữa rửa mặt giảm 20k tiền mặt", "Đã tạo đơn",
                    "Giảm giá: −20.000 ₫")  # fmt: skip
    lead = await Lead.get(phone=phone)
    order = await Order.get(lead_id=lead.id)
    assert (order.subtotal, order.discount, order.total) == (
        cleanser.price,
        20_000,
        cleanser.price - 20_000,
    )
    receipts = Voucher.filter(order_id=order.id, kind="receipt")
    assert [(v.amount, v.method) for v in await receipts] == [(cleanser.price - 20_000, "cash")]
    await chat.says(f"giảm giá 200k cho chị Diệu {phone}", order.number)
    await chat.says(f"chị Diệu {phone} dùng voucher 100k", order.number)
    assert await receipts.count() == 1
    assert (await Order.get(id=order.id)).total == cleanser.price - 20_000


async def test_a_split_payment_is_two_receipts(personas: dict[str, Actor]) -> None:
    chat, phone, cleanser = await _desk_with_customer(personas, "Duyên")
    await chat.says(f"chị Duyên {phone} mua 1 sữa rửa mặt, ck 100k còn lại tiền mặt",
                    "Đã thu 100.000 ₫ (Chuyển khoản)", "đã thanh toán đủ")  # fmt: skip
    order = await Order.get(lead_id=(await Lead.get(phone=phone)).id)
    receipts = await Voucher.filter(order_id=order.id, kind="receipt").order_by("id")
    assert [(v.amount, v.method) for v in receipts] == [
        (100_000, "transfer"),
        (cleanser.price - 100_000, "cash"),
    ]
    assert (await Order.get(id=order.id)).status == "paid"
