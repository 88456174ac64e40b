"""Staff life, continued (#12): withdrawing one's own request by chat (the approver is told, a
later approval says it was withdrawn), overtime caps, half-day leave in the booking engine, and the
seller's sales commission accrued on money received and shown line by line on the payslip."""

from __future__ import annotations

import itertools
from datetime import date, time, timedelta
from pathlib import Path

import pytest

from spacrm.core import clock
from spacrm.core.errors import DomainError, ErrorCode
from spacrm.core.models import (
    Appointment,
    CatalogItem,
    LeaveRequest,
    OutboxMessage,
    OvertimeEntry,
    SalesCommission,
    TechnicianDayOff,
)
from spacrm.core.services import availability as av
from spacrm.core.services import hr, payroll
from spacrm.core.services.orders import OrderItemSpec, cancel_order, create_order
from spacrm.core.services.vouchers import record_payment
from spacrm.core.textnorm import fold
from tests.hr.conftest import Org
from tests.sales.conftest import make_lead

FRI = date(2026, 11, 27)
THU = date(2026, 11, 26)
_codes = itertools.count(1)


async def _last_to(chat_id: str) -> str:
    row = await OutboxMessage.filter(chat_id=chat_id).order_by("-id").first()
    return "" if row is None else str(row.payload["text"])


async def test_leave_withdrawn_by_chat_tells_the_approver_and_approval_says_so(org: Org) -> None:
    hoa = org.chat(org.hoa)
    await hoa.says("xin nghỉ phép thứ 6", "27/11/2026")
    req = await LeaveRequest.get(user_id=org.hoa.user_id)
    out = await hoa.says("hủy đơn nghỉ phép thứ 6", "Đã rút đơn nghỉ 27/11/2026", "Trưởng Nhóm")
    await req.refresh_from_db()
    assert req.status == "withdrawn" and "xin nghỉ" not in out
    assert await LeaveRequest.filter(user_id=org.hoa.user_id).count() == 1  # no new request
    assert "đã rút đơn nghỉ" in await _last_to(org.tg_chat(org.lead))
    # The lead presses the old Duyệt button: refused, saying it was withdrawn.
    replies = await org.chat(org.lead).send(payload=f"lv:a:{req.id}")
    assert "Phạm Thị Hoa đã rút đơn này" in replies[0].text
    await req.refresh_from_db()
    assert req.status == "withdrawn" and req.decided_by_id is None
    # Nothing left to withdraw: said so, nothing changed.
    await hoa.says("hủy đơn nghỉ phép thứ 6", "không có đơn nào")


async def test_approved_future_leave_withdrawn_frees_the_booking_engine(org: Org) -> None:
    outcome = await hr.request_leave(org.hoa, day_from=FRI)
    await hr.decide_leave(org.lead, request_id=outcome.request.id, approve=True)
    assert await TechnicianDayOff.exists(user_id=org.hoa.user_id, day=FRI)
    await org.chat(org.hoa).says("rút đơn nghỉ thứ 6", "Đã rút")
    assert not await TechnicianDayOff.exists(user_id=org.hoa.user_id, day=FRI)
    assert "đã rút" in await _last_to(org.tg_chat(org.lead))


async def test_overtime_withdrawn_by_chat_and_two_pending_are_offered(org: Org) -> None:
    mai = org.chat(org.mai)
    await mai.says("tăng ca tối nay 2 tiếng", "2 giờ")
    await mai.says("tăng ca chủ nhật 4h", "4 giờ")
    replies = await mai.send("hủy tăng ca")
    assert "rút đơn nào" in replies[0].text
    sunday = await OvertimeEntry.get(user_id=org.mai.user_id, day=date(2026, 11, 29))
    await mai.send(payload=f"ov:w:{sunday.id}")
    await sunday.refresh_from_db()
    assert sunday.status == "withdrawn"
    assert "đã rút tăng ca" in await _last_to(org.tg_chat(org.lead))
    await mai.says("hủy tăng ca tối nay", "Đã rút tăng ca 2 giờ ngày 25/11/2026")
    assert not await OvertimeEntry.filter(user_id=org.mai.user_id, status="pending").exists()
    replies = await org.chat(org.lead).send(payload=f"ov:a:{sunday.id}")
    assert "đã rút đơn này" in replies[0].text


