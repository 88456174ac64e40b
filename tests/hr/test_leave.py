"""Leave by chat (#12): the request reaches the approver in chat (buttons) and by email, the
balance is shown, approval blocks the technician in the booking engine, bad input is refused."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest

from spacrm.adapters.app.email_sender import EmailSender
from spacrm.core import clock
from spacrm.core.errors import DomainError, ErrorCode
from spacrm.core.models import (
    Appointment,
    LeaveRequest,
    OutboxMessage,
    TechnicianDayOff,
)
from spacrm.core.services import hr
from spacrm.core.settings import Settings
from tests.fakes.smtp import FakeSMTP
from tests.hr.conftest import Org
from tests.intents.transcript import Chat

FRI = date(2026, 11, 27)
THU = date(2026, 11, 26)


async def _press(chat: Chat, payload: str) -> str:
    return "\n".join(r.text for r in await chat.send(payload=payload))


async def _sent_to(chat_id: str) -> list[OutboxMessage]:
    return await OutboxMessage.filter(chat_id=chat_id).order_by("id")


async def test_paid_leave_goes_to_the_team_lead_who_approves_by_button(org: Org) -> None:
    hoa = org.chat(org.hoa)
    out = await hoa.says("xin nghỉ phép thứ 6 vì về quê", "27/11/2026", "Trưởng Nhóm")
    assert "Phép năm còn lại: 11 ngày" in out
    req = await LeaveRequest.get(user_id=org.hoa.user_id)
    assert (req.day_from, req.day_to, req.part, req.paid, req.halves, req.status) == (
        FRI,
        FRI,
        "full",
        True,
        2,
        "pending",
    )
    assert req.approver_id == org.lead.user_id and req.reason == "về quê"
    # The lead's chat got the request with Duyệt / Từ chối, and an email was queued.
    [notice] = await _sent_to(org.tg_chat(org.lead))
    assert "Phạm Thị Hoa" in notice.payload["text"] and "27/11/2026" in notice.payload["text"]
    assert [b[1] for b in notice.payload["buttons"][0]] == [f"lv:a:{req.id}", f"lv:r:{req.id}"]
    [mail] = await OutboxMessage.filter(channel="email", chat_id=org.users["lead"].email)
    assert "Phạm Thị Hoa" in mail.payload["subject"]

    lead = org.chat(org.lead)
    assert "Đã duyệt nghỉ cho Phạm Thị Hoa" in await _press(lead, f"lv:a:{req.id}")
    await req.refresh_from_db()
    assert req.status == "approved" and req.decided_by_id == org.lead.user_id
    # The booking engine now sees Friday as Hoa's day off; Hoa is told the outcome.
    assert await TechnicianDayOff.filter(user_id=org.hoa.user_id, day=FRI).count() == 1
    told = await _sent_to(org.tg_chat(org.hoa))
    assert "đã được" in told[-1].payload["text"] and "11 ngày" in told[-1].payload["text"]
    # Approving twice is refused, nothing changes.
    assert "đã được xử lý" in await _press(lead, f"lv:a:{req.id}")
    assert await TechnicianDayOff.filter(user_id=org.hoa.user_id, day=FRI).count() == 1


async def test_unpaid_afternoon_and_clash_with_appointments(org: Org) -> None:
    start = clock.at_local(THU, time(14, 0))
    await Appointment.create(
        owner_id=org.hoa.user_id, site_branch_id=org.branch.id, customer_name="Chị Lan",
        service_id=1, service_name="Chăm sóc da", technician_id=org.hoa.user_id, room_id=1,
        starts_at=start, ends_at=start + timedelta(hours=1), busy_until=start + timedelta(hours=1),
        start_s=int(start.timestamp()), busy_s=int(start.timestamp()) + 3600,
        created_by_id=org.director.user_id,
    )  # fmt: skip
    out = await org.chat(org.hoa).says(
        "xin nghỉ không lương chiều mai", "buổi chiều", "không lương"
    )
    assert "Trùng lịch hẹn: 26/11 14:00 Chị Lan (Chăm sóc da)" in out
    assert "Phép năm còn lại: 12 ngày" in out  # unpaid: the balance is untouched
    req = await LeaveRequest.get(user_id=org.hoa.user_id)
    assert (req.day_from, req.part, req.paid, req.halves) == (THU, "afternoon", False, 1)
    [notice] = await _sent_to(org.tg_chat(org.lead))
    assert "Chị Lan" in notice.payload["text"]


async def test_director_approves_by_name_and_date(org: Org) -> None:
    await org.chat(org.hoa).says("xin nghỉ phép ngày mai", "26/11/2026")
    await org.chat(org.mai).says("xin nghỉ phép ngày mai", "26/11/2026")
    out = await org.chat(org.director).says("duyệt phép cho Hoa ngày mai")
    assert "Đã duyệt nghỉ cho Phạm Thị Hoa" in out
    req = await LeaveRequest.get(user_id=org.hoa.user_id)
    assert req.status == "approved" and req.decided_by_id == org.director.user_id
    assert (await LeaveRequest.get(user_id=org.mai.user_id)).status == "pending"
    # "Mai" also means "tomorrow"; capitalised right after "cho", with the day written apart
    # ("ngày mai"), it is her name (staffqa): her own request of that day is approved.
    out = await org.chat(org.director).says("duyệt phép cho Mai ngày mai")
    assert "Đã duyệt nghỉ cho Trần Thị Mai: 26/11/2026" in out
    assert (await LeaveRequest.get(user_id=org.mai.user_id)).status == "approved"
    # Lower-case "mai" is tomorrow, not a name: nothing is left pending for that day.
    await org.chat(org.director).says("duyệt phép cho mai", "Không có đơn nghỉ nào đang chờ")


async def test_the_lead_asks_the_director_and_cannot_approve_own_leave(org: Org) -> None:
    out = await org.chat(org.lead).says("xin nghỉ phép thứ 6", "Giám Đốc")
    req = await LeaveRequest.get(user_id=org.lead.user_id)
    assert req.approver_id == org.director.user_id and "27/11/2026" in out
    with pytest.raises(DomainError) as err:
        await hr.decide_leave(org.lead, request_id=req.id, approve=True)
    assert err.value.code == ErrorCode.OWN_REQUEST
    # A colleague (not above them) can't decide either.
    with pytest.raises(DomainError) as err:
        await hr.decide_leave(org.hoa, request_id=req.id, approve=True)
    assert err.value.code == ErrorCode.FORBIDDEN
    assert (await LeaveRequest.get(id=req.id)).status == "pending"


async def test_bad_leave_input_saves_nothing(org: Org) -> None:
    hoa = org.hoa
    cases = [
        (dict(day_from=date(2026, 11, 10)), ErrorCode.LEAVE_PAST),
        (dict(day_from=FRI, day_to=THU), ErrorCode.LEAVE_RANGE),
        (dict(day_from=date(2026, 11, 29)), ErrorCode.LEAVE_NO_WORKDAY),  # a Sunday
        (dict(day_from=date(2026, 12, 1), day_to=date(2026, 12, 16)), ErrorCode.LEAVE_BALANCE),
    ]
    for kw, code in cases:
        with pytest.raises(DomainError) as err:
            await hr.request_leave(hoa, **kw)  # type: ignore[arg-type]
        assert err.value.code == code, kw
    assert not await LeaveRequest.filter(user_id=hoa.user_id).exists()
    # 1–16/12 is 14 working days: over the 12-day balance; the chat says so in Vietnamese.
    out = await org.chat(hoa).says("đăng ký nghỉ phép từ 1/12 đến 16/12")
    assert "Phép năm chỉ còn 12 ngày" in out and "không lương" in out
    first = await hr.request_leave(hoa, day_from=FRI)
    with pytest.raises(DomainError) as err:
        await hr.request_leave(hoa, day_from=FRI, part="morning")
    assert err.value.code == ErrorCode.LEAVE_OVERLAP
    # Withdrawn, then approving it is refused and says it was withdrawn.
    await hr.withdraw_leave(hoa, request_id=first.request.id)
    with pytest.raises(DomainError) as err:
        await hr.decide_leave(org.lead, request_id=first.request.id, approve=True)
    assert err.value.code == ErrorCode.REQUEST_WITHDRAWN
    assert await LeaveRequest.filter(user_id=hoa.user_id).count() == 1


async def test_the_request_email_reaches_the_smtp_server(org: Org) -> None:
    await hr.request_leave(org.mai, day_from=FRI, reason="khám răng")
    [row] = await OutboxMessage.filter(channel="email", chat_id=org.users["lead"].email)
    with FakeSMTP() as smtp:
        sender = EmailSender(Settings(smtp_host="127.0.0.1", smtp_port=smtp.port,
                                      smtp_from="crm@lotus.example"))  # fmt: skip
        await sender.send(row)
        mail = await smtp.wait_for_message()
    assert mail["To"] == org.users["lead"].email
    assert "Trần Thị Mai" in str(mail["Subject"])
    assert "khám răng" in mail.get_content()


async def test_approve_without_a_name_offers_the_waiting_requests(org: Org) -> None:
    await hr.request_leave(org.hoa, day_from=FRI)
    lead = org.chat(org.lead)
    await lead.says("duyệt phép", "chọn đơn")
    assert (await LeaveRequest.get(user_id=org.hoa.user_id)).status == "pending"
    await lead.press("Phạm Thị Hoa", "Đã duyệt nghỉ cho Phạm Thị Hoa")
    assert (await LeaveRequest.get(user_id=org.hoa.user_id)).status == "approved"
