"""CRM usage (#33): what each turn created and changed, per kind, counted by one mechanism (the
ORM's save signals, core/changes.py) for every service — orders, receipts, courses, leads — and
shown per user in the usage report; a refused turn counts nothing."""

from __future__ import annotations

import io
from datetime import datetime, timedelta

from openpyxl import load_workbook
from PIL import Image

from spacrm.bot.engine import Engine
from spacrm.core import clock
from spacrm.core.actors import Actor
from spacrm.core.models import Course, Lead, Order, UsageChange, UsageEvent, Voucher
from spacrm.core.services.reports import parse_period
from spacrm.core.services.usage import usage_report
from tests.bot.test_engine_transcripts import Chat
from tests.conftest import new_phone
from tests.reports.test_profit_opportunity import drop_sales

DAY = datetime(2022, 9, 14, 9, 0)  # September 2022: no other test's turns


async def _changes(event: UsageEvent) -> dict[str, tuple[int, int]]:
    rows = await UsageChange.filter(event_id=event.id)
    return {r.kind: (r.created, r.changed) for r in rows}


async def test_turns_count_records_created_and_changed(personas: dict[str, Actor]) -> None:
    clock.freeze(DAY)
    phone = new_phone()
    try:
        staff = personas["st_q1a1"]
        chat = Chat(Engine(), staff)
        await chat.says(f"thêm khách chị Dung Sử Dụng {phone}", "Đã thêm khách tiềm năng")
        await chat.says(f"bán gói triệt nách 10 buổi cho chị Dung Sử Dụng {phone} 2tr5",
                        "Đã tạo đơn")  # fmt: skip
        lead = await Lead.get(phone=phone)
        order = await Order.get(lead_id=lead.id)
        await chat.says(f"thu tiền mặt 9tr đơn {order.number}", "lớn hơn số còn phải thu")
        await chat.says(f"thu tiền mặt 2tr5 đơn {order.number}", "Đã thu 2.500.000 ₫")
        await chat.says("tổng quan tuần này")
        day = clock.at_local(DAY.date())
        events = await UsageEvent.filter(
            user_id=staff.user_id, at__gte=day, at__lt=day + timedelta(days=1)
        ).order_by("id")
        assert [e.action for e in events] == [
            "create_lead",
            "create_order",
            "record_payment",
            "record_payment",
            "dashboard",
        ]
        made_lead, sold, refused, paid, looked = [await _changes(e) for e in events]
        assert made_lead["lead"] == (1, 0)
        assert sold["order"] == (1, 0) and sold["lead"] == (0, 1)  # the buyer is now in service
        assert sold["contact"] == (1, 0)  # converted on the way
        assert events[1].changed and events[1].record_kind is not None
        assert refused == {} and not events[2].changed  # refused: nothing kept, nothing counted
        assert paid["voucher"] == (1, 0) and paid["order"] == (0, 1)
        assert paid["course"] == (1, 0) and await Course.filter(order_id=order.id).count() == 1
        assert await Voucher.filter(order_id=order.id).count() == 1
        assert looked == {} and not events[4].changed

        lines = {
            ln.name: ln for ln in await usage_report(personas["tl_q1a"], parse_period("2022-09"))
        }
        me = lines[staff.name]
        assert me.created["order"] == 1 and me.created["voucher"] == 1 and me.created["lead"] == 1
        assert me.updated["order"] == 1 and me.updated["lead"] == 1
        assert me.changes == 3

        clock.freeze(DAY + timedelta(days=1))
        replies = await Chat(Engine(), personas["tl_q1a"]).send("báo cáo sử dụng CRM tháng 9/2022")
        text = replies[0].text
        assert (
            "↳ tạo 1 khách hàng, 1 liệu trình, 1 khách tiềm năng, 1 đơn hàng, 1 phiếu thu chi"
            " · sửa 1 khách tiềm năng, 1 đơn hàng"
        ) in text
        image = next(f[1] for f in replies[0].files if f[2] == "image/png")
        assert Image.open(io.BytesIO(image)).size[0] == 1080
        book = next(f[1] for f in replies[0].files if f[0].endswith(".xlsx"))
        rows = list(load_workbook(io.BytesIO(book)).active.iter_rows(values_only=True))
        head = list(rows[0])
        mine = next(r for r in rows[1:] if r[0] == staff.name)
        assert mine[head.index("Bản ghi tạo mới")] == sum(me.created.values())
        assert "đơn hàng 1" in mine[head.index("Tạo mới theo loại")]
    finally:
        clock.freeze(None)
        await drop_sales(list(await Lead.filter(phone=phone).values_list("id", flat=True)))
