"""Vouchers (#35): receipts against orders (partial or full), payment vouchers for expenses.

A receipt that makes the paid amount reach the total marks the order paid and opens its courses,
in the same transaction, so that happens exactly once. A button press or a bank transfer carries
an idempotency key (unique in the table): pressing "Thu tiền" twice finds the first receipt.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from spacrm.core import clock
from spacrm.core.actors import Actor
from spacrm.core.errors import DomainError, ErrorCode
from spacrm.core.models import Course, Order, Voucher
from spacrm.core.models.sales import PAY_METHODS, VOUCHER_KINDS, VOUCHER_STATUSES
from spacrm.core.permissions import can_write_expense, ops_scoped
from spacrm.core.services import sales_commission
from spacrm.core.services.numbering import next_number, vnd
from spacrm.core.settings import get_settings
from spacrm.core.textnorm import nfc

MAX_AMOUNT = 10_000_000_000


@dataclass(frozen=True, slots=True)
class Payment:
    voucher: Voucher
    order: Order
    became_paid: bool  # this receipt completed the order
    repeated: bool = False  # the same key was used before: nothing new was written
    courses: list[Course] = field(default_factory=list)


def check_amount(amount: int) -> None:
    if not isinstance(amount, int) or not 0 < amount <= MAX_AMOUNT:
        raise DomainError(ErrorCode.BAD_AMOUNT, value=str(amount))


def check_method(method: str) -> None:
    if method not in PAY_METHODS:
        raise DomainError(ErrorCode.INVALID_VALUE, value=method)


async def record_payment(
    actor: Actor,
    *,
    order_id: int,
    amount: int,
    method: str = "cash",
    idem_key: str | None = None,
    note: str | None = None,
) -> Payment:
    """A receipt for an order the actor may see; refused beyond the outstanding amount."""
    check_amount(amount)
    check_method(method)
    if idem_key:
        previous = await previous_payment(idem_key)
        if previous is not None:
            return previous
    try:
        async with in_transaction():
            order = await ops_scoped(Order, actor).select_for_update().get_or_none(id=order_id)
            if order is None:
                raise DomainError(ErrorCode.NOT_FOUND)
            return await apply_receipt(
                order, amount=amount, method=method, by_user=actor.user_id,
                idem_key=idem_key, note=note,
            )  # fmt: skip
    except (IntegrityError, DomainError):
        # Two presses raced: the other one's receipt committed first (this one then failed on
        # the unique key, or found the order already paid).
        previous = await previous_payment(idem_key) if idem_key else None
        if previous is None:
            raise
        return previous


async def order_voucher_for_key(idem_key: str) -> tuple[Voucher, Order] | None:
    """The order's voucher (receipt or refund) an idempotency key already made, if any."""
    voucher = await Voucher.get_or_none(idem_key=idem_key)
    if voucher is None or voucher.order_id is None:
        return None
    return voucher, await Order.get(id=voucher.order_id)


async def previous_payment(idem_key: str) -> Payment | None:
    """The receipt an idempotency key already made, if any."""
    found = await order_voucher_for_key(idem_key)
    return Payment(*found, became_paid=False, repeated=True) if found else None


async def apply_receipt(
    order: Order,
    *,
    amount: int,
    method: str,
    by_user: int,
    idem_key: str | None = None,
    note: str | None = None,
) -> Payment:
    """The receipt itself. Call inside a transaction with `order` locked (select_for_update)."""
    from spacrm.core.services.courses import open_courses

    if order.status == "cancelled":
        raise DomainError(ErrorCode.ORDER_CANCELLED, number=order.number)
    outstanding = order.total - order.paid
    if outstanding <= 0:
        raise DomainError(ErrorCode.ORDER_PAID, number=order.number)
    if amount > outstanding:
        raise DomainError(ErrorCode.OVERPAYMENT, number=order.number, outstanding=vnd(outstanding),
                          amount=vnd(amount))  # fmt: skip
    today = clock.today()
    number, _ = await next_number("receipt", today.year)
    voucher = await Voucher.create(
        number=number, kind="receipt", name=f"Thu tiền đơn {order.number}", voucher_date=today,
        amount=amount, status="done", method=method, site_branch_id=order.site_branch_id,
        lead_id=order.lead_id, order_id=order.id, note=nfc(note) if note else None,
        created_by_id=by_user, idem_key=idem_key, owner_id=order.owner_id, team_id=order.team_id,
        branch_id=order.branch_id, region_id=order.region_id,
    )  # fmt: skip
    order.paid += amount
    became_paid = order.paid == order.total
    order.status = "paid" if became_paid else "partly_paid"
    if became_paid:
        order.paid_at = clock.now()
    order.version += 1
    await order.save(update_fields=["paid", "status", "paid_at", "version", "updated_at"])
    await sales_commission.sync(order, day=today, received=amount)  # the seller's share (#12)
    courses: list[Course] = []
    if became_paid and get_settings().course_on == "paid":
        courses = await open_courses(order)
    return Payment(voucher, order, became_paid, courses=courses)


async def create_voucher(
    actor: Actor,
    *,
    kind: str,
    name: str,
    amount: int,
    method: str = "cash",
    status: str = "done",
    note: str | None = None,
    voucher_date: date | None = None,
    category: str | None = None,
    idem_key: str | None = None,
) -> Voucher:
    """A payment voucher (chi) for an expense, or another money document, at the actor's branch.
    Receipts against an order go through record_payment. Only the front desk and managers."""
    if not can_write_expense(actor):
        raise DomainError(ErrorCode.FORBIDDEN)
    check_amount(amount)
    if kind not in VOUCHER_KINDS or status not in VOUCHER_STATUSES or method not in PAY_METHODS:
        raise DomainError(ErrorCode.INVALID_VALUE, value=f"{kind}/{status}/{method}")
    name = nfc(name or "")
    if not name:
        raise DomainError(ErrorCode.NAME_REQUIRED)
    day = voucher_date or clock.today()
    from spacrm.core.services.users import ownership_for

    owner = await ownership_for(actor.user_id)
    async with in_transaction():
        number, _ = await next_number(kind if kind != "other" else "payment", day.year)
        return await Voucher.create(
            number=number, kind=kind, name=name, voucher_date=day, amount=amount, status=status,
            method=method, site_branch_id=actor.home_branch_id, note=nfc(note) if note else None,
            created_by_id=actor.user_id, category=category, idem_key=idem_key,
            **owner.columns(),
        )  # fmt: skip


async def list_vouchers(
    actor: Actor,
    *,
    kind: str | None = None,
    order_id: int | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    limit: int = 20,
) -> list[Voucher]:
    qs = ops_scoped(Voucher, actor)
    if kind:
        qs = qs.filter(kind=kind)
    if order_id is not None:
        qs = qs.filter(order_id=order_id)
    if date_from:
        qs = qs.filter(voucher_date__gte=date_from)
    if date_to:
        qs = qs.filter(voucher_date__lte=date_to)
    return await qs.order_by("-voucher_date", "-id").limit(limit)
