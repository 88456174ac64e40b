"""Another technician for a booked appointment, typed as the front desk would: named ("đổi ktv
cho chị Lan sang Hoa"), or not ("thay ktv khác cho chị Lan": the free ones are offered and nothing
moves until a press); a busy or unknown technician changes nothing."""

from __future__ import annotations

from spacrm.core.models import Appointment
from tests.bookings.conftest import THU, Spa, at
from tests.bookings.desk import Desk


async def test_named_technician_keeps_the_time(spa: Spa) -> None:
    desk = Desk(spa.desk)
    hoa, mai = spa.techs
    lan = await spa.lead("Lan")
    await desk.says(f"đặt lịch chị Lan {lan.phone} {spa.facial.name} 15h30 thứ 5 ktv Mai",
                    "Đã đặt lịch cho Lan", "KTV Mai")  # fmt: skip
    appt = await Appointment.get(lead_id=lan.id)
    assert appt.technician_id == mai.id

    await desk.says(f"đổi ktv cho chị Lan {lan.phone} sang Hoa", "Đã đổi KTV cho Lan", "Hoa")
    moved = await Appointment.get(id=appt.id)
    assert moved.technician_id == hoa.id and moved.starts_at == at(THU, "15:30")

    # "Mai" after "sang" is the technician here, not tomorrow.
    await desk.says(f"lịch hẹn chị Lan {lan.phone} chuyển cho ktv Mai làm", "Đã đổi KTV", "Mai")
    back = await Appointment.get(id=appt.id)
    assert back.technician_id == mai.id and back.starts_at == at(THU, "15:30")

    await desk.says(f"đổi ktv cho chị Lan {lan.phone} sang Thúy", "không tìm thấy KTV")
    assert (await Appointment.get(id=appt.id)).technician_id == mai.id


async def test_unnamed_technician_is_offered_then_pressed(spa: Spa) -> None:
    desk = Desk(spa.desk)
    hoa, mai = spa.techs
    lan = await spa.lead("Lan")
    await desk.says(f"đặt lịch chị Lan {lan.phone} {spa.facial.name} 15h30 thứ 5 ktv Hoa",
                    "Đã đặt lịch cho Lan")  # fmt: skip
    appt = await Appointment.get(lead_id=lan.id)

    await desk.says(f"thay ktv khác cho chị Lan {lan.phone}", "KTV rảnh", "bấm để đổi")
    assert (await Appointment.get(id=appt.id)).technician_id == hoa.id  # nothing moved yet
    await desk.press("Mai", "Đã đổi KTV cho Lan", "Mai")
    moved = await Appointment.get(id=appt.id)
    assert moved.technician_id == mai.id and moved.starts_at == at(THU, "15:30")


async def test_busy_technician_changes_nothing(spa: Spa) -> None:
    desk = Desk(spa.desk)
    mai = spa.techs[1]
    lan, vy = await spa.lead("Lan"), await spa.lead("Vy")
    await desk.says(f"đặt lịch chị Lan {lan.phone} {spa.facial.name} 15h30 thứ 5 ktv Mai",
                    "Đã đặt lịch cho Lan")  # fmt: skip
    # Hoa is on a laser session (its own room) at the same time.
    await desk.says(f"đặt lịch chị Vy {vy.phone} {spa.laser.name} 15h30 thứ 5 ktv Hoa",
                    "Đã đặt lịch cho Vy")  # fmt: skip
    appt = await Appointment.get(lead_id=lan.id)

    await desk.says(f"đổi ktv cho chị Lan {lan.phone} sang Hoa", "Giờ này đã có lịch rồi")
    assert (await Appointment.get(id=appt.id)).technician_id == mai.id
    # Nobody else is free then: said, nothing offered to press.
    await desk.says(f"thay ktv khác cho chị Lan {lan.phone}", "không còn KTV nào khác rảnh")
    assert (await Appointment.get(id=appt.id)).technician_id == mai.id
