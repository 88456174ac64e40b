"""The one-field parsers the chat engine uses for answers ("khi nào?" -> "thứ 6 tuần sau")."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from spacrm.bot.nlu import parse_date, parse_money, parse_period, parse_stage, parse_time

NOW = datetime(2026, 11, 25, 10, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))  # a Wednesday


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("hôm nay", date(2026, 11, 25)),
        ("mai", date(2026, 11, 26)),
        ("ngày mai", date(2026, 11, 26)),
        ("mốt", date(2026, 11, 27)),
        ("ngày kia", date(2026, 11, 27)),
        ("hôm qua", date(2026, 11, 24)),
        ("hôm kia", date(2026, 11, 23)),
        ("thứ 2", date(2026, 11, 30)),
        ("thứ 4", date(2026, 12, 2)),  # today is Wednesday: the next one
        ("thứ tư", date(2026, 12, 2)),
        ("thu 6", date(2026, 11, 27)),
        ("t7", date(2026, 11, 28)),
        ("cn", date(2026, 11, 29)),
        ("chủ nhật tuần sau", date(2026, 12, 6)),
        ("thứ 6 tuần sau 3h chiều", date(2026, 12, 4)),
        ("tuần sau", date(2026, 11, 30)),
        ("2/12", date(2026, 12, 2)),
        ("02/12/2026", date(2026, 12, 2)),
        ("2/1", date(2027, 1, 2)),  # year rollover
        ("20/11", date(2026, 11, 20)),  # the nearest, five days ago
        ("31/12", date(2026, 12, 31)),
        ("ngày 2 tháng 12", date(2026, 12, 2)),
        ("2 tháng 1 năm 2027", date(2027, 1, 2)),
        ("cuối tuần", date(2026, 11, 28)),
        ("đầu tháng sau", date(2026, 12, 1)),
        ("cuối tháng", date(2026, 11, 30)),
        ("3 ngày nữa", date(2026, 11, 28)),
        ("sáng thứ 6", date(2026, 11, 27)),
        ("2-12", date(2026, 12, 2)),
        ("5.12.2026", date(2026, 12, 5)),
        ("không biết", None),
        ("29/2", None),
        ("", None),
    ],
)
def test_parse_date(text: str, expected: date | None) -> None:
    assert parse_date(text, NOW) == expected


def test_parse_date_accepts_a_plain_date() -> None:
    assert parse_date("mai", date(2026, 12, 31)) == date(2027, 1, 1)


def test_weekday_from_the_same_weekday_is_next_week() -> None:
    monday = datetime(2026, 11, 30, 9, 0)
    assert parse_date("thứ 2", monday) == date(2026, 12, 7)
    assert parse_date("thứ 2 tuần này", monday) == date(2026, 11, 30)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("15h30", time(15, 30)),
        ("3h chiều", time(15, 0)),
        ("9h sáng", time(9, 0)),
        ("9 giờ", time(9, 0)),
        ("14:00", time(14, 0)),
        ("tối nay 8h", time(20, 0)),
        ("trưa", time(12, 0)),
        ("8h tối", time(20, 0)),
        ("12h trưa", time(12, 0)),
        ("1h trưa", time(13, 0)),
        ("lúc 9", time(9, 0)),
        ("lúc 14h30", time(14, 30)),
        ("9h kém 15", time(8, 45)),
        ("7h30 pm", time(19, 30)),
        ("10 giờ rưỡi", time(10, 30)),
        ("11h đêm", time(23, 0)),
        ("3h", time(15, 0)),  # spa hours: a bare 1-6 is the afternoon
        ("thứ 6 tuần sau 3h chiều", time(15, 0)),
        ("2/12", None),
        ("25h", None),
        ("không rõ", None),
    ],
)
def test_parse_time(text: str, expected: time | None) -> None:
    assert parse_time(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1tr5", 1_500_000),
        ("1tr500", 1_500_000),
        ("1tr50", 1_500_000),
        ("500k", 500_000),
        ("2 triệu", 2_000_000),
        ("1.200.000đ", 1_200_000),
        ("1,200,000 vnd", 1_200_000),
        ("1,5tr", 1_500_000),
        ("1.5 triệu", 1_500_000),
        ("1 triệu rưỡi", 1_500_000),
        ("200 nghìn", 200_000),
        ("200 ngàn", 200_000),
        ("2 củ", 2_000_000),
        ("1tr2", 1_200_000),
        ("1 triệu 200 nghìn", 1_200_000),
        ("1tr200k", 1_200_000),
        ("1200000", 1_200_000),
        ("500.000 vnd", 500_000),
        ("3 trăm", 300_000),
        ("hai triệu", 2_000_000),
        ("1 tỷ", 1_000_000_000),
        ("15k", 15_000),
        ("500000đ", 500_000),
        ("abc", None),
        ("2026", None),
    ],
)
def test_parse_money(text: str, expected: int | None) -> None:
    assert parse_money(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("tiềm năng", "potential"),
        ("tiem nang", "potential"),
        ("khtn", "potential"),
        ("đang chăm sóc", "caring"),
        ("chăm sóc", "caring"),
        ("dang cham soc", "caring"),
        ("đã đặt lịch", "booked"),
        ("đặt lịch", "booked"),
        ("dat lich", "booked"),
        ("đang sử dụng dịch vụ", "in_service"),
        ("đang làm", "in_service"),
        ("sử dụng dv", "in_service"),
        ("dang su dung dv", "in_service"),
        ("ngừng chăm sóc", "dead"),
        ("ngung cham soc", "dead"),
        ("dừng", "dead"),
        ("dead", "dead"),
        ("hủy", "dead"),
        ("không tiềm năng", "dead"),
        ("Đang Chăm Sóc", "caring"),
        ("abc", None),
    ],
)
def test_parse_stage(text: str, expected: str | None) -> None:
    assert parse_stage(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("hôm nay", "2026-11-25"),
        ("hôm qua", "2026-11-24"),
        ("tuần này", "2026-W48"),
        ("tuần trước", "2026-W47"),
        ("tuan truoc", "2026-W47"),
        ("tháng này", "2026-11"),
        ("tháng trước", "2026-10"),
        ("tháng 10", "2026-10"),
        ("tháng 12", "2025-12"),  # reports look back
        ("tháng 10 năm 2025", "2025-10"),
        ("10/2025", "2025-10"),
        ("năm nay", "2026"),  # a year (not "thứ năm", Thursday)
        ("doanh thu năm ngoái", "2025"),
        ("6 tháng gần đây", "2026"),  # within this year: the year, drawn per month
        ("12 tháng qua", None),  # reaches last year: no period rather than "thứ 12"
        ("abc", None),
    ],
)
def test_parse_period(text: str, expected: str | None) -> None:
    assert parse_period(text, NOW) == expected


def test_period_across_the_year() -> None:
    assert parse_period("tháng trước", datetime(2026, 1, 5, 9, 0)) == "2025-12"
    assert parse_period("tuần này", datetime(2026, 12, 31, 9, 0)) == "2026-W53"
    assert parse_period("tuần trước", datetime(2027, 1, 4, 9, 0)) == "2026-W53"
