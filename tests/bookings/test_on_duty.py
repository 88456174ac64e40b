"""Who works, who is free and which rooms are empty, asked in chat by the front desk: the real
parser, engine and service over the test branch (two technicians, a one-bed room and a laser
room), with the clock frozen on Wednesday 25/11 10:00."""

from __future__ import annotations

from datetime import date

from spacrm.core import clock
from spacrm.core.models import TechnicianDayOff, TechnicianShift
from spacrm.core.services.users import actor_for
from tests.bookings.conftest import Spa, at
from tests.bookings.desk import Desk

WED = date(2026, 11, 25)


async def test_who_is_free_and_which_rooms(spa: Spa) -> None:
    desk = Desk(spa.desk)
    lan = await spa.lead("Lan")
    await desk.says(f"đặt lịch chị Lan {lan.phone} {spa.facial.name} 11h hôm nay ktv Hoa",
                    "Đã đặt lịch cho Lan", "Phòng 1")  # fmt: skip
    clock.freeze(at(WED, "11:20"))

    out = await desk.says("ai đang rảnh", "Lúc 11:20 hôm nay", "Rảnh: Trần Thị Mai")
    busy = out.split("Đang bận:")[1]
    assert "Phạm Thị Hoa" in busy and lan.name in busy and "12:10" in busy  # 60 min + 10 buffer
    assert "Phạm Thị Hoa" not in out.split("Đang bận:")[0].split("Rảnh:")[1]
    # The one-bed room is taken until the session and its buffer end; the laser room is empty.
    rooms = await desk.says("phòng nào đang trống", "Phòng trống: Phòng laser", "Đang dùng")
    assert "Phòng 1 (tới 12:10)" in rooms and "Rảnh" not in rooms

    # Mai sees that Hoa is busy and until when, not with whom (not her customer, DESIGN §2).
    mai = Desk(await actor_for(spa.techs[1]))
    seen = await mai.says(
        "ai đang rảnh", "Đang bận: Phạm Thị Hoa (đang làm cho một khách, xong 12:10)"
    )
    assert lan.name not in seen

    # At 13:00 both are free again; Hoa's booking was earlier, not next.
    out = await desk.says("1h chiều nay ktv nào rảnh", "Lúc 13:00 hôm nay")
    assert "Phạm Thị Hoa" in out and "Trần Thị Mai" in out and "Đang bận" not in out


async def test_shifts_and_days_off(spa: Spa) -> None:
    desk = Desk(spa.desk)
    hoa, mai = spa.techs
    # Mai works afternoons only on Thursdays; Hoa takes Thursday morning off.
    await TechnicianShift.create(user_id=mai.id, weekday=3, start_min=13 * 60, end_min=21 * 60)
    await TechnicianDayOff.create(user_id=hoa.id, day=date(2026, 11, 26), part="morning")
    lan = await spa.lead("Lan")
    await desk.says(f"đặt lịch chị Lan {lan.phone} {spa.facial.name} 15h ngày mai ktv Mai",
                    "Đã đặt lịch cho Lan")  # fmt: skip

    morning = await desk.says("ca sáng mai ai làm", "Ca làm Thứ 5, 26/11")
    assert "Không có KTV nào" in morning and "Hoa" not in morning and "Mai" not in morning
    afternoon = await desk.says("chiều mai ai đi làm", "Ca làm Thứ 5, 26/11 (12:00–18:00)")
    assert "Phạm Thị Hoa 12:00–" in afternoon and "Trần Thị Mai 13:00–21:00" in afternoon
    assert f"15:00–16:10 {lan.name}" in afternoon.split("Trần Thị Mai")[1]
    # A technician's own bookings are still her list, not the branch's roster.
    await desk.says("mai ktv Mai rảnh không", "Lịch hẹn", "KTV Trần Thị Mai", "15:00")