async def test_overtime_caps_month_and_year(org: Org) -> None:
    # 36 h pending this month: 4 more fit the 40 h cap, 5 don't.
    for day in (date(2026, 11, 23), date(2026, 11, 24), date(2026, 11, 25)):
        await hr.log_overtime(org.hoa, day=day, hours=12)
    with pytest.raises(DomainError) as err:
        await hr.log_overtime(org.hoa, day=date(2026, 11, 26), hours=5)
    assert err.value.code == ErrorCode.OVERTIME_CAP
    assert err.value.params["left"] == "4" and err.value.params["cap"] == 40
    assert await OvertimeEntry.filter(user_id=org.hoa.user_id).count() == 3
    await org.chat(org.hoa).says("tăng ca tối mai 5 tiếng", "giới hạn 40 giờ", "còn được 4 giờ")
    await hr.log_overtime(org.hoa, day=date(2026, 11, 26), hours=4)
    # The year: 190 h approved earlier this year leave 10 h for December.
    for month in range(1, 6):
        await OvertimeEntry.create(user_id=org.mai.user_id, day=date(2026, month, 10),
                                   minutes=38 * 60, day_kind="weekday", rate_pct=150,
                                   status="approved")  # fmt: skip
    with pytest.raises(DomainError) as err:
        await hr.log_overtime(org.mai, day=date(2026, 11, 28), hours=11)
    assert err.value.code == ErrorCode.OVERTIME_CAP and err.value.params["cap"] == 200
    entry = await hr.log_overtime(org.mai, day=date(2026, 11, 28), hours=10)
    await hr.withdraw_overtime(org.mai, entry_id=entry.id)
    await hr.log_overtime(org.mai, day=date(2026, 11, 28), hours=10)  # the withdrawn one is free


async def test_half_day_leave_blocks_only_that_half_and_names_the_clash(org: Org) -> None:
    start = clock.at_local(THU, time(9, 0))
    await Appointment.create(
        owner_id=org.hoa.user_id, site_branch_id=org.branch.id, customer_name="Chị Lan",
        service_id=1, service_name="Chăm sóc da", technician_id=org.hoa.user_id, room_id=1,
        starts_at=start, ends_at=start + timedelta(hours=1), busy_until=start + timedelta(hours=1),
        start_s=int(start.timestamp()), busy_s=int(start.timestamp()) + 3600,
        created_by_id=org.director.user_id,
    )  # fmt: skip
    full = await av.windows(org.branch.id, [org.hoa.user_id], THU)
    await org.chat(org.hoa).says("xin nghỉ sáng thứ 5", "buổi sáng", "Chị Lan")
    req = await LeaveRequest.get(user_id=org.hoa.user_id)
    out = "\n".join(r.text for r in await org.chat(org.lead).send(payload=f"lv:a:{req.id}"))
    assert "Đã duyệt nghỉ" in out and "26/11 09:00 Chị Lan" in out
    [off] = await TechnicianDayOff.filter(user_id=org.hoa.user_id, day=THU)
    assert off.part == "morning"
    # The booking engine keeps her afternoon: the window starts at noon, not at opening.
    window = (await av.windows(org.branch.id, [org.hoa.user_id], THU))[org.hoa.user_id]
    assert window == (12 * 60, full[org.hoa.user_id][1])
    # The afternoon approved too makes the whole day off.
    other = await hr.request_leave(org.hoa, day_from=THU, part="afternoon", paid=False)
    await hr.decide_leave(org.lead, request_id=other.request.id, approve=True)
    await off.refresh_from_db()
    assert off.part == "full"
    assert org.hoa.user_id not in await av.windows(org.branch.id, [org.hoa.user_id], THU)


async def _item(price: int, pct: int) -> CatalogItem:
    code = f"HRSALE{next(_codes)}{clock.now():%H%M%S%f}"
    name = f"Serum bán thử {code}"
    return await CatalogItem.create(code=code, name=name, name_key=fold(name), kind="goods",
                                    price=price, sales_commission_pct=pct)  # fmt: skip


async def test_sales_commission_accrues_on_payment_and_shows_on_the_payslip(org: Org) -> None:
    serum, mask = await _item(1_000_000, 5), await _item(333_333, 3)
    lead = await make_lead(org.hoa, "Nguyễn Thị Bán")
    order = await create_order(org.hoa, lead_id=lead.id, items=[
        OrderItemSpec(item_id=serum.id), OrderItemSpec(item_id=mask.id)])  # fmt: skip
    # Commission of the order: 1.000.000 × 5 % + 333.333 × 3 % = 50.000 + 9.999,99 → 60.000.
    await record_payment(org.hoa, order_id=order.id, amount=400_000)
    await record_payment(org.hoa, order_id=order.id, amount=933_333)
    rows = await SalesCommission.filter(order_id=order.id).order_by("id")
    # 60.000 × 400.000 / 1.333.333 = 18.000,0045 → 18.000; the last payment earns the rest.
    assert [(r.user_id, r.amount, r.received) for r in rows] == [
        (org.hoa.user_id, 18_000, 400_000), (org.hoa.user_id, 42_000, 933_333),
    ]  # fmt: skip
    assert rows[0].detail == f"{order.number} (3%+5%): 60.000 × 400.000/1.333.333 − 0"
    await payroll.set_salary(org.board, login=org.users["hoa"].login, basis="month",
                             base_amount=7_800_000)  # fmt: skip
    view = await payroll.payslip(org.hoa, month="2026-11")
    lines = {ln.key: (ln.amount, ln.detail) for ln in view.slip.lines}
    amount, detail = lines["sales_commission"]
    assert amount == 60_000 and "= 18.000" in detail and "= 42.000" in detail
    assert view.slip.net == 7_800_000 + 60_000
    out = await org.chat(org.hoa).says(
        "bảng lương tháng này của tôi", "Hoa hồng bán hàng", "60.000"
    )
    assert "7.860.000" in out


