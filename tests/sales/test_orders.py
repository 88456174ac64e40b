"""Orders, receipts and courses through the core services (#9, #35, #37)."""

from __future__ import annotations

import pytest

from spacrm.core.actors import Actor
from spacrm.core.errors import DomainError, ErrorCode
from spacrm.core.models import Course, Lead, Order, OrderLine, Voucher
from spacrm.core.services.orders import (
    OrderItemSpec,
    cancel_order,
    create_order,
    get_order,
    order_view,
    search_orders,
)
from spacrm.core.services.vouchers import create_voucher, record_payment
from tests.sales.conftest import item_id, make_lead, package_id


async def test_package_order_paid_in_two_parts_opens_one_course(
    personas: dict[str, Actor],
) -> None:
    staff = personas["st_q1a1"]
    lead = await make_lead(staff, "Nguyễn Thị Lan")
    order = await create_order(
        staff, lead_id=lead.id, items=[OrderItemSpec(package_id=await package_id("GOI01"))]
    )
    assert order.number.startswith("HD2026-") and order.code == order.number.replace("-", "")
    assert (order.status, order.total, order.paid) == ("confirmed", 2_500_000, 0)
    assert order.owner_id == staff.user_id and order.site_branch_id == staff.home_branch_id
    lead = await Lead.get(id=lead.id)
    assert lead.stage == "in_service" and lead.contact_id is not None  # a buyer is a customer

    first = await record_payment(staff, order_id=order.id, amount=1_000_000, method="cash")
    assert not first.became_paid and first.order.status == "partly_paid"
    assert first.voucher.number.startswith("PT2026-") and first.voucher.kind == "receipt"
    assert await Course.filter(order_id=order.id).count() == 0
    second = await record_payment(staff, order_id=order.id, amount=1_500_000, method="transfer")
    assert second.became_paid and second.order.status == "paid"
    courses = await Course.filter(order_id=order.id)
    assert len(courses) == 1
    course = courses[0]
    assert (course.sessions_total, course.sessions_left, course.session_amount) == (10, 10, 250_000)
    assert course.commission_pct == 10 and course.commission_amount == 25_000
    assert str(course.expires_on) == "2028-05-25"  # 18 months of validity
    view = await order_view(staff, order.id)
    assert (view.total, view.paid, view.outstanding, view.status) == (
        2_500_000,
        2_500_000,
        0,
        "paid",
    )
    assert [p.method for p in view.payments] == ["cash", "transfer"]
    assert view.branch_name == "Quận 1" and view.customer_name == "Nguyễn Thị Lan"
    # Paid: nothing more can be taken, and the course is never opened twice.
    with pytest.raises(DomainError) as err:
        await record_payment(staff, order_id=order.id, amount=1, method="cash")
    assert err.value.code == ErrorCode.ORDER_PAID
    assert await Course.filter(order_id=order.id).count() == 1


async def test_overpayment_cancelled_and_bad_values_refused(personas: dict[str, Actor]) -> None:
    staff = personas["st_q1a1"]
    lead = await make_lead(staff)
    order = await create_order(
        staff, lead_id=lead.id, items=[OrderItemSpec(item_id=await item_id("SP01"), quantity=2)]
    )
    assert order.total == 1_040_000
    before = await Voucher.all().count()
    for amount, code in ((1_040_001, ErrorCode.OVERPAYMENT), (0, ErrorCode.BAD_AMOUNT),
                         (-5, ErrorCode.BAD_AMOUNT)):  # fmt: skip
        with pytest.raises(DomainError) as err:
            await record_payment(staff, order_id=order.id, amount=amount, method="cash")
        assert err.value.code == code
    for qty in (0, -1):
        with pytest.raises(DomainError) as err:
            await create_order(staff, lead_id=lead.id,
                               items=[OrderItemSpec(item_id=await item_id("SP01"), quantity=qty)])  # fmt: skip
        assert err.value.code == ErrorCode.BAD_QUANTITY
    await cancel_order(staff, order_id=order.id)
    with pytest.raises(DomainError) as err:
        await record_payment(staff, order_id=order.id, amount=100_000, method="cash")
    assert err.value.code == ErrorCode.ORDER_CANCELLED
    assert await Voucher.all().count() == before
    assert (await Order.get(id=order.id)).paid == 0


async def test_same_key_twice_makes_one_receipt(personas: dict[str, Actor]) -> None:
    staff = personas["st_q1a1"]
    lead = await make_lead(staff)
    order = await create_order(
        staff, lead_id=lead.id, items=[OrderItemSpec(item_id=await item_id("DV12"), sessions=5)]
    )
    assert order.total == 1_750_000
    line = await OrderLine.get(order_id=order.id)
    assert (line.quantity, line.sessions, line.unit_price) == (5, 5, 350_000)
    a = await record_payment(staff, order_id=order.id, amount=order.total, idem_key="tg:1:op")
    b = await record_payment(staff, order_id=order.id, amount=order.total, idem_key="tg:1:op")
    assert a.voucher.id == b.voucher.id and b.repeated and a.became_paid
    assert await Voucher.filter(order_id=order.id).count() == 1
    assert await Course.filter(order_id=order.id).count() == 1


