"""Profit by opportunity (#32): an order closes one deal of its customer — linked at creation when
the customer has exactly one open deal, or later by name or button, never to a wrong or another
customer's deal — and `lợi nhuận theo cơ hội` sums revenue, cost, profit, paid and outstanding per
deal (text + xlsx), in the asker's scope.

Orders are made in July 2022 (no other test sells then), so the month's figures are ours."""

from __future__ import annotations

import io
from datetime import datetime

import pytest
from openpyxl import load_workbook

from spacrm.bot.engine import Engine
from spacrm.core import clock
from spacrm.core.actors import Actor
from spacrm.core.errors import DomainError, ErrorCode
from spacrm.core.models import (
    Course,
    Lead,
    Opportunity,
    Order,
    OrderLine,
    Package,
    SalesCommission,
    Voucher,
)
from spacrm.core.services.deals import create_deal
from spacrm.core.services.leads import create_lead
from spacrm.core.services.order_deals import link_order
from spacrm.core.services.orders import OrderItemSpec, create_order
from spacrm.core.services.profit import order_profits
from spacrm.core.services.reports import parse_period
from tests.bot.test_engine_transcripts import Chat
from tests.conftest import new_phone

DAY = datetime(2022, 7, 12, 10, 0)
SALE = "bán gói triệt nách 10 buổi cho chị {name} {phone} 2tr5"


async def drop_sales(lead_ids: list[int]) -> None:
    """The shared test database keeps no unpaid orders of ours: other tests count debts."""
    orders = list(await Order.filter(lead_id__in=lead_ids).values_list("id", flat=True))
    for model in (OrderLine, Course, Voucher, SalesCommission):
        await model.filter(order_id__in=orders).delete()
    await Order.filter(id__in=orders).delete()
    await Opportunity.filter(lead_id__in=lead_ids).delete()


async def _new_order(chat: Chat, lead: Lead) -> Order:
    before = {o.id for o in await Order.filter(lead_id=lead.id)}
    await chat.says(SALE.format(name=lead.name, phone=lead.phone), "Đã tạo đơn")
    return next(o for o in await Order.filter(lead_id=lead.id) if o.id not in before)


