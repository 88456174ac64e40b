"""The front desk's day in chat: book two customers (one conflict offered alternatives), check one
in and complete her session, mark the other a no-show, list the day, move and cancel, stock."""

from __future__ import annotations

from spacrm.core import clock
from spacrm.core.models import Appointment, Commission, Course, Lead, StockMove
from spacrm.core.services import stock
from tests.bookings.conftest import THU, Spa, at
from tests.bookings.desk import Desk


async def test_front_desk_day(spa: Spa) -> None:
    desk = Desk(spa.desk)
    lan, mai = await spa.lead("Lan"), await spa.lead("Mai")
    course = await spa.course(lan, spa.laser, sessions=10, sessions_used=2)
    await stock.stock_in(spa.desk, product_id=spa.gel.id, quantity=100, branch_id=spa.branch.id)

    # "triệt lông" matches several services; Lan holds a course of one of them: that one is booked.
    await desk.says(f"đặt lịch chị Lan {lan.phone} triệt lông 11h hôm nay ktv Hoa",
                    "Đã đặt lịch cho Lan", "11:00–11:20", "KTV Hoa", "Phòng laser", "còn 8/10 buổi")  # fmt: skip
    first = await Appointment.get(lead_id=lan.id)
    assert first.course_id == course.id and first.technician_id == spa.techs[0].id
    assert (await Lead.get(id=lan.id)).stage == "booked"

    # The same time with Hoa for Mai: taken; the nearest free times are offered as buttons.
    await desk.says(f"đặt lịch chị Mai {mai.phone} triệt lông 11h hôm nay ktv Hoa",
                    "Giờ này đã có lịch rồi", "giờ trống gần nhất")  # fmt: skip
    assert not await Appointment.filter(lead_id=mai.id).exists()
    labels = [b.text for b in desk.buttons]
    assert any("11:45" in label for label in labels), (
        labels
    )  # 11:00 + 20 min + 15 buffer → 11:45 grid
    await desk.press("11:45", "Đã đặt lịch cho Mai", "11:45–12:05")
    second = await Appointment.get(lead_id=mai.id)
    assert second.starts_at == at(THU.replace(day=25), "11:45") and second.status == "booked"

    out = await desk.says("lịch hôm nay", "Lịch hẹn", "Lan", "Mai", "11:00", "11:45")
    assert out.index("11:00") < out.index("11:45")

    await desk.says(f"khách {lan.phone} tới rồi", "Lan", "đã tới")
    assert (await Appointment.get(id=first.id)).status == "checked_in"
    await desk.says(f"xong buổi triệt lông {lan.phone} ktv Hoa",
                    "Xong buổi", "còn 7/10 buổi", "Hoa hồng KTV Hoa: 25.000 ₫")  # fmt: skip
    assert (await Course.get(id=course.id)).sessions_used == 3
    assert await StockMove.filter(appointment_id=first.id, qty_milli=-30_000).exists()
    assert (await Commission.get(appointment_id=first.id)).amount == 25_000
    # A second "xong buổi" for Lan finds no open appointment; nothing more is redeemed.
    await desk.says(f"xong buổi {lan.phone}", "không có lịch hẹn")
    assert (await Course.get(id=course.id)).sessions_used == 3

    # Before her time has passed a no-show is refused; once it has, it is recorded.
    await desk.says(f"khách {mai.phone} bùng hẹn", "Chưa tới giờ hẹn")
    assert (await Appointment.get(id=second.id)).status == "booked"
    clock.freeze(at(THU.replace(day=25), "12:30"))
    await desk.says(f"khách {mai.phone} bùng hẹn", "không tới hẹn", "tổng 1 lần")
    assert (await Appointment.get(id=second.id)).status == "no_show"
    await desk.says("tổng quan", "Lịch hẹn hôm nay: 2 (đã tới 0, xong 1, không tới 1)")

    await desk.says(f"tồn kho {spa.gel.name}", f"Tồn kho {spa.gel.name}", "70 ml")


async def test_move_cancel_and_buttons(spa: Spa) -> None:
    desk = Desk(spa.desk)
    lan = await spa.lead("Lan")
    await desk.says(f"đặt lịch chị Lan {lan.phone} {spa.facial.name} 15h30 thứ 5 ktv Mai",
                    "Đã đặt lịch cho Lan", "15:30–16:30", "KTV Mai")  # fmt: skip
    appt = await Appointment.get(lead_id=lan.id)
    await desk.says(f"dời lịch {lan.phone} sang 16h thứ 5", "Đã dời lịch", "16:00–17:00")
    assert (await Appointment.get(id=appt.id)).starts_at == at(THU, "16:00")
    await desk.says("lịch ktv Mai ngày mai", "KTV Trần Thị Mai", "16:00")
    await desk.says(f"hủy lịch {lan.phone}", "Đã hủy lịch")
    cancelled = await Appointment.get(id=appt.id)
    assert cancelled.status == "cancelled" and not cancelled.late_cancel

    # The card's buttons act on the appointment: book again, then "Khách tới" and "Không tới".
    await desk.says(f"đặt lịch {lan.phone} {spa.facial.name} 14h hôm nay", "Đã đặt lịch")
    today = await Appointment.get(lead_id=lan.id, status="booked")
    await desk.press("Khách tới", "đã tới", "Thứ 4, 25/11 14:00")
    assert (await Appointment.get(id=today.id)).status == "checked_in"


async def test_bad_input(spa: Spa) -> None:
    desk = Desk(spa.desk)
    lan = await spa.lead("Lan")
    await desk.says(
        f"đặt lịch {lan.phone} {spa.facial.name} 7h sáng mai", "ngoài giờ mở cửa (09:00–21:00)"
    )
    await desk.says(
        f"đặt lịch {lan.phone} {spa.laser.name} 15h ngày mai ktv Mai", "không làm dịch vụ"
    )
    await desk.says(
        f"đặt lịch {lan.phone} gội đầu bằng sữa dê 15h ngày mai", "không tìm thấy dịch vụ"
    )
    await desk.says(
        f"đặt lịch {lan.phone} {spa.facial.name} 15h ngày mai ktv Tuấn", "không tìm thấy KTV"
    )
    await desk.says(f"đặt lịch {lan.phone} {spa.facial.name} 15h thứ 8", "chưa đọc được ngày hẹn")
    await desk.says("hủy", "Đã hủy")
    assert not await Appointment.filter(lead_id=lan.id).exists()
    await desk.does("stock_in", {"product": spa.gel.name, "quantity": 0}, "chưa hợp lệ")
    await desk.does("stock_in", {"product": spa.gel.name}, "Nhập bao nhiêu")
    await desk.says("5", "Đã nhập 5 ml")
    await desk.says(f"nhập kho 20 ml {spa.gel.name}", "Đã nhập 20 ml", "Tồn hiện tại: 25 ml")
    assert (
        await stock.on_hand_milli(spa.gel.id, (await stock.warehouse_of(spa.branch.id)).id)
        == 25_000
    )
