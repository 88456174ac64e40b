"""Orders (#9): create from catalogue items or packages, confirm, cancel, look up, and the view
that bills, QR codes and the chat card are drawn from.

The order belongs to the customer's salesperson (their four ownership columns), happens at the
acting user's branch (`site_branch_id`, for the front desk) and remembers who typed it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from tortoise.transactions import in_transaction

from spacrm.core import clock
from spacrm.core.actors import Actor
from spacrm.core.errors import DomainError, ErrorCode
from spacrm.core.models import (
    Branch,
    CatalogItem,
    Lead,
    Order,
    OrderLine,
    Package,
    PackageItem,
    Voucher,
)
from spacrm.core.permissions import Ownership, can_override_price, can_see, ops_scoped
from spacrm.core.services import sales_commission, stock
from spacrm.core.services.leads import _convert
from spacrm.core.services.numbering import next_number, vnd
from spacrm.core.services.order_deals import deal_for_new_order, link_order
from spacrm.core.settings import get_settings

MAX_QUANTITY = 1000
MAX_SESSIONS = 100
MAX_AMOUNT = 10_000_000_000


@dataclass(frozen=True, slots=True)
class OrderItemSpec:
    """One thing sold: a catalogue item or a package; `amount` is a staff-typed line total."""

    item_id: int | None = None
    package_id: int | None = None
    quantity: int = 1
    sessions: int | None = None
    amount: int | None = None


@dataclass(frozen=True, slots=True)
class LineView:
    name: str
    quantity: int
    unit_price: int
    amount: int
    sessions: int = 0


@dataclass(frozen=True, slots=True)
class PaymentView:
    number: str
    method: str
    amount: int
    date: date


@dataclass(frozen=True, slots=True)
class OrderView:
    id: int
    number: str
    code: str  # the number without separators: the transfer note
    date: date
    branch_name: str
    customer_name: str
    customer_phone: str | None
    lines: tuple[LineView, ...]
    subtotal: int
    discount: int
    total: int
    paid: int
    outstanding: int
    status: str
    payments: tuple[PaymentView, ...]
    seller_name: str
    version: int


def order_code(number: str) -> str:
    return "".join(ch for ch in number if ch.isalnum()).upper()


def _check_spec(spec: OrderItemSpec) -> None:
    if (spec.item_id is None) == (spec.package_id is None):
        raise DomainError(ErrorCode.ORDER_EMPTY)
    if not 1 <= spec.quantity <= MAX_QUANTITY:
        raise DomainError(ErrorCode.BAD_QUANTITY, value=str(spec.quantity))
    if spec.sessions is not None and not 1 <= spec.sessions <= MAX_SESSIONS:
        raise DomainError(ErrorCode.BAD_QUANTITY, value=str(spec.sessions))
    if spec.amount is not None and not 0 < spec.amount <= MAX_AMOUNT:
        raise DomainError(ErrorCode.BAD_AMOUNT, value=str(spec.amount))


async def _lines_for(spec: OrderItemSpec) -> list[OrderLine]:
    """Unsaved lines at list price (and the typed amount spread over them when there is one)."""
    if spec.package_id is not None:
        package = await Package.get_or_none(id=spec.package_id, active=True)
        if package is None:
            raise DomainError(ErrorCode.ITEM_NOT_FOUND, item=str(spec.package_id))
        parts = await PackageItem.filter(package_id=package.id).order_by("id")
        items = {i.id: i for i in await CatalogItem.filter(id__in=[p.item_id for p in parts])}
        lines = []
        for part in parts:
            item = items[part.item_id]
            name = package.name if len(parts) == 1 else f"{package.name}: {item.name}"
            amount = part.amount * spec.quantity
            lines.append(OrderLine(
                item_id=item.id, package_id=package.id, kind=item.kind, name=name,
                quantity=spec.quantity, sessions=part.sessions * spec.quantity,
                list_price=part.amount, unit_price=part.amount, amount=amount,
                commission_pct=item.commission_pct, validity_months=package.validity_months,
                sales_commission_pct=item.sales_commission_pct,
            ))  # fmt: skip
    else:
        found = await CatalogItem.get_or_none(id=spec.item_id, active=True)
        if found is None or found.kind == "consumable":
            raise DomainError(ErrorCode.ITEM_NOT_FOUND, item=str(spec.item_id))
        item = found
        sessions = spec.sessions or 0
        count = sessions if item.kind == "service" and sessions else spec.quantity
        lines = [OrderLine(
            item_id=item.id, kind=item.kind, name=item.name, quantity=count,
            sessions=sessions if item.kind == "service" else 0, list_price=item.price,
            unit_price=item.price, amount=item.price * count, commission_pct=item.commission_pct,
            sales_commission_pct=item.sales_commission_pct,
        )]  # fmt: skip
    if spec.amount is not None:
        _spread(lines, spec.amount)
    return lines


async def _priced(
    actor: Actor, items: list[OrderItemSpec], discount_pct: int, discount_amount: int
) -> tuple[list[OrderLine], int, int, int]:
    """The unsaved lines of `items`, the subtotal, the discount and the total; a price other
    than the list's (typed, or a discount) needs the permission."""
    if not items:
        raise DomainError(ErrorCode.ORDER_EMPTY)
    for spec in items:
        _check_spec(spec)
    if not 0 <= discount_pct <= 100 or not 0 <= discount_amount <= MAX_AMOUNT:
        raise DomainError(ErrorCode.BAD_AMOUNT, value=str(discount_pct or discount_amount))
    lines = [line for spec in items for line in await _lines_for(spec)]
    typed = any(spec.amount is not None for spec in items)
    listed = sum(line.list_price * max(1, line.quantity) for line in lines)
    subtotal = sum(line.amount for line in lines)
    if (typed and subtotal != listed) or discount_pct or discount_amount:
        if not can_override_price(actor, get_settings().price_override):
            raise DomainError(ErrorCode.PRICE_OVERRIDE, listed=vnd(listed))
    discount = min(subtotal, discount_amount + subtotal * discount_pct // 100)
    total = subtotal - discount
    if discount:
        _spread(lines, total)
    return lines, subtotal, discount, total


def _spread(lines: list[OrderLine], total: int) -> None:
    """Set the lines' amounts to add up to `total`, in proportion to their list amounts."""
    listed = sum(line.amount for line in lines) or 1
    given = 0
    for n, line in enumerate(lines):
        share = total - given if n == len(lines) - 1 else total * line.amount // listed
        given += share
        line.amount = share
        line.unit_price = share // max(1, line.quantity)


async def create_order(
    actor: Actor,
    *,
    lead_id: int,
    items: list[OrderItemSpec],
    discount_pct: int = 0,
    discount_amount: int = 0,
    note: str | None = None,
    confirm: bool = True,
    opportunity_id: int | None = None,
) -> Order:
    """A new order for a customer the actor can see (front desk: any of their branch). It closes
    `opportunity_id` when given (a deal of this customer, checked by order_deals.link_order),
    else the customer's one open deal if there is exactly one (profit by opportunity, #32)."""
    lines, subtotal, discount, total = await _priced(actor, items, discount_pct, discount_amount)
    today = clock.today()
    async with in_transaction():
        lead = await Lead.get_or_none(id=lead_id)
        if lead is None or not can_see(actor, lead):
            raise DomainError(ErrorCode.NOT_FOUND)
        if confirm and lead.contact_id is None:
            await _convert(lead)  # before the order, so the order carries the new contact
        number, _ = await next_number("order", today.year)
        deal_id = None if opportunity_id is not None else await deal_for_new_order(lead.id)
        order = await Order.create(
            number=number, code=order_code(number), order_date=today,
            site_branch_id=actor.home_branch_id or lead.branch_id, lead_id=lead.id,
            contact_id=lead.contact_id, customer_name=lead.name, customer_phone=lead.phone,
            status="confirmed" if confirm else "draft", subtotal=subtotal, discount=discount,
            total=total, note=note, created_by_id=actor.user_id, opportunity_id=deal_id,
            **Ownership.of(lead).columns(),
        )  # fmt: skip
        if opportunity_id is not None:  # named by the user: the same checks as a later link
            order = await link_order(actor, order_id=order.id, deal_id=opportunity_id)
        for line in lines:
            line.order_id = order.id
        await OrderLine.bulk_create(lines)
        if confirm:
            await _on_confirmed(order, lead)
            await stock.take_sold(order.id, order.site_branch_id, actor.user_id)
    return order


WALK_IN_NAME = "Khách lẻ"


async def sell_walk_in(
    actor: Actor,
    *,
    items: list[OrderItemSpec],
    discount_pct: int = 0,
    discount_amount: int = 0,
    name: str | None = None,
) -> Order:
    """A sale at the counter to a customer who leaves no record ("khách lẻ", "khách vãng lai"):
    goods, or a service done there and then. No customer is created (a passer-by is no lead to
    follow); the order is the seller's own (their ownership columns) at their branch. A package
    or a course of sessions is followed per customer, so it is refused: the desk names her."""
    lines, subtotal, discount, total = await _priced(actor, items, discount_pct, discount_amount)
    for line in lines:
        if line.package_id is not None or line.sessions:
            raise DomainError(ErrorCode.WALK_IN_COURSE, item=line.name)
    branch = actor.home_branch_id or (actor.branch_ids[0] if actor.branch_ids else None)
    today = clock.today()
    async with in_transaction():
        number, _ = await next_number("order", today.year)
        order = await Order.create(
            number=number, code=order_code(number), order_date=today, site_branch_id=branch,
            lead_id=None, contact_id=None, customer_name=(name or "").strip() or WALK_IN_NAME,
            customer_phone=None, status="confirmed", subtotal=subtotal, discount=discount,
            total=total, created_by_id=actor.user_id, owner_id=actor.user_id,
            team_id=actor.team_id, branch_id=branch, region_id=actor.region_id,
        )  # fmt: skip
        for line in lines:
            line.order_id = order.id
        await OrderLine.bulk_create(lines)
        await stock.take_sold(order.id, order.site_branch_id, actor.user_id)
    return order


async def _on_confirmed(order: Order, lead: Lead) -> None:
    """A customer who buys is in service (converted to a contact on the way)."""
    from spacrm.core.services.courses import open_courses

    if lead.stage != "in_service" or lead.contact_id is None:
        if lead.contact_id is None:
            await _convert(lead)
            order.contact_id = lead.contact_id
            await order.save(update_fields=["contact_id"])
        lead.stage = "in_service"
        lead.version += 1
        await lead.save()
    if get_settings().course_on == "confirmed":
        await open_courses(order)


async def get_order(
    actor: Actor, *, order_id: int | None = None, number: str | None = None
) -> Order:
    """One order the actor may see, by id or by number ("hd2026-123" and "HD2026000123" too)."""
    qs = ops_scoped(Order, actor)
    if order_id is not None:
        order = await qs.get_or_none(id=order_id)
    elif number:
        order = await qs.get_or_none(code=normalize_number(number))
    else:
        order = None
    if order is None:
        raise DomainError(ErrorCode.NOT_FOUND)
    return order


def normalize_number(text: str) -> str:
    """The stored code of a typed order number: "hd2026-123" → "HD2026000123"."""
    from spacrm.core.services.bank_transfers import find_codes

    codes = find_codes(text)
    return codes[0] if len(codes) == 1 else order_code(text)


async def confirm_order(actor: Actor, *, order_id: int) -> Order:
    async with in_transaction():
        order = await ops_scoped(Order, actor).select_for_update().get_or_none(id=order_id)
        if order is None:
            raise DomainError(ErrorCode.NOT_FOUND)
        if order.status != "draft":
            raise DomainError(ErrorCode.ALREADY_DONE, number=order.number)
        order.status = "confirmed"
        order.version += 1
        await order.save(update_fields=["status", "version", "updated_at"])
        lead = await Lead.get_or_none(id=order.lead_id) if order.lead_id else None
        if lead is not None:
            await _on_confirmed(order, lead)
        await stock.take_sold(order.id, order.site_branch_id, actor.user_id)
    return order


async def cancel_order(
    actor: Actor, *, order_id: int, expected_version: int | None = None
) -> Order:
    """Cancel an order nothing was paid on yet (money received needs a refund voucher first)."""
    async with in_transaction():
        order = await ops_scoped(Order, actor).select_for_update().get_or_none(id=order_id)
        if order is None:
            raise DomainError(ErrorCode.NOT_FOUND)
        if expected_version is not None and order.version != expected_version:
            raise DomainError(ErrorCode.STALE)
        if order.status == "cancelled":
            raise DomainError(ErrorCode.ORDER_CANCELLED, number=order.number)
        if order.paid > 0:
            raise DomainError(
                ErrorCode.ORDER_HAS_PAYMENTS, number=order.number, paid=vnd(order.paid)
            )
        order.status = "cancelled"
        order.cancelled_at = clock.now()
        order.version += 1
        await order.save(update_fields=["status", "cancelled_at", "version", "updated_at"])
        from spacrm.core.models import Course

        await Course.filter(order_id=order.id).update(status="cancelled")
        await stock.return_sold(order.id, actor.user_id)
        await sales_commission.sync(order, day=clock.today())  # reverses any seller's share
    return order


async def order_view(actor: Actor, order_id: int) -> OrderView:
    order = await get_order(actor, order_id=order_id)
    lines = await OrderLine.filter(order_id=order.id).order_by("id")
    receipts = (
        await Voucher.filter(order_id=order.id, kind="receipt", status="done").order_by("id")
        if order.paid
        else []
    )
    branch = await Branch.get_or_none(id=order.site_branch_id) if order.site_branch_id else None
    from spacrm.core.models import User

    seller = await User.get_or_none(id=order.owner_id)
    return OrderView(
        id=order.id, number=order.number, code=order.code, date=order.order_date,
        branch_name=branch.name if branch else "", customer_name=order.customer_name,
        customer_phone=order.customer_phone,
        lines=tuple(LineView(ln.name, ln.quantity, ln.unit_price, ln.amount, ln.sessions)
                    for ln in lines),
        subtotal=order.subtotal, discount=order.discount, total=order.total, paid=order.paid,
        outstanding=max(0, order.total - order.paid) if order.status != "cancelled" else 0,
        status=order.status,
        payments=tuple(PaymentView(v.number, v.method, v.amount, v.voucher_date) for v in receipts),
        seller_name=seller.full_name if seller else "", version=order.version,
    )  # fmt: skip


async def search_orders(
    actor: Actor,
    *,
    number: str | None = None,
    lead_id: int | None = None,
    status: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    limit: int = 10,
    statuses: Sequence[str] | None = None,
) -> list[Order]:
    """Orders by number, customer, status (or any of `statuses`) and date range, newest first."""
    qs = ops_scoped(Order, actor)
    if statuses:
        qs = qs.filter(status__in=list(statuses))
    if number:
        qs = qs.filter(code=normalize_number(number))
    if lead_id is not None:
        qs = qs.filter(lead_id=lead_id)
    if status:
        qs = qs.filter(status=status)
    if date_from:
        qs = qs.filter(order_date__gte=date_from)
    if date_to:
        qs = qs.filter(order_date__lte=date_to)
    return await qs.order_by("-order_date", "-id").limit(limit)
