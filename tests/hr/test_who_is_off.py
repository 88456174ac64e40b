"""Who is off (list_leave): "thứ 6 ai nghỉ", "lịch nghỉ tuần này" list approved leave and the
requests still waiting (marked), of the people of the asker's branch (the board: everyone's)."""

from __future__ import annotations

from datetime import date

from spacrm.core.models import LeaveRequest
from spacrm.core.services import hr
from tests.hr.conftest import Org

FRI = date(2026, 11, 27)


async def test_who_is_off_lists_leave_of_the_branch(org: Org) -> None:
    lead = org.chat(org.lead)
    await lead.says("thứ 6 ai nghỉ", "không ai nghỉ")
    await org.chat(org.hoa).says("xin nghỉ phép thứ 6 vì về quê", "27/11/2026")
    await org.chat(org.mai).says("xin nghỉ chiều thứ 6", "27/11/2026")
    out = await lead.says("thứ 6 ai nghỉ", "Nghỉ", "2 người", "Phạm Thị Hoa", "(chiều)")
    assert out.count("chờ duyệt") == 2
    hoa_request = await LeaveRequest.get(user_id=org.hoa.user_id)
    await hr.decide_leave(org.lead, request_id=hoa_request.id, approve=True)
    out = await lead.says("lịch nghỉ tuần này", "2 người")
    assert out.count("chờ duyệt") == 1
    # the board sees every branch's
    found = await hr.away_between(org.board, FRI, FRI)
    assert {a.request.user_id for a in found} >= {org.hoa.user_id, org.mai.user_id}
    # a refused request is nobody off
    mai_request = await LeaveRequest.get(user_id=org.mai.user_id)
    await hr.decide_leave(org.lead, request_id=mai_request.id, approve=False)
    await lead.says("thứ 6 ai nghỉ", "1 người", "Phạm Thị Hoa")
