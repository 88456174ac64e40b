"""Paid leave left (leave_balance): "em còn mấy ngày phép" answers from the same count a new
request is checked against - the yearly allowance less what is approved or waiting."""

from __future__ import annotations

from tests.hr.conftest import Org


async def test_leave_left_before_and_after_a_request(org: Org) -> None:
    hoa = org.chat(org.hoa)
    await hoa.says("em còn mấy ngày phép", "Bạn còn 12/12 ngày phép năm 2026")
    await hoa.says("xin nghỉ phép thứ 6 vì về quê", "27/11/2026")
    await hoa.says("phép năm của em còn bao nhiêu", "Bạn còn 11/12 ngày phép")
    await hoa.says("xin nghỉ phép sáng thứ 5", "26/11/2026")
    await hoa.says("em đã dùng bao nhiêu ngày phép", "Bạn còn 10,5/12 ngày phép")