async def test_orders_link_to_deals_and_profit_by_deal(personas: dict[str, Actor]) -> None:
    clock.freeze(DAY)
    leads: list[int] = []
    try:
        staff = personas["st_q1a1"]
        lead = await create_lead(staff, name="Chị Cơ Hội Một", phone=new_phone())
        leads.append(lead.id)
        wedding = await create_deal(staff, lead_id=lead.id, name="Trọn gói cưới", amount=5_000_000)
        chat = Chat(Engine(), staff)
        # One open deal: the order closes it, and its card says so.
        first = await _new_order(chat, lead)
        assert first.opportunity_id == wedding.id
        await chat.says(f"xem đơn {first.number}", "🎯 Cơ hội: Trọn gói cưới")

        # Three open deals: the next order is left unlinked, its card offers the deals.
        vip = await create_deal(staff, lead_id=lead.id, name="Chăm sóc da VIP", amount=3_000_000)
        await create_deal(staff, lead_id=lead.id, name="Chăm sóc da thường", amount=1_000_000)
        second = await _new_order(chat, lead)
        assert second.opportunity_id is None
        offered = [b for b in chat.buttons if b.payload.startswith(f"og:{second.id}:")]
        assert len(offered) == 3 and any("Chăm sóc da VIP" in b.text for b in offered)

        # A name two deals share: the user picks, nothing is linked yet.
        await chat.says(f"gắn đơn {second.number} vào cơ hội chăm sóc da", "Có nhiều cơ hội")
        assert (await Order.get(id=second.id)).opportunity_id is None
        assert len([b for b in chat.buttons if b.payload.startswith("og:")]) == 2
        await chat.says(f"gắn đơn {second.number} vào cơ hội Spa cuối tuần", "không có cơ hội")
        await chat.says(f"gắn đơn {second.number} vào cơ hội chăm sóc da VIP",
                        f"Đã gắn đơn {second.number} vào cơ hội “Chăm sóc da VIP”")  # fmt: skip
        assert (await Order.get(id=second.id)).opportunity_id == vip.id

        # Another customer's deal, even from a forged button: not found, the link unchanged.
        other = await create_lead(staff, name="Chị Cơ Hội Hai", phone=new_phone())
        leads.append(other.id)
        theirs = await create_deal(staff, lead_id=other.id, name="Khác", amount=1)
        refused = await chat.send(payload=f"og:{second.id}:{theirs.id}")
        assert "không tìm thấy" in refused[0].text
        assert (await Order.get(id=second.id)).opportunity_id == vip.id

        third = await _new_order(chat, lead)  # still three open deals: unlinked
        assert third.opportunity_id is None

        # Profit by opportunity, in chat: per deal, then the orders linked to none.
        figures = {}
        async for page in order_profits(staff, parse_period("2022-07")):
            figures.update({o.order_id: o.figures for o in page})
        mine = {first.id, second.id, third.id}
        assert mine <= set(figures)
        replies = await chat.send("lợi nhuận theo cơ hội tháng 7/2022")
        text = replies[0].text
        assert "Lợi nhuận theo cơ hội" in text
        assert "• Trọn gói cưới (Phân tích nhu cầu, Chị Cơ Hội Một): 1 đơn" in text
        assert "• Chăm sóc da VIP (Phân tích nhu cầu, Chị Cơ Hội Một): 1 đơn" in text
        assert "Đơn chưa gắn cơ hội: 1 đơn" in text
        book = next(f[1] for f in replies[0].files if f[0].endswith(".xlsx"))
        rows = list(load_workbook(io.BytesIO(book)).active.iter_rows(values_only=True))
        head = list(rows[0])
        assert head[:4] == ["Cơ hội", "Giai đoạn cơ hội", "Khách hàng", "Giá trị cơ hội"]
        by_name = {r[0]: dict(zip(head, r, strict=True)) for r in rows[1:]}
        w = by_name["Trọn gói cưới"]
        f1 = figures[first.id]
        assert (w["Số đơn"], w["Doanh thu"], w["Lợi nhuận"], w["Đã thu"], w["Giá trị cơ hội"]) == (
            1,
            f1.revenue,
            f1.profit,
            f1.paid,
            5_000_000,
        )
        assert f1.revenue == 2_500_000 and f1.cost > 0  # consumables and commission at cost
        assert by_name["(Chưa gắn cơ hội)"]["Doanh thu"] == figures[third.id].revenue

        # Another team's salesperson sees none of it.
        theirs_chat = Chat(Engine(), personas["st_q1b1"])
        out = await theirs_chat.says("lợi nhuận theo cơ hội tháng 7/2022")
        assert "Trọn gói cưới" not in out
    finally:
        clock.freeze(None)
        await drop_sales(leads)


async def test_creation_links_only_an_unambiguous_open_deal(personas: dict[str, Actor]) -> None:
    """A won or lost deal is not "open"; a deal named at creation must be this customer's, else
    nothing is saved (the order is refused whole)."""
    clock.freeze(DAY)
    staff = personas["st_q1a1"]
    lead = await create_lead(staff, name="Chị Cơ Hội Ba", phone=new_phone())
    other = await create_lead(staff, name="Chị Cơ Hội Bốn", phone=new_phone())
    try:
        package = await Package.get(code="GOI01")
        spec = [OrderItemSpec(package_id=package.id)]
        won = await create_deal(staff, lead_id=lead.id, name="Đã chốt", stage="won")
        await create_deal(staff, lead_id=lead.id, name="Đã mất", stage="lost")
        plain = await create_order(staff, lead_id=lead.id, items=spec)
        assert plain.opportunity_id is None  # no open deal: nothing guessed
        named = await create_order(staff, lead_id=lead.id, items=spec, opportunity_id=won.id)
        assert named.opportunity_id == won.id  # named by the user: a won deal is fine
        theirs = await create_deal(staff, lead_id=other.id, name="Của người khác")
        before = await Order.filter(lead_id=lead.id).count()
        with pytest.raises(DomainError) as refused:
            await create_order(staff, lead_id=lead.id, items=spec, opportunity_id=theirs.id)
        assert refused.value.code == ErrorCode.NOT_FOUND
        assert await Order.filter(lead_id=lead.id).count() == before  # nothing half-saved
        lost = await Opportunity.get(lead_id=lead.id, stage="lost")
        with pytest.raises(DomainError) as refused:
            await link_order(staff, order_id=plain.id, deal_id=lost.id)
        assert refused.value.code == ErrorCode.DEAL_LINK_REFUSED
        outsider = personas["st_q1b1"]  # another team: the order is not theirs to link
        with pytest.raises(DomainError):
            await link_order(outsider, order_id=plain.id, deal_id=won.id)
        assert (await Order.get(id=plain.id)).opportunity_id is None
    finally:
        clock.freeze(None)
        await drop_sales([lead.id, other.id])
