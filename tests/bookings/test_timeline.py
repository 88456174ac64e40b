"""`lịch hôm nay` and `lịch ktv … ngày mai` come with the day's timeline: one PNG, a row per
technician, a block per appointment coloured by its status."""

from __future__ import annotations

import io

from PIL import Image

from spacrm.core.models import Appointment
from spacrm.core.services.sessions import confirm_appointment
from spacrm.intents.chat import Reply
from tests.bookings.conftest import Spa
from tests.bookings.desk import Desk

BOOKED = (0x00, 0x72, 0xB2)
CONFIRMED = (0x00, 0x9E, 0x73)


def _image(replies: list[Reply]) -> Image.Image:
    files = [f for r in replies for f in r.files if f[2] == "image/png"]
    assert len(files) == 1, files
    return Image.open(io.BytesIO(files[0][1])).convert("RGB")


def _count(img: Image.Image, colour: tuple[int, int, int]) -> int:
    return sum(1 for px in img.getdata() if px == colour)


async def test_day_timeline_per_technician(spa: Spa) -> None:
    desk = Desk(spa.desk)
    lan, mai = await spa.lead("Lan"), await spa.lead("Mai")
    await desk.says(f"đặt lịch {lan.phone} {spa.facial.name} 14h hôm nay ktv Hoa", "Đã đặt lịch")
    await desk.says(f"đặt lịch {mai.phone} {spa.facial.name} 16h hôm nay ktv Mai", "Đã đặt lịch")
    replies = await desk.send("lịch hôm nay")
    assert "Lan" in replies[0].text and "Dòng thời gian" in replies[-1].text
    img = _image(replies)
    assert img.width == 1080
    booked = _count(img, BOOKED)
    assert booked > 1000 and _count(img, CONFIRMED) < 500  # two booked blocks; the legend
    appt = await Appointment.get(lead_id=mai.id)
    await confirm_appointment(spa.desk, appointment_id=appt.id)
    img = _image(await desk.send("lịch hôm nay"))
    assert _count(img, CONFIRMED) > 1000 and _count(img, BOOKED) < booked  # one block changed

    # One technician's day: one row; a day without appointments has no picture.
    one = _image(await desk.send("lịch ktv Mai hôm nay"))
    assert one.height <= img.height
    empty = await desk.send("lịch ktv Mai ngày mai")
    assert not [f for r in empty for f in r.files]
