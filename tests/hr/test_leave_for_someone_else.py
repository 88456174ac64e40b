"""A leave request typed in chat is the sender's own. "ktv Hoa mai nghỉ" from the front desk is
about Hoa: filing it would take the front desk's own days (a wrong write), so nothing is filed
and the reply says how Hoa's leave is entered. The sender's own request still goes through."""

from __future__ import annotations

from spacrm.bot.engine import Engine
from spacrm.core.actors import Actor
from spacrm.core.models import LeaveRequest, OutboxMessage, OvertimeEntry
from tests.intents.transcript import Chat


async def test_a_colleague_named_files_nothing(personas: dict[str, Actor]) -> None:
    desk = personas["lt_q1"]
    chat = Chat(Engine(), desk)
    before = await LeaveRequest.all().count()
    await chat.says("ktv Hoa mai nghi", "chưa ghi gì cho Phạm Thị Hoa")
    await chat.says("cho Hoa nghỉ thứ 6 nha", "chưa ghi gì")
    # about Mai, Hoa named after: Mai's (the one the message is about) is what is not filed
    await chat.says(
        "ktv Mai nghỉ đột xuất mai, chuyển khách sang Hoa", "chưa ghi gì cho Nguyễn Thị Mai"
    )
    assert await LeaveRequest.all().count() == before


async def test_the_senders_own_request_is_filed(personas: dict[str, Actor]) -> None:
    hoa = personas["ktv_q1"]
    chat = Chat(Engine(), hoa)
    before = await LeaveRequest.filter(user_id=hoa.user_id).count()
    last = await OutboxMessage.all().order_by("-id").first()
    try:
        await chat.says("Hoa xin nghỉ thứ 6 tuần sau nha")
        await chat.says("mai e nghi chieu")
        assert await LeaveRequest.filter(user_id=hoa.user_id).count() == before + 2
    finally:
        await LeaveRequest.filter(user_id=hoa.user_id).delete()
        # The approver's chat messages and emails: a later test's dispatcher would deliver them
        # to its own fake SMTP server (the suite shares one database).
        await OutboxMessage.filter(id__gt=last.id if last else 0).delete()


async def test_a_name_opening_the_message_is_not_the_sender(personas: dict[str, Actor]) -> None:
    """A regional manager has no branch of their own: a colleague anywhere in their region is
    looked for, and a name that is nobody's colleague still files nothing for the manager."""
    rm = personas["rm_nam"]
    chat = Chat(Engine(), rm)
    leave, overtime = await LeaveRequest.all().count(), await OvertimeEntry.all().count()
    await chat.says("Hoa nghỉ phép thứ 7 này", "chưa ghi gì cho Phạm Thị Hoa")
    await chat.says("Xuân xin nghỉ chiều thứ 6", "chưa ghi gì cho Xuân")
    await chat.says("Mai tăng ca 2 tiếng tối qua", "chưa ghi gì cho")
    await chat.says("ktv Hoa tăng ca 3 tiếng tối qua", "chưa ghi gì cho Phạm Thị Hoa")
    assert await LeaveRequest.all().count() == leave
    assert await OvertimeEntry.all().count() == overtime
