"""A booking for several people typed at the desk ("đặt lịch cho 2 mẹ con chị Lan …"): one
appointment each at the same time with technicians and places of their own, all or none - one
place short books nobody."""

from __future__ import annotations

from spacrm.core.models import Appointment, Room
from tests.bookings.conftest import THU, Spa, at
from tests.bookings.desk import Desk


async def test_party_booked_all_or_none(spa: Spa) -> None:
    desk = Desk(spa.desk)
    lan = await spa.lead("Lan")
    typed = f"đặt lịch cho 2 mẹ con chị Lan {lan.phone} {spa.facial.name} 15h30 thứ 5"

    # The only room for a facial holds one person: the second cannot be placed, nobody is booked.
    await desk.says(typed, "không đủ chỗ cho 2 người", "chưa đặt lịch nào")
    assert not await Appointment.filter(lead_id=lan.id).exists()

    await Room.filter(id=spa.rooms[0].id).update(capacity=2)
    await desk.says(typed, "và người đi cùng (2 người", "15:30–16:30", "KTV Hoa", "KTV Mai")
    booked = await Appointment.filter(lead_id=lan.id).order_by("id")
    assert len(booked) == 2
    assert {a.starts_at for a in booked} == {at(THU, "15:30")}
    assert {a.technician_id for a in booked} == {t.id for t in spa.techs}
    assert all(a.note == "Nhóm 2 người" for a in booked)

    # Three people, two technicians: refused whole, the two bookings above stay as they were.
    await desk.says(f"đặt lịch cho 3 chị em chị Lan {lan.phone} {spa.facial.name} 17h thứ 5",
                    "không đủ chỗ cho 3 người")  # fmt: skip
    assert await Appointment.filter(lead_id=lan.id).count() == 2
