"""Two items and one amount (staffqa): "2 chai serum vitamin c 850k" may mean 850k for both or
each. A wrong guess records the wrong amount, so the chat asks unless the amount is the list
total; the answer is a button or a typed word."""

from __future__ import annotations

from spacrm.bot.engine import Engine
from spacrm.core.actors import Actor
from spacrm.core.models import Lead, Order, Voucher
from tests.bot.test_engine_transcripts import Chat
from tests.conftest import new_phone


async def _customer(chat: Chat, name: str) -> tuple[str, Lead]:
    phone = new_phone()
    await chat.says(f"thêm khách chị {name} {phone}", f"Đã thêm khách tiềm năng {name}")
    return phone, await Lead.get(phone=phone)


async def test_amount_for_several_items_is_asked_then_used(personas: dict[str, Actor]) -> None:
    chat = Chat(Engine(), personas["lt_q1"])
    phone, lead = await _customer(chat, "Thơm")
    await chat.says(f"ban cho c Thơm {phone} 2 chai serum vitamin c 850k tm",
                    "850.000 ₫ cho 2 × Serum vitamin C 30ml", "tổng tiền hay giá mỗi cái")  # fmt: skip
    assert not await Order.filter(lead_id=lead.id).exists()  # nothing written before the answer
    await chat.press("× 2 = 1.700.000 ₫", "Đã tạo đơn", "Tổng: 1.700.000 ₫", "Tiền mặt")
    order = await Order.get(lead_id=lead.id)
    assert order.total == 1_700_000 and order.status == "paid"
    assert [v.amount for v in await Voucher.filter(order_id=order.id)] == [1_700_000]

    # Typed instead of pressed: "tổng" keeps 850k as the total.
    await chat.says(f"c Thơm {phone} mua 2 chai serum vitamin c 850k", "tổng tiền hay giá mỗi cái")
    await chat.says("tổng", "Đã tạo đơn", "Tổng: 850.000 ₫")


async def test_list_total_is_not_asked(personas: dict[str, Actor]) -> None:
    chat = Chat(Engine(), personas["lt_q1"])
    phone, lead = await _customer(chat, "Nhài")
    await chat.says(f"c Nhài {phone} mua 2 chai serum vitamin c 1tr3", "Đã tạo đơn",
                    "Tổng: 1.300.000 ₫")  # fmt: skip
    assert (await Order.get(lead_id=lead.id)).total == 1_300_000
