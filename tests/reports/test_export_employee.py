"""`xuất excel … của Hoa` (#19): the file holds only that employee's rows; the name is looked up
within the asker's scope, so someone outside it is "not found" (nothing exported)."""

from __future__ import annotations

import io

import openpyxl

from spacrm.bot.engine import Engine
from spacrm.core.actors import Actor
from spacrm.intents.chat import Reply
from tests.bot.test_engine_transcripts import Chat
from tests.reports.conftest import March


def _rows(replies: list[Reply]) -> list[tuple[object, ...]]:
    [(name, data, _)] = [f for r in replies for f in r.all_files()]
    assert name.endswith(".xlsx")
    return list(openpyxl.load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True))


async def test_export_of_one_employee(march: March, personas: dict[str, Actor]) -> None:
    chat = Chat(Engine(), personas["tl_q1a"])
    anh = march.names["st_q1a1"]
    summary = await chat.send("xuất excel hoạt động bán hàng tháng 3/2025 của Ánh")
    assert "Tổng hợp hoạt động bán hàng của Ánh — tháng 3/2025" in summary[0].text
    rows = _rows(summary)
    assert [r[0] for r in rows[1:]] == [anh]
    detail = _rows(await chat.send("xuất excel chi tiết hoạt động bán hàng tháng 3/2025 của Ánh"))
    assert len(detail) == 1 + 4 and {r[-1] for r in detail[1:]} == {anh}  # 3 calls, 1 meeting
    director = Chat(Engine(), personas["bd_q1"])
    everyone = _rows(await director.send("xuất excel chi tiết hoạt động bán hàng tháng 3/2025"))
    assert len(everyone) == 1 + 6  # the branch's rows without a name
    of_truc = await director.send("xuất excel chi tiết hoạt động bán hàng tháng 3/2025 của Trúc")
    assert {r[-1] for r in _rows(of_truc)[1:]} == {march.names["st_q1b1"]}
    orders = _rows(await chat.send("xuất excel danh sách đơn hàng tháng 3/2025 của Ánh"))
    assert [r[-1] for r in orders[1:]] == [anh]
    profit = _rows(await director.send("xuất excel lợi nhuận tháng 3/2025 của Ánh"))
    assert [(r[4], r[-1]) for r in profit[1:]] == [(1_500_000, anh)]  # revenue, seller


async def test_employee_outside_scope_is_not_found(
    march: March, personas: dict[str, Actor]
) -> None:
    chat = Chat(Engine(), personas["tl_q1a"])  # Trúc is in team Q1-B
    replies = await chat.send("xuất excel chi tiết hoạt động bán hàng tháng 3/2025 của Trúc")
    assert "không tìm thấy nhân viên “Trúc”" in replies[0].text
    assert not replies[0].all_files()
    staff = Chat(Engine(), personas["st_q1a1"])  # a salesperson sees only themself
    mate = await staff.send("xuất excel danh sách đơn hàng tháng 3/2025 của Nhung")
    assert "không tìm thấy nhân viên" in mate[0].text and not mate[0].all_files()
