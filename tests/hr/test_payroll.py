"""Payroll (#12): a worked example a person can redo by hand, day and hour bases, insurance and
income tax when switched on, locking, visibility and the payslip in chat.

Hoa, October 2026 (monthly base 8.000.000 for 26 standard days, allowance 500.000):
  unpaid leave 1 day       8.000.000 / 26 × 1            = 307.692,31 → −307.692
  overtime Wed 14/10 2 h   8.000.000 / 26 / 8 × 2 × 150 % = 115.384,62 →  115.385
  overtime Sun 18/10 4 h   8.000.000 / 26 / 8 × 4 × 200 % = 307.692,31 →  307.692
  session commissions      50.000 + 25.000                =               75.000
  bonus 200.000, penalty 100.000, advance 1.000.000
  gross = 8.000.000 − 307.692 + 500.000 + 423.077 + 75.000 + 200.000 − 100.000 = 8.790.385
  net   = 8.790.385 − 1.000.000 = 7.790.385
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import date

import pytest

from spacrm.core.errors import DomainError, ErrorCode
from spacrm.core.models import (
    Commission,
    LeaveRequest,
    OvertimeEntry,
    PayrollRun,
    Payslip,
    User,
)
from spacrm.core.services import payroll
from spacrm.core.settings import reset_settings
from tests.hr.conftest import Org

MONTH = "2026-10"


async def _october(org: Org, year: int = 2026) -> None:
    board = org.board
    hoa, mai = org.users["hoa"], org.users["mai"]
    await payroll.set_salary(board, login=hoa.login, basis="month", base_amount=8_000_000,
                             allowance=500_000, standard_days=26)  # fmt: skip
    await payroll.set_salary(board, login=mai.login, basis="day", base_amount=300_000)
    await LeaveRequest.create(user_id=hoa.id, day_from=date(year, 10, 13), day_to=date(year, 10, 13),
                              paid=False, halves=2, status="approved")  # fmt: skip
    await LeaveRequest.create(user_id=hoa.id, day_from=date(year, 10, 20), day_to=date(year, 10, 20),
                              paid=True, halves=2, status="approved")  # fmt: skip
    await LeaveRequest.create(user_id=mai.id, day_from=date(year, 10, 21), day_to=date(year, 10, 21),
                              part="morning", paid=False, halves=1, status="approved")  # fmt: skip
    for day, minutes, kind, pct, status in (
        (date(year, 10, 14), 120, "weekday", 150, "approved"),
        (date(year, 10, 18), 240, "rest_day", 200, "approved"),
        (date(year, 10, 19), 180, "weekday", 150, "rejected"),  # not paid
    ):
        await OvertimeEntry.create(user_id=hoa.id, day=day, minutes=minutes, day_kind=kind,
                                   rate_pct=pct, status=status)  # fmt: skip
    for n, (amount, day) in enumerate(((50_000, 3), (25_000, 30), (99_000, 1))):
        month = 11 if amount == 99_000 else 10  # November's is not October's
        await Commission.create(appointment_id=9_000_000 + org.n * 10 + n, technician_id=hoa.id,
                                site_branch_id=org.branch.id, service_id=1, base_amount=amount * 10,
                                commission_pct=10, amount=amount, earned_on=date(year, month, day))  # fmt: skip
    for kind, amount in (("bonus", 200_000), ("penalty", 100_000), ("advance", 1_000_000)):
        await payroll.add_adjustment(board, login=hoa.login, month=f"{year}-10", kind=kind,
                                     amount=amount, note=kind)  # fmt: skip


def _lines(slip: Payslip) -> dict[str, int]:
    return {k: a for k, a, _ in slip.lines}


async def test_worked_example_october(org: Org) -> None:
    await _october(org)
    seen: list[tuple[int, int]] = []
    result = await payroll.run_payroll(
        org.board, month=MONTH, progress=lambda i, n: seen.append((i, n))
    )
    assert seen and seen[-1][0] == seen[-1][1]
    run = await PayrollRun.get(month=MONTH)
    hoa = await Payslip.get(run_id=run.id, user_id=org.hoa.user_id)
    assert _lines(hoa) == {
        "base": 8_000_000, "unpaid_leave": -307_692, "allowance": 500_000, "overtime": 423_077,
        "commission": 75_000, "bonus": 200_000, "penalty": -100_000, "advance": -1_000_000,
    }  # fmt: skip
    assert (hoa.gross, hoa.net) == (8_790_385, 7_790_385)
    details = {k: d for k, _, d in hoa.lines}
    assert details["unpaid_leave"] == "8.000.000 / 26 × 1"
    assert details["overtime"] == "38.462/h: 14/10 2h×150%, 18/10 4h×200%"
    # Mai: day rate × October's 27 working days (Sundays off) less half a day unpaid.
    mai = await Payslip.get(run_id=run.id, user_id=org.mai.user_id)
    assert _lines(mai) == {"base": 7_950_000} and mai.net == 7_950_000
    assert result.slips >= 2
    # Recompute until locked: same figures, one payslip each.
    await payroll.run_payroll(org.board, month=MONTH)
    assert await Payslip.filter(user_id=org.hoa.user_id).count() == 1
    await payroll.lock_payroll(org.board, month=MONTH)
    for call in (
        payroll.run_payroll(org.board, month=MONTH),
        payroll.add_adjustment(org.board, login=org.users["hoa"].login, month=MONTH,
                               kind="bonus", amount=1),
    ):  # fmt: skip
        with pytest.raises(DomainError) as err:
            await call
        assert err.value.code == ErrorCode.PAYROLL_LOCKED
    assert (await Payslip.get(user_id=org.hoa.user_id)).net == 7_790_385


async def test_payslip_in_chat_and_who_may_see_it(org: Org) -> None:
    await _october(org, 2027)  # October 2026 is locked by the worked example
    await org.chat(org.hoa).says("bảng lương tháng 10 của tôi", "tháng 10/2026")
    out = await org.chat(org.hoa).intent("payslip", {"period": "2027-10"}, "bảng lương 10/2027", "Phạm Thị Hoa",
                                       "Thực lĩnh: 7.790.385 ₫", "tạm tính", "-307.692 ₫")  # fmt: skip
    assert "8.000.000 / 26 × 1" in out
    # A team lead doesn't see the team's pay; the board does.
    with pytest.raises(DomainError) as err:
        await payroll.payslip(org.lead, month="2027-10", user_id=org.hoa.user_id)
    assert err.value.code == ErrorCode.FORBIDDEN
    view = await payroll.payslip(org.board, month="2027-10", user_id=org.hoa.user_id)
    assert view.slip.net == 7_790_385 and view.status == "preview"
    with pytest.raises(DomainError) as err:
        await payroll.run_payroll(org.lead, month="2027-10")
    assert err.value.code == ErrorCode.FORBIDDEN


@pytest.fixture
def insurance_and_tax() -> Iterator[None]:
    os.environ["SPACRM_PAYROLL_INSURANCE"] = "true"
    os.environ["SPACRM_PAYROLL_INCOME_TAX"] = "true"
    reset_settings()
    yield
    del os.environ["SPACRM_PAYROLL_INSURANCE"], os.environ["SPACRM_PAYROLL_INCOME_TAX"]
    reset_settings()


async def test_insurance_and_income_tax_when_switched_on(org: Org, insurance_and_tax: None) -> None:
    # 40.000.000: insurance 10,5 % = 4.200.000 (under the 46.800.000 cap); taxable
    # 40.000.000 − 4.200.000 − 15.500.000 = 20.300.000 → 5 % × 10 M + 10 % × 10,3 M = 1.530.000.
    lead = org.users["lead"]
    await payroll.set_salary(org.board, login=lead.login, basis="month", base_amount=40_000_000)
    view = await payroll.payslip(org.board, month="2026-09", user_id=lead.id)
    assert {ln.key: ln.amount for ln in view.slip.lines} == {
        "base": 40_000_000, "insurance": -4_200_000, "income_tax": -1_530_000,
    }  # fmt: skip
    assert view.slip.net == 34_270_000
    # 2025 brackets and deductions (11 M): taxable 24.800.000 → 0,25 + 0,5 + 1,2 + 1,36 M.
    old = await payroll.payslip(org.board, month="2025-09", user_id=lead.id)
    assert {ln.key: ln.amount for ln in old.slip.lines}["income_tax"] == -3_310_000


async def test_bad_payroll_input(org: Org) -> None:
    login = org.users["hoa"].login
    for kw, code in (
        (dict(basis="month", base_amount=0), ErrorCode.BAD_AMOUNT),
        (dict(basis="week", base_amount=1), ErrorCode.INVALID_VALUE),
    ):
        with pytest.raises(DomainError) as err:
            await payroll.set_salary(org.board, login=login, **kw)  # type: ignore[arg-type]
        assert err.value.code == code
    with pytest.raises(DomainError) as err:
        await payroll.payslip(org.hoa, month="2026-10")
    assert err.value.code == ErrorCode.NO_SALARY_PROFILE
    with pytest.raises(DomainError) as err:
        await payroll.run_payroll(org.board, month="2026-13")
    assert err.value.code == ErrorCode.INVALID_VALUE
    assert not await User.filter(id=org.hoa.user_id, login="x").exists()


async def test_work_on_orders_feeds_payroll(org: Org) -> None:
    from spacrm.core.models import OrderTask
    from spacrm.core.services.hr import record_order_task
    from spacrm.core.services.orders import OrderItemSpec, create_order
    from spacrm.core.services.users import actor_by_login
    from tests.sales.conftest import make_lead, package_id

    seller = await actor_by_login("st_q1a1")
    lead = await make_lead(seller, "Nguyễn Thị Tâm")
    order = await create_order(seller, lead_id=lead.id,
                               items=[OrderItemSpec(package_id=await package_id("GOI01"))])  # fmt: skip
    hoa, mai = org.users["hoa"], org.users["mai"]
    await payroll.set_salary(org.board, login=hoa.login, basis="month", base_amount=7_800_000)
    for login, details, amount in ((hoa.login, "Tư vấn gói", 120_000),
                                   (hoa.login, "Làm buổi 1", 80_000), (mai.login, "Dọn phòng", 0)):  # fmt: skip
        await record_order_task(org.board, order_number=order.number, login=login,
                                details=details, commission=amount)  # fmt: skip
    assert await OrderTask.filter(order_id=order.id).count() == 3
    view = await payroll.payslip(org.board, month="2026-11", user_id=hoa.id)
    lines = {ln.key: (ln.amount, ln.detail) for ln in view.slip.lines}
    # Each task is named on the payslip (order, work, amount), so the sum can be checked by hand.
    detail = f"{order.number} Tư vấn gói: 120.000; {order.number} Làm buổi 1: 80.000"
    assert lines["order_commission"] == (200_000, detail) and view.slip.net == 8_000_000
    # The branch director of another branch can't see (nor add work to) a Quận 1 order.
    for kw, code in (
        (dict(actor=org.director, commission=1), ErrorCode.NOT_FOUND),
        (dict(actor=org.board, commission=-5), ErrorCode.BAD_AMOUNT),
    ):
        with pytest.raises(DomainError) as err:
            await record_order_task(
                kw["actor"],
                order_number=order.number,
                login=hoa.login,  # type: ignore[arg-type]
                details="x",
                commission=kw["commission"],
            )  # type: ignore[arg-type]
        assert err.value.code == code
    assert await OrderTask.filter(order_id=order.id).count() == 3
