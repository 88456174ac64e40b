"""Chart figures against records the fixture made (March 2025), per scope: a staff member's
or a team lead's chart never includes another team's numbers."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from PIL import Image

from spacrm.core.actors import Actor
from spacrm.core.errors import DomainError, ErrorCode
from spacrm.core.services.reports import REPORTS, chart_data, check_period, parse_period
from spacrm.intents.texts import t
from spacrm.reports.charts import render
from tests.reports.conftest import March

MARCH = parse_period("2025-03")


def _by(data, series: int = 0) -> dict[str, int]:  # type: ignore[no-untyped-def]
    return dict(zip(data.categories, data.series[series].values, strict=True))


async def test_leads_by_source_per_scope(march: March, personas: dict[str, Actor]) -> None:
    ceo = await chart_data(personas["ceo"], "leads_by_source", MARCH)
    assert _by(ceo) == {"facebook": 5, "zalo": 6}
    team = await chart_data(personas["tl_q1a"], "leads_by_source", MARCH)
    assert _by(team) == {"facebook": 5, "zalo": 1}  # team q1b's five zalo leads are not theirs
    own = await chart_data(personas["st_q1a1"], "leads_by_source", MARCH)
    assert _by(own) == {"facebook": 3, "zalo": 1}
    other = await chart_data(personas["st_q1b1"], "leads_by_source", MARCH)
    assert _by(other) == {"zalo": 5}


async def test_calls_and_cared_per_employee(march: March, personas: dict[str, Actor]) -> None:
    anh, truc = march.names["st_q1a1"], march.names["st_q1b1"]
    calls = await chart_data(personas["bd_q1"], "calls_by_employee", MARCH)
    assert _by(calls) == {anh: 3, truc: 2}  # the April call is outside the month
    assert _by(await chart_data(personas["tl_q1a"], "calls_by_employee", MARCH)) == {anh: 3}
    cared = await chart_data(personas["tl_q1a"], "leads_cared", MARCH)
    # a1 called three times counts once; a4 was met: one potential, one booked
    assert {s.key: s.values for s in cared.series} == {"potential": [1], "booked": [1]}
    assert cared.categories == [anh]
    booked = await chart_data(personas["ceo"], "customers_cared", MARCH)
    assert _by(booked) == {anh: 1}


async def test_sales_by_status(march: March, personas: dict[str, Actor]) -> None:
    data = await chart_data(personas["tl_q1a"], "sales_by_employee", MARCH)
    rows = {s.key: dict(zip(data.categories, s.values, strict=True)) for s in data.series}
    anh, nhung = march.names["st_q1a1"], march.names["st_q1a2"]
    assert rows["potential"] == {anh: 2, nhung: 1}
    assert rows["caring"] == {anh: 1, nhung: 0}
    assert rows["booked"][anh] == 1 and rows["in_service"][nhung] == 1
    assert march.names["st_q1b1"] not in data.categories


async def test_orders_income_and_conversions(march: March, personas: dict[str, Actor]) -> None:
    orders = await chart_data(personas["ceo"], "orders_by_employee", MARCH)
    assert _by(orders) == {march.names["st_q1b1"]: 3_000_000, march.names["st_q1a1"]: 1_500_000}
    assert orders.counts == [1, 1]  # the cancelled 9tr order is left out
    # What sells: lines of the orders not cancelled, best first, quantities after the bars.
    items = await chart_data(personas["ceo"], "sales_by_item", MARCH)
    assert _by(items) == {"Triệt nách 10 buổi": 3_500_000, "Massage body": 1_000_000}
    assert items.categories[0] == "Triệt nách 10 buổi" and items.counts == [2, 2]
    own = await chart_data(personas["st_q1a1"], "sales_by_item", MARCH)
    assert _by(own) == {"Triệt nách 10 buổi": 1_500_000}  # another team's order is not hers
    money = await chart_data(personas["st_q1a1"], "income_expense", MARCH)
    assert len(money.categories) == 31 and money.categories[6] == "07/03"
    receipts, payments = (s.values for s in money.series)
    assert sum(receipts) == 1_500_000 and receipts[6] == 1_500_000 and payments[6] == 200_000
    assert (
        sum((await chart_data(personas["bd_q1"], "income_expense", MARCH)).series[0].values)
        == 2_500_000
    )
    conv = await chart_data(personas["ceo"], "conversions_by_month", MARCH)
    assert (
        conv.period.code == "2025"
        and conv.series[0].values[2] == 1
        and conv.series[0].values[4] == 1
    )
    team = await chart_data(personas["tl_q1a"], "conversions_by_month", MARCH)
    assert sum(team.series[0].values) == 1


@pytest.mark.parametrize("report", REPORTS)
async def test_every_chart_renders_a_phone_sized_png(
    report: str, march: March, personas: dict[str, Actor]
) -> None:
    data = await chart_data(personas["bd_q1"], report, MARCH)
    assert not data.empty
    png = render(data, lambda k, **p: t("vi", k, **p), "Chi nhánh Q1 · tháng 3/2025")
    if os.environ.get("DUMP_CHARTS"):  # to look at them: DUMP_CHARTS=/tmp/charts
        Path(os.environ["DUMP_CHARTS"], f"{report}.png").write_bytes(png)
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG" and image.size[0] == 1080 and image.size[1] >= 540


async def test_empty_chart_is_a_clear_picture(personas: dict[str, Actor]) -> None:
    data = await chart_data(personas["st_q1a1"], "orders_by_employee", parse_period("2024-01"))
    assert data.empty
    image = Image.open(io.BytesIO(render(data, lambda k, **p: t("vi", k, **p), "x")))
    assert image.size == (1080, 540)


def test_periods() -> None:
    assert (MARCH.first.isoformat(), MARCH.last.isoformat()) == ("2025-03-01", "2025-03-31")
    week = parse_period("2026-W48")
    assert (week.first.isoformat(), week.last.isoformat()) == ("2026-11-23", "2026-11-29")
    assert (
        parse_period(None).code == "2026-11"
        and parse_period(None, default="week").code == "2026-W48"
    )
    for bad in ("2026-13", "2026-W60", "hôm qua"):
        with pytest.raises(DomainError) as err:
            parse_period(bad)
        assert err.value.code == ErrorCode.BAD_PERIOD
    with pytest.raises(DomainError) as err:
        check_period(parse_period("2026-12"))
    assert err.value.code == ErrorCode.FUTURE_PERIOD
