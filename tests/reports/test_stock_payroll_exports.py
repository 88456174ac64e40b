"""Stock (opening / in / out / closing per branch, value at cost) and payroll exports in chat:
real stock moves and a real payroll run, scoped (a branch's director sees their branch; payroll
only for people with payroll rights)."""

from __future__ import annotations

import io
from datetime import datetime

from openpyxl import load_workbook

from spacrm.bot.engine import Engine
from spacrm.core import clock
from spacrm.core.actors import Actor
from spacrm.core.models import Branch, CatalogItem, StockMove, User
from spacrm.core.services import payroll, stock
from tests.bot.test_engine_transcripts import Chat


def _rows(data: bytes) -> list[tuple[object, ...]]:
    return list(load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True))


async def test_stock_export_opening_in_out_closing(personas: dict[str, Actor]) -> None:
    ceo, director = personas["ceo"], personas["bd_q1"]
    item = await CatalogItem.create(code="sx-mask", name="Mặt nạ xuất tồn", name_key="mat na xuat ton",
                                    kind="goods", unit="hộp", price=200_000, cost=80_000)  # fmt: skip
    q1 = await User.get(login="bd_q1")
    other = await Branch.exclude(id=q1.branch_id).first()
    assert other is not None and q1.branch_id is not None
    await stock.stock_in(ceo, product_id=item.id, quantity=10, branch_id=q1.branch_id)
    await stock.stock_in(ceo, product_id=item.id, quantity=4, branch_id=q1.branch_id)
    await stock.issue_stock(ceo, product_id=item.id, quantity=1.5, branch_id=q1.branch_id,
                            reason="hỏng")  # fmt: skip
    await stock.stock_in(ceo, product_id=item.id, quantity=7, branch_id=other.id)
    moves = await StockMove.filter(product_id=item.id).order_by("id")
    days = [datetime(2023, 4, 20), datetime(2023, 5, 3), datetime(2023, 5, 9), datetime(2023, 5, 9)]
    for move, day in zip(moves, days, strict=True):
        await StockMove.filter(id=move.id).update(created_at=clock.at_local(day.date()))
    replies = await Chat(Engine(), director).send("xuất excel tồn kho tháng 5/2023")
    name, data, _ = replies[0].files[0]
    assert name == "stock-2023-05.xlsx" and "tháng 5/2023" in replies[0].text
    rows = _rows(data)
    assert rows[0] == ("Chi nhánh", "Mã hàng", "Tên hàng", "Đơn vị", "Tồn đầu kỳ", "Nhập trong kỳ",
                       "Xuất trong kỳ", "Tồn cuối kỳ", "Giá trị tồn (giá vốn)")  # fmt: skip
    mine = [r for r in rows[1:] if r[1] == "sx-mask"]
    assert mine == [(q1_name := (await Branch.get(id=q1.branch_id)).name, "sx-mask",
                     "Mặt nạ xuất tồn", "hộp", 10, 4, 1.5, 12.5, 1_000_000)], mine  # fmt: skip
    everything = _rows(
        (await Chat(Engine(), ceo).send("xuất excel tồn kho tháng 5/2023"))[0].files[0][1]
    )
    assert {r[0] for r in everything[1:] if r[1] == "sx-mask"} == {q1_name, other.name}


async def test_payroll_export_for_payroll_rights_only(personas: dict[str, Actor]) -> None:
    ceo = personas["ceo"]
    await payroll.set_salary(ceo, login="st_q1a2", basis="month", base_amount=7_000_000)
    await payroll.run_payroll(ceo, month="2023-05")
    replies = await Chat(Engine(), ceo).send("xuất bảng lương tháng 5/2023")
    name, data, _ = replies[0].files[0]
    assert name == "payroll-2023-05.xlsx"
    rows = _rows(data)
    assert rows[0][:3] == ("Nhân viên", "Tài khoản", "Lương cơ bản") and rows[0][-1] == "Thực lĩnh"
    mine = next(r for r in rows[1:] if r[1] == "st_q1a2")
    assert mine[2] == 7_000_000 and isinstance(mine[-1], int) and mine[-1] > 0
    await Chat(Engine(), personas["st_q1a1"]).says("xuất bảng lương tháng 5/2023", "không có quyền")