async def test_cancelling_an_unpaid_order_accrues_nothing(org: Org) -> None:
    serum = await _item(500_000, 10)
    lead = await make_lead(org.hoa)
    order = await create_order(org.hoa, lead_id=lead.id, items=[OrderItemSpec(item_id=serum.id)])
    await cancel_order(org.hoa, order_id=order.id)
    assert not await SalesCommission.filter(order_id=order.id).exists()
    # The reversal rule itself: a cancelled order's accrued share is written back to zero.
    order.status = "paid"
    order.paid = order.total
    from spacrm.core.services import sales_commission

    await sales_commission.sync(order, day=FRI, received=order.total)
    order.status = "cancelled"
    await sales_commission.sync(order, day=FRI, received=-order.total)
    amounts = [r.amount for r in await SalesCommission.filter(order_id=order.id).order_by("id")]
    assert amounts == [50_000, -50_000]


async def test_work_on_an_order_by_chat_and_from_its_card(org: Org) -> None:
    from spacrm.core.models import OrderTask
    from spacrm.core.services.users import actor_by_login

    serum = await _item(1_000_000, 0)
    lead = await make_lead(org.hoa, "Nguyễn Thị Công")
    order = await create_order(org.hoa, lead_id=lead.id, items=[OrderItemSpec(item_id=serum.id)])
    boss = org.chat(org.lead)
    await boss.says(f"ghi công đơn {order.number} tư vấn Hoa 5%", "Đã ghi công", "Phạm Thị Hoa",
                    "50.000", "5%")  # fmt: skip
    [task] = await OrderTask.filter(order_id=order.id)
    assert (task.user_id, task.details, task.commission, task.commission_bp, task.day) == (
        org.hoa.user_id, "tư vấn", 50_000, 500, date(2026, 11, 25)
    )  # fmt: skip
    # From the order card: "Ghi công", then the work typed without the order number.
    card = await boss.send(order.number)
    assert any(b.payload == f"ow:{order.id}" for row in card[-1].buttons for b in row)
    asked = await boss.send(payload=f"ow:{order.id}")
    assert order.number in asked[0].text
    await boss.says("chăm sóc da cho Mai 200k", "Trần Thị Mai", "200.000")
    mai = await OrderTask.get(order_id=order.id, user_id=org.mai.user_id)
    assert (mai.details, mai.commission, mai.commission_bp) == ("chăm sóc da", 200_000, None)
    # Nobody of that name in the order's branch, or someone who can't see the order: refused.
    await boss.says(f"ghi công đơn {order.number} tư vấn Lan 5%", "không tìm thấy")
    outsider = await actor_by_login("st_q1a1")
    with pytest.raises(DomainError) as err:
        await hr.record_order_task(outsider, order_number=order.number, name="Hoa",
                                   details="x", commission=1)  # fmt: skip
    assert err.value.code == ErrorCode.NOT_FOUND
    assert await OrderTask.filter(order_id=order.id).count() == 2
    # Payroll: the person's line names the order, the work and how the amount was found.
    await payroll.set_salary(org.board, login=org.users["hoa"].login, basis="month",
                             base_amount=7_800_000)  # fmt: skip
    view = await payroll.payslip(org.hoa, month="2026-11")
    lines = {ln.key: (ln.amount, ln.detail) for ln in view.slip.lines}
    assert lines["order_commission"] == (
        50_000, f"{order.number} tư vấn 5% × 1.000.000: 50.000"
    )  # fmt: skip


async def test_approving_overtime_by_chat_lists_the_overtime_not_the_leave(org: Org) -> None:
    await hr.request_leave(org.hoa, day_from=FRI)
    first = await hr.log_overtime(org.hoa, day=date(2026, 11, 25), hours=2)
    second = await hr.log_overtime(org.mai, day=date(2026, 11, 24), hours=3)
    lead = org.chat(org.lead)
    replies = await lead.send("duyệt tăng ca")
    payloads = [b.payload for row in replies[0].buttons for b in row]
    assert f"ov:a:{first.id}" in payloads and f"ov:a:{second.id}" in payloads
    assert not any(p.startswith("lv:") for p in payloads)
    await lead.says("duyệt tăng ca cho Hoa", "Đã duyệt tăng ca của Phạm Thị Hoa", "2 giờ")
    await second.refresh_from_db()
    await first.refresh_from_db()
    assert first.status == "approved" and second.status == "pending"


