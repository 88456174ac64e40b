"""Payments typed in chat shorthand (staff set D): the method word ends up on the receipt, and an
amount corrected in the same message ("à nhầm 300k") is the amount taken, not the slip."""

from __future__ import annotations

from spacrm.bot.engine import Engine
from spacrm.core.actors import Actor
from spacrm.core.models import Lead, Order, Voucher
from tests.bot.test_engine_transcripts import Chat
from tests.conftest import new_phone


async def _order(chat: Chat, name: str) -> tuple[str, Order]:
    phone = new_phone()
    await chat.says(f"thêm khách chị {name} {phone}", f"Đã thêm khách tiềm năng {name}")
    await chat.says(f"tạo đơn cho chị {name} {phone} gói massage body 5 buổi", "Đã tạo đơn",
                    "1.500.000 ₫")  # fmt: skip
    lead = await Lead.get(phone=phone)
    return phone, await Order.get(lead_id=lead.id)


async def _receipts(order: Order) -> list[tuple[int, str]]:
    vouchers = await Voucher.filter(order_id=order.id, kind="receipt").order_by("id")
    return [(v.amount, v.method) for v in vouchers]


async def test_each_method_word_is_stored_on_the_receipt(personas: dict[str, Actor]) -> None:
    chat = Chat(Engine(), personas["st_q1a1"])
    phone, order = await _order(chat, "Hoa")
    # "thẻ" without its mark ("the") is the card: before, this receipt was filed as cash.
    await chat.says(f"thu c Hoa {phone} 100k the", "Đã thu 100.000 ₫", "Thẻ")
    await chat.says(f"c Hoa {phone} quẹt thẻ 100k", "Đã thu 100.000 ₫", "Thẻ")
    await chat.says(f"c Hoa {phone} tm 100k", "Đã thu 100.000 ₫", "Tiền mặt")
    await chat.says(f"c Hoa {phone} ck 100k", "Đã thu 100.000 ₫", "Chuyển khoản")
    await chat.says(f"c Hoa {phone} chuyen khoan 100k", "Đã thu 100.000 ₫", "Chuyển khoản")
    await chat.says(f"thu c Hoa {phone} 100k qua qr", "Đã thu 100.000 ₫", "Chuyển khoản")
    await chat.says(f"c Hoa {phone} trả thẻ 100k", "Đã thu 100.000 ₫", "Thẻ")
    assert await _receipts(order) == [
        (100_000, "card"),
        (100_000, "card"),
        (100_000, "cash"),
        (100_000, "transfer"),
        (100_000, "transfer"),
        (100_000, "transfer"),
        (100_000, "card"),
    ]
    assert (await Order.get(id=order.id)).paid == 700_000


async def test_an_amount_corrected_in_the_message_is_the_one_taken(
    personas: dict[str, Actor],
) -> None:
    chat = Chat(Engine(), personas["st_q1a1"])
    phone, order = await _order(chat, "Thoa")
    await chat.says(f"c Thoa {phone} ck 200k, à nhầm 300k", "Đã thu 300.000 ₫", "Chuyển khoản")
    await chat.says(f"c Thoa {phone} chuyen khoan 1tr, a nham 1tr2", "Đã thu 1.200.000 ₫")
    assert await _receipts(order) == [(300_000, "transfer"), (1_200_000, "transfer")]
    assert (await Order.get(id=order.id)).status == "paid"


async def test_a_payment_without_its_method_asks_how_it_was_paid(
    personas: dict[str, Actor],
) -> None:
    # Cash, transfer or card decides the drawer or the account at the day's close: never guessed.
    chat = Chat(Engine(), personas["st_q1a1"])
    phone, order = await _order(chat, "Nhung")
    # "thu chị Nhung" folds to "thu chi" (income and expense): typed with its mark, a payment.
    asked = await chat.send(f"thu chị Nhung {phone} 200k")
    assert "Thu 200.000 ₫ bằng gì" in asked[0].text
    assert [b.payload for b in asked[0].buttons[0]] == ["mh:cash", "mh:transfer", "mh:card"]
    assert await _receipts(order) == []  # nothing is written before the answer
    await chat.says("ck", "Đã thu 200.000 ₫", "Chuyển khoản")
    await chat.says(f"thu c Nhung {phone} 300k", "bằng gì")
    await chat.says("tiền mặt", "Đã thu 300.000 ₫", "Tiền mặt")
    await chat.says(f"thu c Nhung {phone} 100k", "bằng gì")
    await chat.says("thẻ", "Đã thu 100.000 ₫", "Thẻ")
    # Pressed instead of typed; a method no button offered is refused, nothing written.
    await chat.says(f"thu c Nhung {phone} 50k", "bằng gì")
    forged = await chat.send(payload="mh:gold")
    assert forged[0].toast  # "Nút này đã cũ": refused, nothing written
    await chat.press("Tiền mặt", "Đã thu 50.000 ₫", "Tiền mặt")
    assert await _receipts(order) == [
        (200_000, "transfer"), (300_000, "cash"), (100_000, "card"), (50_000, "cash"),
    ]  # fmt: skip
