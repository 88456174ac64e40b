"""KPI settings and the KPI report: targets vs actuals from the fixture's March 2025 records."""

from __future__ import annotations

import io
from datetime import date

import openpyxl
import pytest
from PIL import Image

from spacrm.bot.engine import Engine
from spacrm.core.actors import Actor
from spacrm.core.errors import DomainError, ErrorCode
from spacrm.core.models import KpiSetting
from spacrm.core.services.kpi import add_kpi, kpi_report, list_kpis
from spacrm.core.services.reports import parse_period
from tests.bot.test_engine_transcripts import Chat
from tests.reports.conftest import March

MARCH = parse_period("2025-03")


@pytest.fixture(scope="session")
async def march_kpi(march: March, personas: dict[str, Actor]) -> KpiSetting:
    await add_kpi(personas["tl_q1a"], name="KPI nhóm Q1-A tháng 3", start=date(2025, 3, 1),
                  end=date(2025, 3, 31), team="q1a", targets={"calls": 10, "new_leads": 4,
                  "revenue": 3_000_000}, commission_pct=5)  # fmt: skip
    return await add_kpi(personas["bd_q1"], name="KPI riêng Ánh", start=date(2025, 3, 1),
                         end=date(2025, 3, 31), employee="st_q1a1",
                         targets={"calls": 6, "meetings": 2, "new_leads": 8, "revenue": 1_000_000,
                                  "leads_contacted": 4}, commission_pct=10)  # fmt: skip


async def test_actuals_against_targets(
    march_kpi: KpiSetting, march: March, personas: dict[str, Actor]
) -> None:
    lines = await kpi_report(personas["tl_q1a"], period=MARCH)
    by_name = {line.name: line for line in lines}
    assert march.names["st_q1b1"] not in by_name  # another team
    anh = by_name[march.names["st_q1a1"]]
    assert anh.kpi_name == "KPI riêng Ánh"  # own setting before the team's
    assert (anh.actual["calls"], anh.actual["meetings"], anh.actual["new_leads"]) == (3, 1, 4)
    assert anh.actual["leads_contacted"] == 2 and anh.actual["revenue"] == 1_500_000
    assert (anh.pct("calls"), anh.pct("revenue"), anh.pct("emails")) == (50, 150, None)
    assert anh.commission == 150_000  # 10 % of 1,5tr
    nhung = by_name[march.names["st_q1a2"]]
    assert nhung.kpi_name == "KPI nhóm Q1-A tháng 3" and nhung.target["calls"] == 10
    assert nhung.actual["leads_converted"] == 1 and nhung.conversion_pct == 50
    own = await kpi_report(personas["st_q1a1"], period=MARCH)
    assert [line.name for line in own] == [march.names["st_q1a1"]]


async def test_employee_outside_scope_is_not_found(
    march_kpi: KpiSetting, personas: dict[str, Actor]
) -> None:
    with pytest.raises(DomainError) as err:
        await kpi_report(personas["tl_q1a"], period=MARCH, employee="Trúc")
    assert err.value.code == ErrorCode.EMPLOYEE_NOT_FOUND
    [line] = await kpi_report(personas["bd_q1"], period=MARCH, employee="truc")
    assert line.actual["calls"] == 2 and line.actual["revenue"] == 3_000_000


async def test_bad_settings_save_nothing(personas: dict[str, Actor]) -> None:
    before = await KpiSetting.all().count()
    cases = [
        ({"start": date(2025, 3, 31), "end": date(2025, 3, 1)}, ErrorCode.KPI_DATES),
        ({"targets": {"calls": -1}}, ErrorCode.KPI_NEGATIVE),
        ({"employee": "st_q1b1"}, ErrorCode.EMPLOYEE_NOT_FOUND),  # not in tl_q1a's team
        ({"employee": None, "team": "q1b"}, ErrorCode.EMPLOYEE_NOT_FOUND),
    ]
    for override, code in cases:
        kwargs = {"name": "x", "start": date(2025, 3, 1), "end": date(2025, 3, 31),
                  "targets": {"calls": 1}, "employee": "st_q1a1", **override}  # fmt: skip
        with pytest.raises(DomainError) as err:
            await add_kpi(personas["tl_q1a"], **kwargs)  # type: ignore[arg-type]
        assert err.value.code == code
    with pytest.raises(DomainError) as err:
        await add_kpi(personas["st_q1a1"], name="x", start=date(2025, 3, 1), end=date(2025, 3, 2),
                      targets={}, employee="st_q1a1")  # fmt: skip
    assert err.value.code == ErrorCode.FORBIDDEN
    assert await KpiSetting.all().count() == before


async def test_list_is_scoped(march_kpi: KpiSetting, personas: dict[str, Actor]) -> None:
    assert {k.name for k in await list_kpis(personas["tl_q1a"])} >= {
        "KPI riêng Ánh",
        "KPI nhóm Q1-A tháng 3",
    }
    assert not [k for k in await list_kpis(personas["st_q1b1"]) if k.name.startswith("KPI riêng")]


async def test_kpi_in_chat(march_kpi: KpiSetting, march: March, personas: dict[str, Actor]) -> None:
    chat = Chat(Engine(), personas["st_q1a1"])
    replies = await chat.send("KPI tháng 3/2025 của tôi")
    text = replies[0].text
    assert "KPI của Võ Ngọc Ánh — tháng 3/2025" in text and "Cuộc gọi: 3/6 (50%)" in text
    assert "Doanh số: 1,5tr/1tr (150%)" in text and "Hoa hồng: 150.000 ₫" in text
    assert Image.open(io.BytesIO(replies[0].files[0][1])).size[0] == 1080
    lead = Chat(Engine(), personas["tl_q1a"])
    out = await lead.says(
        "KPI tháng 3/2025", "KPI —", march.names["st_q1a2"], march.names["st_q1a1"]
    )
    assert march.names["st_q1b1"] not in out
    await lead.says("KPI tháng 3/2025 của Trúc", "không tìm thấy nhân viên")
    await lead.says(
        "KPI tháng 3/2025 của Nhung", "KPI của Đỗ Thị Hồng Nhung", "Khách chuyển đổi: 1"
    )


async def test_kpi_without_targets_and_export(
    march_kpi: KpiSetting, personas: dict[str, Actor]
) -> None:
    chat = Chat(Engine(), personas["st_q1b1"])
    replies = await chat.send("KPI tháng 3/2025 của tôi")
    assert "Chưa có bộ chỉ tiêu" in replies[0].text and "Cuộc gọi: 2/—" in replies[0].text
    assert Image.open(io.BytesIO(replies[0].files[0][1])).size == (1080, 540)
    board = Chat(Engine(), personas["tl_q1a"])
    export = await board.send("xuất excel kpi tháng 3/2025")
    [(_, data, _)] = export[0].files
    rows = list(openpyxl.load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True))
    assert rows[0][:5] == (
        "Nhân viên",
        "Bộ KPI",
        "Cuộc gọi — chỉ tiêu",
        "Cuộc gọi — thực hiện",
        "Cuộc gọi — % đạt",
    )
    anh = next(r for r in rows if r[1] == "KPI riêng Ánh")
    assert anh[2:5] == (6, 3, 50)
