"""Document numbers are gapless and never reused, also under concurrent creation (PostgreSQL:
several connections at once; SQLite: one writer at a time)."""

from __future__ import annotations

import asyncio

import pytest
from tortoise.transactions import in_transaction

from spacrm.core.actors import Actor
from spacrm.core.models import Order, Voucher
from spacrm.core.services.numbering import next_number
from spacrm.core.services.orders import OrderItemSpec, create_order
from spacrm.core.services.vouchers import record_payment
from tests.sales.conftest import item_id, make_lead


def _seq(number: str) -> int:
    return int(number.rsplit("-", 1)[1])


async def test_concurrent_orders_and_receipts_get_consecutive_numbers(
    personas: dict[str, Actor],
) -> None:
    staff = personas["st_q1a2"]
    lead = await make_lead(staff)
    goods = await item_id("SP13")
    before = {o.number for o in await Order.all()}

    async def one() -> Order:
        return await create_order(staff, lead_id=lead.id, items=[OrderItemSpec(item_id=goods)])

    made = await asyncio.gather(*[one() for _ in range(12)])
    numbers = sorted(_seq(o.number) for o in made)
    assert len(set(numbers)) == 12 and numbers == list(range(numbers[0], numbers[0] + 12))
    assert not ({o.number for o in made} & before)
    # Two receipts per order at once (each half of the total): every receipt numbered once.
    pays = [record_payment(staff, order_id=o.id, amount=90_000, method="cash") for o in made]
    pays += [record_payment(staff, order_id=o.id, amount=90_000, method="cash") for o in made]
    done = await asyncio.gather(*pays)
    receipts = sorted(_seq(p.voucher.number) for p in done)
    assert receipts == list(range(receipts[0], receipts[0] + 24))
    assert all(o.status == "paid" for o in await Order.filter(id__in=[o.id for o in made]))
    assert await Voucher.filter(order_id__in=[o.id for o in made]).count() == 24


async def test_a_rolled_back_document_gives_its_number_back() -> None:
    first, _ = await _take()
    with pytest.raises(RuntimeError):
        async with in_transaction():
            await next_number("quote", 2026)
            raise RuntimeError("the document failed to save")
    second, _ = await _take()
    assert _seq(second) == _seq(first) + 1


async def _take() -> tuple[str, int]:
    async with in_transaction():
        return await next_number("quote", 2026)
