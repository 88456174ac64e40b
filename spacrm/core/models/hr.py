"""Staff life (#12): leave and overtime with approval, salary profiles, pay adjustments, dated
payroll rates, holidays, payroll runs and their payslips."""

from __future__ import annotations

from typing import Any

from tortoise import fields
from tortoise.models import Model


class LeaveRequest(Model):
    """Leave from `day_from` to `day_to`, a half day (`part` morning/afternoon) is one day only.
    `halves` counts the working half-days taken (a full day is 2), so balances stay integers."""

    id = fields.IntField(primary_key=True)
    user_id = fields.IntField(db_index=True)
    day_from = fields.DateField()
    day_to = fields.DateField()
    part = fields.CharField(max_length=10, default="full")  # full | morning | afternoon
    paid = fields.BooleanField(default=True)
    halves = fields.IntField()
    reason = fields.CharField(max_length=300, default="")
    status = fields.CharField(max_length=10, default="pending", db_index=True)
    approver_id = fields.IntField(null=True)  # who was asked (team lead, director or board)
    decided_by_id = fields.IntField(null=True)
    decided_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "leave_request"


class OvertimeEntry(Model):
    """Overtime worked on `day`, `rate_pct` is fixed when it is logged (from the dated rates)."""

    id = fields.IntField(primary_key=True)
    user_id = fields.IntField(db_index=True)
    day = fields.DateField()
    minutes = fields.IntField()
    day_kind = fields.CharField(max_length=10)  # weekday | rest_day | holiday
    night = fields.BooleanField(default=False)
    rate_pct = fields.IntField()
    note = fields.CharField(max_length=300, default="")
    status = fields.CharField(max_length=10, default="pending", db_index=True)
    approver_id = fields.IntField(null=True)
    decided_by_id = fields.IntField(null=True)
    decided_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "overtime_entry"


class SalaryProfile(Model):
    """How a person is paid: `basis` month (base for the standard days), day or hour rate."""

    id = fields.IntField(primary_key=True)
    user_id = fields.IntField(unique=True)
    basis = fields.CharField(max_length=6, default="month")  # month | day | hour
    base_amount = fields.BigIntField()
    allowance = fields.BigIntField(default=0)  # fixed monthly allowances (meals, travel, phone)
    standard_days = fields.IntField(null=True)  # None: the setting payroll_standard_days
    insured_salary = fields.BigIntField(null=True)  # None: the base, when insurance is on
    dependants = fields.IntField(default=0)  # for the income tax family deduction
    payroll_viewer = fields.BooleanField(default=False)  # may see others' pay in their scope
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "salary_profile"


class PayAdjustment(Model):
    """A bonus, penalty or advance for a month ("YYYY-MM")."""

    id = fields.IntField(primary_key=True)
    user_id = fields.IntField(db_index=True)
    month = fields.CharField(max_length=7, db_index=True)
    kind = fields.CharField(max_length=10)  # bonus | penalty | advance
    amount = fields.BigIntField()
    note = fields.CharField(max_length=300, default="")
    created_by_id = fields.IntField()
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "pay_adjustment"


class PayRate(Model):
    """A dated payroll figure (overtime %, insurance %, caps, tax deductions): the row with the
    latest `valid_from` on or before a day wins over the built-in default."""

    id = fields.IntField(primary_key=True)
    key = fields.CharField(max_length=40)
    valid_from = fields.DateField()
    value = fields.BigIntField()

    class Meta:
        table = "pay_rate"
        unique_together = (("key", "valid_from"),)


class Holiday(Model):
    id = fields.IntField(primary_key=True)
    day = fields.DateField(unique=True)
    name = fields.CharField(max_length=120)

    class Meta:
        table = "holiday"


class PayrollRun(Model):
    id = fields.IntField(primary_key=True)
    month = fields.CharField(max_length=7, unique=True)
    status = fields.CharField(max_length=10, default="draft")  # draft | locked
    computed_at = fields.DatetimeField()
    computed_by_id = fields.IntField()
    locked_by_id = fields.IntField(null=True)
    locked_at = fields.DatetimeField(null=True)

    class Meta:
        table = "payroll_run"


class Payslip(Model):
    """One person's pay for a run, `lines` are [key, amount, detail] so each figure is traceable."""

    id = fields.IntField(primary_key=True)
    run_id = fields.IntField(db_index=True)
    user_id = fields.IntField(db_index=True)
    gross = fields.BigIntField()
    net = fields.BigIntField()
    lines: list[list[Any]] = fields.JSONField()

    class Meta:
        table = "payslip"
        unique_together = (("run_id", "user_id"),)


class OrderTask(Model):
    """Work a person did on an order (#30: details, day, who) and the commission it earned,
    e.g. the consultant's and the technician's shares; payroll adds it to the month's pay."""

    id = fields.IntField(primary_key=True)
    order_id = fields.IntField(db_index=True)
    user_id = fields.IntField(db_index=True)
    day = fields.DateField(db_index=True)
    details = fields.CharField(max_length=300)
    commission = fields.BigIntField(default=0)
    commission_bp = fields.IntField(
        null=True
    )  # typed as a % of the order's total (×100: 2,5 % = 250)
    created_by_id = fields.IntField()
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "order_task"


class SalesCommission(Model):
    """The seller's commission on an order, accrued as money is received (a signed amount: a
    reversal is negative). `detail` says how it was computed, for the payslip."""

    id = fields.IntField(primary_key=True)
    order_id = fields.IntField(db_index=True)
    user_id = fields.IntField(db_index=True)
    day = fields.DateField(db_index=True)
    amount = fields.BigIntField()
    received = fields.BigIntField()  # the money this row accrues on (negative when reversed)
    detail = fields.CharField(max_length=200)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "sales_commission"
