"""Writes the chat has no intent for (staffqa): a refund typed as "hoàn tiền c Lan 500k" or a
stock-out "xuất kho 2 chai dầu massage" is never recorded as a payment or an arrival; the reply
says nothing was recorded and who does it."""

from __future__ import annotations

from spacrm.bot.engine import Engine
from spacrm.core.actors import Actor
from spacrm.core.models import StockMove, Voucher
from tests.bot.test_engine_transcripts import Chat


async def test_refund_and_stock_out_write_nothing(personas: dict[str, Actor]) -> None:
    chat = Chat(Engine(), personas["lt_q1"])
    vouchers, moves = await Voucher.all().count(), await StockMove.all().count()
    await chat.says("hoan tien c Lan 500k", "Hoàn tiền cho khách chưa làm được", "chưa ghi gì")
    await chat.says("hoàn lại tiền cho anh Tín 2tr do hủy liệu trình", "Hoàn tiền cho khách")
    await chat.says("xuất kho 2 chai dầu massage", "Xuất kho lẻ chưa ghi được", "Xong buổi")
    assert await Voucher.all().count() == vouchers
    assert await StockMove.all().count() == moves
