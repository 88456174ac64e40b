"""Refunds (ops): money an order received goes back to the customer as a payment voucher (chi).

The voucher is a "payment" (its own gapless PC… number), category "refund", linked to the order;
the order's paid amount goes down by it (its debt up), and the seller's commission follows the
paid amount. A course the order opened is left as it is: sessions are a separate decision
(cancel the course, or keep it as the customer's balance), never changed silently by money.
Only a branch director and above may refund; a double press finds the first voucher by its key.
"""

from __future__ import annotations

from dataclasses import dataclass

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from spacrm.core import clock
from spacrm.core.actors import Actor, Role
from spacrm.core.errors import DomainError, ErrorCode
from spacrm.core.models import Order, Voucher
from spacrm.core.permissions import ops_scoped
from spacrm.core.services import sales_commission
from spacrm.core.services.numbering import next_number, vnd
from spacrm.core.services.vouchers import check_amount, check_method, order_voucher_for_key
from spacrm.core.textnorm import nfc

REFUNDERS = (Role.BRANCH_DIRECTOR, Role.REGION, Role.BOARD, Role.ADMIN)


@dataclass(frozen=True, slots=True)
class Refund:
    voucher: Voucher
    order: Order
    repeated: bool = False  # the same key was used before: nothing new was written


def can_refund(actor: Actor) -> bool:
    """Money out of the till to a customer: the branch's director and those above."""
    return actor.role in REFUNDERS


async def paid_by(order_id: int) -> str | None:
    """How the order's money came in (its latest receipt's method): a refund goes back the same
    way unless staff say otherwise (a transfer is refunded by transfer, not from the till)."""
    row = (
        await Voucher.filter(order_id=order_id, kind="receipt", status="done")
        .order_by("-id")
        .first()
        .values_list("method", flat=True)
    )
    return str(row) if row else None


async def _previous(idem_key: str) -> Refund | None:
    found = await order_voucher_for_key(idem_key)
    return Refund(*found, repeated=True) if found else None


async def refund_payment(
    actor: Actor,
    *,
    order_id: int,
    amount: int,
    method: str = "cash",
    idem_key: str | None = None,
    note: str | None = None,
) -> Refund:
    """Pay back up to what the order holds (paid and not refunded yet)."""
    if not can_refund(actor):
        raise DomainError(ErrorCode.FORBIDDEN)
    check_amount(amount)
    check_method(method)
    if idem_key:
        previous = await _previous(idem_key)
        if previous is not None:
            return previous
    try:
        async with in_transaction():
            order = await ops_scoped(Order, actor).select_for_update().get_or_none(id=order_id)
            if order is None:
                raise DomainError(ErrorCode.NOT_FOUND)
            if amount > order.paid:
                raise DomainError(ErrorCode.OVER_REFUND, number=order.number,
                                  paid=vnd(order.paid), amount=vnd(amount))  # fmt: skip
            today = clock.today()
            number, _ = await next_number("payment", today.year)
            voucher = await Voucher.create(
                number=number, kind="payment", name=f"Hoàn tiền đơn {order.number}",
                voucher_date=today, amount=amount, status="done", method=method,
                site_branch_id=order.site_branch_id, lead_id=order.lead_id, order_id=order.id,
                note=nfc(note) if note else None, created_by_id=actor.user_id,
                idem_key=idem_key, category="refund", owner_id=order.owner_id,
                team_id=order.team_id, branch_id=order.branch_id, region_id=order.region_id,
            )  # fmt: skip
            order.paid -= amount
            if order.status != "cancelled":
                order.status = "partly_paid" if order.paid > 0 else "confirmed"
                order.paid_at = None
            order.version += 1
            await order.save(update_fields=["paid", "status", "paid_at", "version", "updated_at"])
            await sales_commission.sync(order, day=today, received=-amount)
            return Refund(voucher, order)
    except IntegrityError:
        # Two presses raced: the other one's voucher committed first with the same key.
        previous = await _previous(idem_key) if idem_key else None
        if previous is None:
            raise
        return previous
