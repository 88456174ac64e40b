"""A manager moves a course's remaining sessions to another customer (#9): the receiver gets a
course of her own, the giver keeps what she used; others may not, and bad requests change nothing."""

from __future__ import annotations

import pytest

from spacrm.core.errors import DomainError, ErrorCode
from spacrm.core.models import Course
from spacrm.core.services.courses import transfer_sessions
from tests.bookings.conftest import Spa
from tests.bookings.desk import Desk


async def test_manager_moves_sessions_in_chat(spa: Spa) -> None:
    lan, mai = await spa.lead("Lan"), await spa.lead("Mai")
    course = await spa.course(lan, spa.laser, sessions=10, sessions_used=3)
    boss = Desk(spa.director)
    await boss.says(f"liệu trình {lan.phone}", "còn 7/10")
    await boss.press("Chuyển buổi", "sang khách nào")
    await boss.says(str(mai.phone), "Chuyển bao nhiêu buổi")
    assert [b.text for b in boss.buttons][:4] == ["Tất cả 7 buổi", "1", "3", "6"]
    await boss.press("3", "Đã chuyển 3 buổi", f"từ {lan.name} sang {mai.name}", "còn 4/7 buổi")
    given = await Course.get(id=course.id)
    assert (given.sessions_total, given.sessions_used, given.status) == (7, 3, "active")
    got = await Course.get(lead_id=mai.id)
    assert (got.sessions_total, got.sessions_used, got.service_id) == (3, 0, spa.laser.id)
    assert got.session_amount == given.session_amount and got.order_line_id == -got.id
    await boss.says(f"liệu trình {mai.phone}", "còn 3/3")
    # The rest, with no count: everything left; the giver's course ends.
    await boss.says(f"liệu trình {lan.phone}", "còn 4/7")
    await boss.press("Chuyển buổi", "sang khách nào")
    await boss.says(str(mai.phone), "Chuyển bao nhiêu buổi")
    await boss.press("Tất cả 4 buổi", "Đã chuyển 4 buổi")
    assert (await Course.get(id=course.id)).status == "finished"
    assert sum(c.sessions_left for c in await Course.filter(lead_id=mai.id)) == 7


async def test_refusals_change_nothing(spa: Spa) -> None:
    lan, mai = await spa.lead("Lan"), await spa.lead("Mai")
    course = await spa.course(lan, spa.facial, sessions=5, sessions_used=1)
    cases = (
        (spa.seller, mai.id, None, ErrorCode.FORBIDDEN),
        (spa.director, lan.id, None, ErrorCode.TRANSFER_SAME_CUSTOMER),
        (spa.director, mai.id, 5, ErrorCode.BAD_QUANTITY),
        (spa.director, mai.id, 0, ErrorCode.BAD_QUANTITY),
    )
    for actor, to, count, code in cases:
        with pytest.raises(DomainError) as err:
            await transfer_sessions(actor, course_id=course.id, to_lead_id=to, sessions=count)
        assert err.value.code == code
    assert (await Course.get(id=course.id)).sessions_total == 5
    assert not await Course.filter(lead_id=mai.id).exists()
    out = await Desk(spa.desk).says(f"liệu trình {lan.phone}", "còn 4/5")
    assert "Chuyển buổi" not in out  # the front desk sees no transfer button
    await Desk(spa.director).does("transfer_course", {"course_id": course.id, "phone": lan.phone},
                                  "đang là của")  # fmt: skip
