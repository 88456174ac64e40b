"""Overtime by chat (#12): the rate follows the kind of day (dated rates, vietnam.md §4), the
approver decides by button, bad hours are refused with nothing saved."""

from __future__ import annotations

from datetime import date

import pytest

from spacrm.core.errors import DomainError, ErrorCode
from spacrm.core.models import Holiday, OutboxMessage, OvertimeEntry, PayRate
from spacrm.core.services import hr
from tests.hr.conftest import Org


async def test_overtime_tonight_goes_to_the_lead_and_is_approved_by_button(org: Org) -> None:
    out = await org.chat(org.hoa).says("tăng ca tối nay 2 tiếng", "2 giờ", "25/11/2026", "150%")
    entry = await OvertimeEntry.get(user_id=org.hoa.user_id)
    assert (entry.day, entry.minutes, entry.day_kind, entry.night, entry.rate_pct) == (
        date(2026, 11, 25), 120, "weekday", False, 150
    )  # fmt: skip
    assert entry.status == "pending" and entry.approver_id == org.lead.user_id and "Trưởng" in out
    [notice] = await OutboxMessage.filter(chat_id=org.tg_chat(org.lead))
    assert [b[1] for b in notice.payload["buttons"][0]] == [f"ov:a:{entry.id}", f"ov:r:{entry.id}"]
    assert await OutboxMessage.filter(channel="email", chat_id=org.users["lead"].email).exists()
    replies = await org.chat(org.lead).send(payload=f"ov:a:{entry.id}")
    assert "Đã duyệt tăng ca của Phạm Thị Hoa" in replies[0].text
    await entry.refresh_from_db()
    assert entry.status == "approved" and entry.decided_by_id == org.lead.user_id
    told = await OutboxMessage.filter(chat_id=org.tg_chat(org.hoa)).order_by("-id").first()
    assert told is not None and "đã được" in told.payload["text"]


async def test_sunday_holiday_and_night_rates(org: Org) -> None:
    await org.chat(org.mai).says("tăng ca chủ nhật 4h", "200%", "ngày nghỉ hằng tuần")
    sunday = await OvertimeEntry.get(user_id=org.mai.user_id)
    assert (sunday.day, sunday.minutes, sunday.day_kind, sunday.rate_pct) == (
        date(2026, 11, 29), 240, "rest_day", 200
    )  # fmt: skip
    holiday = date(2027, 1, 1)
    await Holiday.get_or_create(day=holiday, defaults={"name": "Tết Dương lịch"})
    assert await hr.overtime_rate(holiday, False) == ("holiday", 300)
    assert await hr.overtime_rate(holiday, True) == ("holiday", 390)
    assert await hr.overtime_rate(date(2026, 11, 29), True) == ("rest_day", 270)
    await org.chat(org.hoa).says("tăng ca đêm nay 2 tiếng", "200%")
    night = await OvertimeEntry.get(user_id=org.hoa.user_id)
    assert night.night and night.rate_pct == 200  # 150 + 30 + 20 % × 100


async def test_a_dated_rate_row_overrides_the_default_from_its_day(db: str) -> None:
    await PayRate.get_or_create(key="ot_weekday_pct", valid_from=date(2030, 1, 1),
                                defaults={"value": 160})  # fmt: skip
    assert await hr.rate("ot_weekday_pct", date(2029, 12, 31)) == 150
    assert await hr.rate("ot_weekday_pct", date(2030, 1, 2)) == 160


async def test_bad_overtime_is_refused_and_nothing_saved(org: Org) -> None:
    for hours in (0, 25, -1):
        with pytest.raises(DomainError) as err:
            await hr.log_overtime(org.hoa, day=date(2026, 11, 25), hours=hours)
        assert err.value.code == ErrorCode.OVERTIME_HOURS
    # The parser takes no "25 tiếng" as hours: the chat asks again instead of saving.
    await org.chat(org.hoa).says("tăng ca hôm nay 25 tiếng", "mấy tiếng")
    out = await org.chat(org.hoa).intent("log_overtime", {"hours": 25}, "tăng ca 25 tiếng")
    assert "không quá 12 giờ" in out
    assert not await OvertimeEntry.filter(user_id=org.hoa.user_id).exists()
    entry = await hr.log_overtime(org.hoa, day=date(2026, 11, 25), hours=1.5)
    assert entry.minutes == 90
    with pytest.raises(DomainError) as err:
        await hr.decide_overtime(org.hoa, entry_id=entry.id, approve=True)
    assert err.value.code == ErrorCode.OWN_REQUEST
    await hr.decide_overtime(org.lead, entry_id=entry.id, approve=False)
    with pytest.raises(DomainError) as err:
        await hr.decide_overtime(org.director, entry_id=entry.id, approve=True)
    assert err.value.code == ErrorCode.REQUEST_DECIDED
    assert [e.status for e in await OvertimeEntry.filter(user_id=org.hoa.user_id)] == ["rejected"]
