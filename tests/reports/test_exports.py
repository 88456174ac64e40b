"""Excel exports: the file reopens with the right rows, headers, formats; scoped; 0 rows is a
clear reply, not an empty file."""

from __future__ import annotations

import io
from datetime import datetime

import openpyxl

from spacrm.bot.engine import Engine
from spacrm.core.actors import Actor
from spacrm.intents.chat import Reply
from tests.bot.test_engine_transcripts import Chat
from tests.reports.conftest import March


def _sheet(replies: list[Reply]):  # type: ignore[no-untyped-def]
    [(name, data, mime)] = [f for r in replies for f in r.all_files()]
    assert name.endswith(".xlsx") and "spreadsheetml" in mime
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref.startswith("A1:")
    return sheet


async def test_sales_activity_summary(march: March, personas: dict[str, Actor]) -> None:
    chat = Chat(Engine(), personas["tl_q1a"])
    replies = await chat.send("xuất excel hoạt động bán hàng tháng 3/2025")
    assert "Tổng hợp hoạt động bán hàng — tháng 3/2025" in replies[0].text
    rows = list(_sheet(replies).iter_rows(values_only=True))
    assert rows[0][:3] == ("Nhân viên", "Cuộc gọi", "Gặp mặt")
    by_name = {r[0]: r for r in rows[1:]}
    anh = by_name[march.names["st_q1a1"]]
    assert anh[1:3] == (3, 1) and anh[8] == 1_500_000  # calls, meetings, revenue
    assert march.names["st_q1b1"] not in by_name


async def test_detail_and_orders_rows(march: March, personas: dict[str, Actor]) -> None:
    chat = Chat(Engine(), personas["bd_q1"])
    replies = await chat.send("xuất excel chi tiết hoạt động bán hàng tháng 3/2025")
    sheet = _sheet(replies)
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:2] == ("Thời gian", "Loại") and len(rows) == 1 + 6  # the April call is out
    assert {r[1] for r in rows[1:]} == {"Cuộc gọi", "Gặp mặt"}
    assert isinstance(rows[1][0], datetime) and sheet["A2"].number_format == "DD/MM/YYYY HH:MM"
    orders = await chat.send("xuất excel danh sách đơn hàng tháng 3/2025")
    sheet = _sheet(orders)
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 1 + 3
    totals = sorted((r[7], r[4]) for r in rows[1:])
    assert totals == [(1_500_000, "Đã xác nhận"), (3_000_000, "Đã xác nhận"), (9_000_000, "Đã hủy")]
    assert sheet["H2"].number_format == '#,##0 "₫"'


async def test_scope_and_empty_export(march: March, personas: dict[str, Actor]) -> None:
    chat = Chat(Engine(), personas["st_q1b1"])
    replies = await chat.send("xuất excel danh sách khách tiềm năng tháng 3/2025")
    rows = list(_sheet(replies).iter_rows(values_only=True))
    assert len(rows) == 1 + 5 and {r[5] for r in rows[1:]} <= {"Đang chăm sóc", "Đang sử dụng DV"}
    empty = await chat.send("xuất excel danh sách đơn hàng tháng 1/2025")
    assert "không có dòng nào" in empty[0].text and not empty[0].all_files()
