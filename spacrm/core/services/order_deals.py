"""An order's opportunity (#32: profit by opportunity). An order closes at most one deal of its
own customer; the link is never guessed between two candidates.

- At creation, `deal_for_new_order` links the customer's one open deal (not won, not lost);
  none or several open: the order stays unlinked.
- Later, `link_order` links a deal named or pressed by the user: it must be a deal of the same
  customer (the lead), not lost, and the order one the user may act on.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tortoise.transactions import in_transaction

from spacrm.core.actors import Actor
from spacrm.core.errors import DomainError, ErrorCode
from spacrm.core.models import Opportunity, Order
from spacrm.core.permissions import ops_scoped
from spacrm.core.textnorm import fold

CLOSED = ("won", "lost")
MAX_CHOICES = 5


@dataclass(frozen=True, slots=True)
class DealChoice:
    id: int
    name: str
    stage: str
    amount: int


async def deal_for_new_order(lead_id: int) -> int | None:
    """The customer's only open deal, or None when there is none or more than one."""
    ids: list[Any] = list(
        await Opportunity.filter(lead_id=lead_id)
        .exclude(stage__in=CLOSED)
        .limit(2)
        .values_list("id", flat=True)
    )
    return int(ids[0]) if len(ids) == 1 else None


async def deal_choices(order: Order) -> list[DealChoice]:
    """The deals an order may be linked to: its customer's, not lost, open ones first."""
    if order.lead_id is None:
        return []
    deals = await Opportunity.filter(lead_id=order.lead_id).exclude(stage="lost").order_by("-id")
    deals.sort(key=lambda d: d.stage == "won")  # stable: open deals first, newest first
    return [DealChoice(d.id, d.name, d.stage, d.amount) for d in deals[:MAX_CHOICES]]


async def deal_name(order: Order) -> str | None:
    if order.opportunity_id is None:
        return None
    name = await Opportunity.filter(id=order.opportunity_id).values_list("name", flat=True)
    return str(name[0]) if name else None


async def find_deals(order: Order, name: str) -> list[DealChoice]:
    """The order's candidate deals whose name holds `name` (diacritics and case ignored); an
    exact name wins over partial matches."""
    key = fold(name)
    choices = await deal_choices(order)
    exact = [c for c in choices if fold(c.name) == key]
    return exact or [c for c in choices if key and key in fold(c.name)]


async def link_order(actor: Actor, *, order_id: int, deal_id: int) -> Order:
    """Link an order the actor may act on to a deal of the same customer (not lost); linking
    it again to the same deal changes nothing."""
    async with in_transaction():
        order = await ops_scoped(Order, actor).select_for_update().get_or_none(id=order_id)
        if order is None:
            raise DomainError(ErrorCode.NOT_FOUND)
        if order.status == "cancelled":
            raise DomainError(ErrorCode.DEAL_LINK_REFUSED, number=order.number)
        deal = await Opportunity.get_or_none(id=deal_id)
        # Another customer's deal (or a made-up id) reads as not found: never a wrong link.
        if deal is None or order.lead_id is None or deal.lead_id != order.lead_id:
            raise DomainError(ErrorCode.NOT_FOUND)
        if deal.stage == "lost":
            raise DomainError(ErrorCode.DEAL_LINK_REFUSED, number=order.number)
        if order.opportunity_id != deal.id:
            order.opportunity_id = deal.id
            order.version += 1
            await order.save(update_fields=["opportunity_id", "version", "updated_at"])
    return order


@dataclass(frozen=True, slots=True)
class OrderDeal:
    """What the order card shows: the linked deal's name, else the deals it could be linked to."""

    order_id: int
    number: str
    linked: str | None
    choices: list[DealChoice]


async def order_deal(actor: Actor, order_id: int) -> OrderDeal:
    order = await ops_scoped(Order, actor).get_or_none(id=order_id)
    if order is None:
        raise DomainError(ErrorCode.NOT_FOUND)
    linked = await deal_name(order)
    choices = [] if linked is not None or order.status == "cancelled" else await deal_choices(order)
    return OrderDeal(order.id, order.number, linked, choices)
