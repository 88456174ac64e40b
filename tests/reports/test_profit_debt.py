"""Profit and debt (#32): per order and per customer, exact figures from catalogue cost prices,
service consumables and line commissions; scoped; in chat (text + xlsx) and as exports.

Records are in February 2024 (no other test writes there), so debts "as of 29/02/2024" are ours.
"""

from __future__ import annotations

import io
from datetime import date

import pytest
from openpyxl import load_workbook

from spacrm.bot.engine import Engine
from spacrm.core.actors import Actor
from spacrm.core.models import CatalogItem, Order, OrderLine, ServiceConsumable
from spacrm.core.services.profit import debts, profit_report
from spacrm.core.services.reports import parse_period
from tests.bot.test_engine_transcripts import Chat
from tests.reports.conftest import _owned

FEB = parse_period("2024-02")


async def _item(code: str, kind: str, price: int, cost: int, pct: int = 0) -> CatalogItem:
    return await CatalogItem.create(code=f"pd-{code}", name=f"PD {code}", name_key=f"pd {code}",
                                    kind=kind, price=price, cost=cost, commission_pct=pct)  # fmt: skip


async def _order(n: int, login: str, day: date, customer: str, total: int, paid: int,
                 lines: list[tuple[CatalogItem, int, int, int]]) -> Order:  # fmt: skip
    owned = await _owned(login)
    number = f"HD2024-7{n:05d}"
    order = await Order.create(number=number, code=number.replace("-", ""), order_date=day,
                               site_branch_id=owned["branch_id"], customer_name=customer,
                               customer_phone=f"090700{n:04d}", status="confirmed", subtotal=total,
                               total=total, paid=paid, created_by_id=owned["owner_id"], **owned)  # fmt: skip
    for item, quantity, sessions, amount in lines:
        await OrderLine.create(order_id=order.id, item_id=item.id, kind=item.kind, name=item.name,
                               quantity=quantity, sessions=sessions, list_price=item.price,
                               unit_price=item.price, amount=amount,
                               commission_pct=item.commission_pct)  # fmt: skip
    return order


@pytest.fixture(scope="module")
async def february(personas: dict[str, Actor]) -> None:
    cream = await _item("cream", "goods", 300_000, 120_000)
    serum = await _item("serum", "consumable", 0, 50_000)
    facial = await _item("facial", "service", 500_000, 0, pct=10)
    await ServiceConsumable.create(service_id=facial.id, consumable_id=serum.id, quantity=0.5)
    # Q1-A: a 5-session facial (2.500.000) + 2 creams (600.000), 1.000.000 paid
    #   goods 240.000 · consumables 5 × 0,5 × 50.000 = 125.000 · commission 250.000 → profit 2.485.000
    await _order(1, "st_q1a1", date(2024, 2, 10), "Chị Phí Lợi", 3_100_000, 1_000_000,
                 [(facial, 5, 5, 2_500_000), (cream, 2, 0, 600_000)])  # fmt: skip
    # the same customer name, another order fully paid: 1 cream
    await _order(2, "st_q1a1", date(2024, 2, 12), "Chị Phí Lợi", 300_000, 300_000,
                 [(cream, 1, 0, 300_000)])  # fmt: skip
    # Q1-B: 3 creams, nothing paid
    await _order(3, "st_q1b1", date(2024, 2, 11), "Anh Nợ Đọng", 900_000, 0,
                 [(cream, 3, 0, 900_000)])  # fmt: skip


async def test_profit_per_order_and_customer_is_exact_and_scoped(
    february: None, personas: dict[str, Actor]
) -> None:
    report = await profit_report(personas["tl_q1a"], FEB)
    t = report.total
    assert (t.orders, t.revenue, t.paid, t.outstanding) == (2, 3_400_000, 1_300_000, 2_100_000)
    assert (t.goods_cost, t.consumables_cost, t.commission) == (360_000, 125_000, 250_000)
    assert t.profit == 3_400_000 - 735_000
    assert len(report.customers) == 2  # walk-in orders group by name and phone
    board = await profit_report(personas["bd_q1"], FEB)
    assert board.total.revenue == 4_300_000 and board.total.goods_cost == 720_000
    assert (await profit_report(personas["st_q1b1"], FEB)).total.revenue == 900_000


async def test_debts_list_largest_first_and_scoped(
    february: None, personas: dict[str, Actor]
) -> None:
    found = await debts(personas["bd_q1"], as_of=date(2024, 2, 29))
    assert [(d.customer, d.outstanding, d.orders) for d in found] == [
        ("Chị Phí Lợi", 2_100_000, 1),
        ("Anh Nợ Đọng", 900_000, 1),
    ]
    mine = await debts(personas["tl_q1a"], as_of=date(2024, 2, 29))
    assert [d.customer for d in mine] == ["Chị Phí Lợi"]


async def test_debts_and_profit_in_chat(february: None, personas: dict[str, Actor]) -> None:
    chat = Chat(Engine(), personas["bd_q1"])
    replies = await chat.send("công nợ tháng 2/2024")
    text = replies[0].text
    assert "2 khách còn nợ tổng 3.000.000 ₫" in text, text
    assert text.index("Chị Phí Lợi") < text.index("Anh Nợ Đọng")
    name, data, _ = replies[0].files[0]
    assert name == "debts-2024-02.xlsx"
    sheet = load_workbook(io.BytesIO(data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:6] == ("Khách hàng", "Số điện thoại", "Số đơn", "Tổng tiền", "Đã thu",
                           "Còn phải thu")  # fmt: skip
    assert rows[1][5] == 2_100_000 and len(rows) == 3
    out = await Chat(Engine(), personas["tl_q1a"]).says(
        "lợi nhuận tháng 2/2024", "Doanh thu: 3.400.000 ₫ (2 đơn)", "Lợi nhuận: 2.665.000 ₫ (78%)",
        "Còn phải thu: 2.100.000 ₫",
    )  # fmt: skip
    assert "Anh Nợ Đọng" not in out
    replies = await chat.send("xuất excel lợi nhuận tháng 2/2024")
    rows = list(
        load_workbook(io.BytesIO(replies[0].files[0][1])).active.iter_rows(values_only=True)
    )
    assert len(rows) == 4 and rows[0][8] == "Lợi nhuận"
    by_number = {r[0]: r for r in rows[1:]}
    assert by_number["HD2024-700001"][4:11] == (3_100_000, 240_000, 125_000, 250_000, 2_485_000,
                                                1_000_000, 2_100_000)  # fmt: skip


async def test_no_debt_and_no_orders_are_said_plainly(personas: dict[str, Actor]) -> None:
    chat = Chat(Engine(), personas["st_q1a1"])
    await chat.says("lợi nhuận tháng 1/2024", "chưa có đơn hàng nào")
    await chat.says("công nợ tháng 1/2020", "không có khách nào còn nợ")
    await chat.says("công nợ tháng 1/2099", "chưa tới")
