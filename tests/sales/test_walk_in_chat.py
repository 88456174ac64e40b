"""A sale at the counter to a customer who leaves no record ("khách lẻ", "khách vãng lai"): the
order is made without looking anyone up and without creating a customer, paid when a method is
said; a package of sessions is followed per customer, so it asks for her and writes nothing."""

from __future__ import annotations

from spacrm.bot.engine import Engine
from spacrm.core.actors import Actor
from spacrm.core.models import CatalogItem, Lead, Order, Voucher
from tests.bot.test_engine_transcripts import Chat


async def test_goods_sold_to_a_walk_in_are_one_paid_order(personas: dict[str, Actor]) -> None:
    desk = personas["lt_q1"]
    chat = Chat(Engine(), desk)
    leads, last = await Lead.all().count(), await Order.all().order_by("-id").first()
    cleanser = await CatalogItem.filter(
        name__icontains="sữa rửa mặt", kind="goods", active=True
    ).first()
    assert cleanser is not None
    await chat.says("khách lẻ mua 1 sữa rửa mặt tiền mặt", "Đã tạo đơn", "cho khách lẻ",
                    "Khách: Khách lẻ", "Tiền mặt")  # fmt: skip
    order = await Order.filter(id__gt=last.id if last else 0).get()
    assert order.lead_id is None and order.customer_name == "Khách lẻ"
    assert order.total == cleanser.price and order.paid == order.total
    assert order.site_branch_id == desk.home_branch_id and order.owner_id == desk.user_id
    receipts = await Voucher.filter(order_id=order.id, kind="receipt")
    assert [(v.amount, v.method) for v in receipts] == [(cleanser.price, "cash")]
    assert await Lead.all().count() == leads  # a passer-by is no customer to follow


async def test_a_package_for_a_walk_in_asks_for_the_customer(personas: dict[str, Actor]) -> None:
    chat = Chat(Engine(), personas["lt_q1"])
    orders = await Order.all().count()
    await chat.says("bán cho khách lẻ gói massage body 5 buổi ck", "cần tên và số điện thoại")
    await chat.says("khách vãng lai mua gói massage body 5 buổi 1tr5", "cần tên và số điện thoại")
    assert await Order.all().count() == orders