async def test_an_open_terminal_of_the_approver_gets_the_request(org: Org) -> None:
    from spacrm.core.services import reminders

    chat = f"term:{org.users['lead'].login}"
    await reminders.mark_open(org.lead.user_id, chat)
    try:
        outcome = await hr.request_leave(org.hoa, day_from=FRI)
        [row] = await OutboxMessage.filter(channel="terminal", chat_id=chat)
        assert "Phạm Thị Hoa" in row.payload["text"]
        assert [b[1] for b in row.payload["buttons"][0]] == [
            f"lv:a:{outcome.request.id}", f"lv:r:{outcome.request.id}"
        ]  # fmt: skip
        assert not await OutboxMessage.filter(chat_id=org.tg_chat(org.lead)).exists()
    finally:
        await reminders.mark_closed(chat)
        await OutboxMessage.filter(chat_id=chat).delete()


async def test_the_sellers_percent_comes_from_the_catalogue_file(org: Org, tmp_path: Path) -> None:
    from spacrm.adapters.cli.catalog_file import load_catalog_file
    from spacrm.core.services.catalog import import_catalog

    code = f"HRCAT{next(_codes)}{clock.now():%H%M%S%f}"
    path = tmp_path / "menu.csv"
    path.write_text(f"loai,ma,ten,gia,hoa_hong_ban\nsan pham,{code},Kem dưỡng {code},450.000,4\n",
                    encoding="utf-8")  # fmt: skip
    await import_catalog(load_catalog_file(path))
    item = await CatalogItem.get(code=code)
    assert (item.price, item.sales_commission_pct) == (450_000, 4)
    lead = await make_lead(org.hoa)
    order = await create_order(org.hoa, lead_id=lead.id, items=[OrderItemSpec(item_id=item.id)])
    await record_payment(org.hoa, order_id=order.id, amount=450_000)
    [row] = await SalesCommission.filter(order_id=order.id)
    assert (row.user_id, row.amount) == (org.hoa.user_id, 18_000)  # 450.000 × 4 %
    path.write_text(f"loai,ma,ten,gia,hoa_hong_ban\nsan pham,{code},Kem,450.000,101\n",
                    encoding="utf-8")  # fmt: skip
    with pytest.raises(DomainError):
        await import_catalog(load_catalog_file(path))
    assert (await CatalogItem.get(code=code)).sales_commission_pct == 4


async def test_withdrawing_one_half_keeps_the_other_half_blocked(org: Org) -> None:
    morning = await hr.request_leave(org.hoa, day_from=FRI, part="morning")
    afternoon = await hr.request_leave(org.hoa, day_from=FRI, part="afternoon", paid=False)
    for outcome in (morning, afternoon):
        await hr.decide_leave(org.lead, request_id=outcome.request.id, approve=True)
    assert (await TechnicianDayOff.get(user_id=org.hoa.user_id, day=FRI)).part == "full"
    await hr.withdraw_leave(org.hoa, request_id=morning.request.id)
    [row] = await TechnicianDayOff.filter(user_id=org.hoa.user_id, day=FRI)
    assert row.part == "afternoon"


async def test_the_approver_presses_the_notice_button_in_an_open_terminal(org: Org) -> None:
    import asyncio
    import io
    import os

    from spacrm.adapters.cli.terminal import chat_loop
    from spacrm.bot.engine import Engine

    read_fd, write_fd = os.pipe()
    stdin = os.fdopen(read_fd, "r", encoding="utf-8")
    out = io.StringIO()
    chat = asyncio.create_task(chat_loop(Engine("vi"), org.lead, stdin, out, reminder_seconds=0.1))
    try:
        await asyncio.sleep(0.5)  # the terminal says it is open
        outcome = await hr.request_leave(org.hoa, day_from=FRI)
        for _ in range(100):
            if "[1] ✅ Duyệt" in out.getvalue():
                break
            await asyncio.sleep(0.1)
        assert "🔔" in out.getvalue() and "[1] ✅ Duyệt" in out.getvalue()
        os.write(write_fd, b"1\n")
        for _ in range(100):
            if "Đã duyệt nghỉ cho Phạm Thị Hoa" in out.getvalue():
                break
            await asyncio.sleep(0.1)
        await outcome.request.refresh_from_db()
        assert outcome.request.status == "approved", out.getvalue()
    finally:
        os.close(write_fd)  # end of input: the chat ends
        await asyncio.wait_for(chat, 10)
        stdin.close()