async def test_price_override_needs_permission(personas: dict[str, Actor]) -> None:
    staff, desk = personas["st_q1a1"], personas["lt_q1"]
    lead = await make_lead(staff)
    spec = OrderItemSpec(package_id=await package_id("GOI01"), amount=2_000_000)
    with pytest.raises(DomainError) as err:
        await create_order(staff, lead_id=lead.id, items=[spec])
    assert err.value.code == ErrorCode.PRICE_OVERRIDE
    with pytest.raises(DomainError):
        await create_order(staff, lead_id=lead.id, items=[spec.__class__(
            package_id=spec.package_id)], discount_pct=10)  # fmt: skip
    # The front desk of the branch may, on a customer of another salesperson of the branch.
    order = await create_order(desk, lead_id=lead.id, items=[spec])
    assert order.total == 2_000_000 and order.owner_id == staff.user_id
    assert order.created_by_id == desk.user_id
    discounted = await create_order(personas["tl_q1a"], lead_id=lead.id, discount_pct=10,
        items=[OrderItemSpec(item_id=await item_id("DV12"), sessions=5)])  # fmt: skip
    assert (discounted.subtotal, discounted.discount, discounted.total) == (
        1_750_000,
        175_000,
        1_575_000,
    )


async def test_front_desk_sees_branch_orders_not_others(personas: dict[str, Actor]) -> None:
    staff, desk, other_desk = personas["st_q1b1"], personas["lt_q1"], personas["lt_gv"]
    lead = await make_lead(staff)
    order = await create_order(staff, lead_id=lead.id,
                               items=[OrderItemSpec(item_id=await item_id("SP03"))])  # fmt: skip
    assert (await get_order(desk, number=order.number)).id == order.id
    assert (await get_order(desk, number=order.number.lower().replace("-", " "))).id == order.id
    with pytest.raises(DomainError) as err:
        await get_order(other_desk, order_id=order.id)
    assert err.value.code == ErrorCode.NOT_FOUND
    with pytest.raises(DomainError):
        await get_order(personas["st_q1a1"], order_id=order.id)
    found = await search_orders(desk, lead_id=lead.id)
    assert [o.id for o in found] == [order.id]
    paid = await record_payment(desk, order_id=order.id, amount=650_000, method="card")
    assert paid.became_paid and paid.voucher.owner_id == staff.user_id


async def test_payment_voucher_for_expense(personas: dict[str, Actor]) -> None:
    desk = personas["lt_hd"]
    voucher = await create_voucher(desk, kind="payment", name="Mua khăn giấy", amount=350_000)
    assert voucher.number.startswith("PC2026-") and voucher.site_branch_id == desk.home_branch_id
    with pytest.raises(DomainError):
        await create_voucher(desk, kind="payment", name="x", amount=0)


async def test_dashboard_counts_this_weeks_sales(personas: dict[str, Actor]) -> None:
    from spacrm.core.services.dashboard import dashboard

    desk = personas["lt_hd"]
    before, elsewhere = await dashboard(desk), await dashboard(personas["lt_q1"])
    lead = await make_lead(personas["st_hda1"])
    order = await create_order(desk, lead_id=lead.id,
                               items=[OrderItemSpec(package_id=await package_id("GOI02"))])  # fmt: skip
    await record_payment(desk, order_id=order.id, amount=order.total, method="cash")
    await create_voucher(desk, kind="payment", name="Điện nước", amount=200_000)
    after = await dashboard(desk)
    assert after.orders_week == before.orders_week + 1
    assert after.sales_week == before.sales_week + 1_350_000
    assert after.receipts_week == before.receipts_week + 1_350_000
    assert after.payments_week == before.payments_week + 200_000
    assert after.active_courses == before.active_courses + 1
    other = await dashboard(personas["lt_q1"])  # another branch's front desk sees none of it
    assert (other.orders_week, other.receipts_week) == (
        elsewhere.orders_week,
        elsewhere.receipts_week,
    )


async def test_courses_on_confirmation_and_technicians(
    personas: dict[str, Actor], monkeypatch: pytest.MonkeyPatch
) -> None:
    from spacrm.core.services.courses import assign_technician, courses_of, get_course
    from spacrm.core.settings import reset_settings

    monkeypatch.setenv("SPACRM_COURSE_ON", "confirmed")
    reset_settings()
    try:
        staff, tech, other_tech = personas["st_q1a1"], personas["ktv_q1"], personas["ktv_gv"]
        lead = await make_lead(staff)
        order = await create_order(staff, lead_id=lead.id,
                                   items=[OrderItemSpec(package_id=await package_id("GOI03"))])  # fmt: skip
        courses = await Course.filter(order_id=order.id)  # opened on confirmation, unpaid
        assert [(c.name, c.sessions_total) for c in courses] == [
            ("Combo chăm sóc da 5 buổi + 1 serum: Chăm sóc da cơ bản", 5)
        ]
        lines = await OrderLine.filter(order_id=order.id).order_by("id")
        assert sum(ln.amount for ln in lines) == order.total == 2_200_000
        assert courses[0].session_amount == lines[0].amount // 5
        # A technician sees only the courses they are assigned to.
        assert not await courses_of(tech, lead_id=lead.id)
        with pytest.raises(DomainError):
            await assign_technician(
                staff, course_id=courses[0].id, technician_id=other_tech.user_id
            )
        await assign_technician(staff, course_id=courses[0].id, technician_id=tech.user_id)
        assert [c.id for c in await courses_of(tech, lead_id=lead.id)] == [courses[0].id]
        assert (await get_course(tech, courses[0].id)).technician_id == tech.user_id
        await record_payment(staff, order_id=order.id, amount=order.total)
        assert await Course.filter(order_id=order.id).count() == 1  # not opened a second time
    finally:
        monkeypatch.delenv("SPACRM_COURSE_ON")
        reset_settings()
