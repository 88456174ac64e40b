"""Stock (#34): a warehouse per branch, a ledger of moves, on-hand as the ledger's sum.

A move that would take a (product, warehouse) below zero is refused unless the setting
`stock_allow_negative` says otherwise; the warehouse row is locked first so two issues of the
last box cannot both pass the check on PostgreSQL.
"""

from __future__ import annotations

from dataclasses import dataclass

from tortoise.functions import Sum
from tortoise.transactions import in_transaction

from spacrm.core.actors import Actor
from spacrm.core.errors import DomainError, ErrorCode
from spacrm.core.models import Branch, CatalogItem, StockMove, StockThreshold, User, Warehouse
from spacrm.core.ports import ports
from spacrm.core.services import outbox
from spacrm.core.services.channels import staff_route
from spacrm.core.services.locks import lock_warehouse
from spacrm.core.settings import get_settings

MILLI = 1000
PRODUCT_KINDS = ("goods", "consumable")


@dataclass(frozen=True, slots=True)
class OnHand:
    branch_id: int
    branch_name: str
    product_id: int
    product_name: str
    unit: str
    qty_milli: int

    @property
    def quantity(self) -> float:
        return self.qty_milli / MILLI


def to_milli(quantity: float) -> int:
    return round(quantity * MILLI)


async def warehouse_of(branch_id: int) -> Warehouse:
    found = await Warehouse.get_or_none(branch_id=branch_id)
    if found is not None:
        return found
    branch = await Branch.get_or_none(id=branch_id)
    if branch is None:
        raise DomainError(ErrorCode.NOT_FOUND)
    await Warehouse.get_or_create(branch_id=branch_id, defaults={"name": f"Kho {branch.name}"})
    return await Warehouse.get(branch_id=branch_id)


async def on_hand_milli(product_id: int, warehouse_id: int) -> int:
    row = (
        await StockMove.filter(product_id=product_id, warehouse_id=warehouse_id)
        .annotate(total=Sum("qty_milli"))
        .first()
        .values("total")
    )
    return int(row["total"] or 0) if row else 0


async def _product(product_id: int) -> CatalogItem:
    item = await CatalogItem.get_or_none(id=product_id, kind__in=PRODUCT_KINDS)
    if item is None:
        raise DomainError(ErrorCode.NOT_FOUND)
    return item


async def record_move(
    *,
    product_id: int,
    warehouse: Warehouse,
    qty_milli: int,
    kind: str,
    actor_id: int | None,
    unit_cost: int | None = None,
    appointment_id: int | None = None,
    note: str = "",
    idem_key: str | None = None,
) -> StockMove:
    """Write one move inside the caller's transaction, checking the balance for an out-move."""
    if idem_key is not None:
        done = await StockMove.get_or_none(idem_key=idem_key)
        if done is not None:
            return done
    allow_negative = get_settings().stock_allow_negative
    threshold = await StockThreshold.get_or_none(product_id=product_id) if qty_milli < 0 else None
    left: int | None = None
    if qty_milli < 0 and (threshold is not None or not allow_negative):
        await lock_warehouse(warehouse.id)
        left = await on_hand_milli(product_id, warehouse.id)
        if left + qty_milli < 0 and not allow_negative:
            item = await CatalogItem.get(id=product_id)
            raise DomainError(
                ErrorCode.STOCK_NEGATIVE, product=item.name,
                left=_shown(left), unit=item.unit, wanted=_shown(-qty_milli),
            )  # fmt: skip
    move = await StockMove.create(
        product_id=product_id, warehouse_id=warehouse.id, qty_milli=qty_milli, kind=kind,
        unit_cost=unit_cost, appointment_id=appointment_id, note=note[:200],
        created_by_id=actor_id, idem_key=idem_key,
    )  # fmt: skip
    if threshold is not None and left is not None:
        if left >= threshold.min_qty_milli > left + qty_milli:  # crossed: warn once per crossing
            await _warn_low(product_id, warehouse, left + qty_milli)
    return move


async def _warn_low(product_id: int, warehouse: Warehouse, left: int) -> None:
    """Tell the branch's managers (director, team leads) in the move's transaction."""
    translate = ports.translate
    if translate is None:
        return
    item = await CatalogItem.get(id=product_id)
    branch = await Branch.get(id=warehouse.branch_id)
    managers = {u.id for u in await User.filter(branch_id=branch.id, active=True,
                                                role__in=("branch_director", "team_lead"))}  # fmt: skip
    if branch.director_id:
        managers.add(branch.director_id)
    for user_id in sorted(managers):
        route = await staff_route(user_id)
        user = await User.get_or_none(id=user_id)
        if route is None or user is None:
            continue
        text = translate(user.lang, "stock.low", product=item.name, branch=branch.name,
                         left=_shown(left), unit=item.unit)  # fmt: skip
        await outbox.enqueue(route[0], route[1], {"text": text, "buttons": []})


async def set_threshold(actor: Actor, *, product_id: int, minimum: float) -> None:
    """The on-hand under which a branch's managers are warned (0 removes the warning)."""
    if not actor.is_manager:
        raise DomainError(ErrorCode.FORBIDDEN)
    if minimum < 0:
        raise DomainError(ErrorCode.INVALID_VALUE, value=str(minimum))
    item = await _product(product_id)
    await StockThreshold.filter(product_id=item.id).delete()
    if minimum > 0:
        await StockThreshold.create(product_id=item.id, min_qty_milli=to_milli(minimum))


def _shown(qty_milli: int) -> str:
    value = qty_milli / MILLI
    return f"{value:g}".replace(".", ",")


def _may_manage(actor: Actor, branch_id: int) -> bool:
    if actor.sees_all or (
        actor.is_manager and (not actor.branch_ids or branch_id in actor.branch_ids)
    ):
        return True
    return actor.is_front_desk and actor.home_branch_id == branch_id


def may_manage(actor: Actor, branch_id: int) -> bool:
    """Who moves a branch's stock: its managers and its front desk (asked before a card)."""
    return _may_manage(actor, branch_id)


async def stock_in(
    actor: Actor,
    *,
    product_id: int,
    quantity: float,
    branch_id: int,
    unit_cost: int | None = None,
    note: str = "",
) -> OnHand:
    if quantity <= 0:
        raise DomainError(ErrorCode.INVALID_VALUE, value=str(quantity))
    if unit_cost is not None and unit_cost < 0:
        raise DomainError(ErrorCode.INVALID_VALUE, value=str(unit_cost))
    if not _may_manage(actor, branch_id):
        raise DomainError(ErrorCode.FORBIDDEN)
    item = await _product(product_id)
    async with in_transaction():
        warehouse = await warehouse_of(branch_id)
        await record_move(
            product_id=item.id, warehouse=warehouse, qty_milli=to_milli(quantity), kind="in",
            actor_id=actor.user_id, unit_cost=unit_cost, note=note,
        )  # fmt: skip
    return (await stock_query(actor, product_id=item.id, branch_id=branch_id))[0]


async def issue_stock(
    actor: Actor,
    *,
    product_id: int,
    quantity: float,
    branch_id: int,
    reason: str,
    idem_key: str | None = None,
) -> OnHand:
    """A manual issue (damaged, used for training…): the reason is required."""
    if quantity <= 0:
        raise DomainError(ErrorCode.INVALID_VALUE, value=str(quantity))
    if not reason.strip():
        raise DomainError(ErrorCode.INVALID_VALUE, value="")
    if not _may_manage(actor, branch_id):
        raise DomainError(ErrorCode.FORBIDDEN)
    item = await _product(product_id)
    async with in_transaction():
        warehouse = await warehouse_of(branch_id)
        await record_move(
            product_id=item.id, warehouse=warehouse, qty_milli=-to_milli(quantity), kind="issue",
            actor_id=actor.user_id, note=reason, idem_key=idem_key,
        )  # fmt: skip
    return (await stock_query(actor, product_id=item.id, branch_id=branch_id))[0]


async def transfer_stock(
    actor: Actor,
    *,
    product_id: int,
    quantity: float,
    from_branch_id: int,
    to_branch_id: int,
    idem_key: str | None = None,
) -> None:
    """Out of one branch's warehouse into another's; a key makes a repeated call a no-op."""
    if from_branch_id == to_branch_id:
        raise DomainError(ErrorCode.SAME_WAREHOUSE)
    if quantity <= 0:
        raise DomainError(ErrorCode.INVALID_VALUE, value=str(quantity))
    if not _may_manage(actor, from_branch_id):
        raise DomainError(ErrorCode.FORBIDDEN)
    item = await _product(product_id)
    qty = to_milli(quantity)
    out_key, in_key = (f"{idem_key}:out", f"{idem_key}:in") if idem_key else (None, None)
    if out_key is not None and await StockMove.exists(idem_key=out_key):
        return
    async with in_transaction():
        source, target = await warehouse_of(from_branch_id), await warehouse_of(to_branch_id)
        await record_move(product_id=item.id, warehouse=source, qty_milli=-qty,
                          kind="transfer_out", actor_id=actor.user_id, note=f"→ {target.name}",
                          idem_key=out_key)  # fmt: skip
        await record_move(product_id=item.id, warehouse=target, qty_milli=qty,
                          kind="transfer_in", actor_id=actor.user_id, note=f"← {source.name}",
                          idem_key=in_key)  # fmt: skip


async def check_issue(actor: Actor, *, product_id: int, branch_id: int, quantity: float) -> OnHand:
    """The on-hand an issue or a transfer would take from, refused when it is not enough: asked
    before a confirmation card, so the user hears it before pressing (the write checks again)."""
    row = (await stock_query(actor, product_id=product_id, branch_id=branch_id))[0]
    wanted = to_milli(quantity)
    if row.qty_milli < wanted and not get_settings().stock_allow_negative:
        raise DomainError(
            ErrorCode.STOCK_NEGATIVE, product=f"{row.product_name} ({row.branch_name})",
            left=_shown(row.qty_milli), unit=row.unit, wanted=_shown(wanted),
        )  # fmt: skip
    return row


async def other_branches(branch_id: int) -> list[tuple[int, str]]:
    """(id, name) of the branches stock can be sent to from `branch_id`."""
    return [(b.id, b.name) for b in await Branch.exclude(id=branch_id).order_by("id")]


async def adjust_stock(
    actor: Actor, *, product_id: int, branch_id: int, counted: float, note: str = ""
) -> OnHand:
    """A stock count: one "adjust" move brings the ledger to the counted quantity."""
    if counted < 0:
        raise DomainError(ErrorCode.INVALID_VALUE, value=str(counted))
    if not _may_manage(actor, branch_id):
        raise DomainError(ErrorCode.FORBIDDEN)
    item = await _product(product_id)
    async with in_transaction():
        warehouse = await warehouse_of(branch_id)
        await lock_warehouse(warehouse.id)
        delta = to_milli(counted) - await on_hand_milli(item.id, warehouse.id)
        if delta:
            await StockMove.create(
                product_id=item.id, warehouse_id=warehouse.id, qty_milli=delta, kind="adjust",
                note=(note or "Kiểm kê")[:200], created_by_id=actor.user_id,
            )  # fmt: skip
    return (await stock_query(actor, product_id=item.id, branch_id=branch_id))[0]


async def stock_query(
    actor: Actor, *, product_id: int, branch_id: int | None = None
) -> list[OnHand]:
    """On-hand of a product per branch (one branch when given; else every branch with moves)."""
    item = await _product(product_id)
    if branch_id is not None:
        warehouses = [await warehouse_of(branch_id)]
    else:
        ids = (
            await StockMove.filter(product_id=item.id)
            .distinct()
            .values_list("warehouse_id", flat=True)
        )
        warehouses = await Warehouse.filter(id__in=list(ids)).order_by("branch_id")
    names = {b.id: b.name for b in await Branch.filter(id__in=[w.branch_id for w in warehouses])}
    rows = []
    for w in warehouses:
        left = await on_hand_milli(item.id, w.id)
        rows.append(
            OnHand(w.branch_id, names.get(w.branch_id, ""), item.id, item.name, item.unit, left)
        )
    return rows


@dataclass(frozen=True, slots=True)
class Shelf:
    """One product of a branch's stock overview, with its threshold (None: none set)."""

    on_hand: OnHand
    min_milli: int | None

    @property
    def low(self) -> bool:
        return is_low(self.on_hand.qty_milli, self.min_milli)


def is_low(left_milli: int, min_milli: int | None) -> bool:
    """Below zero, or under the product's threshold when it has one."""
    return left_milli < 0 or (min_milli is not None and left_milli < min_milli)


async def stock_overview(actor: Actor, *, branch_id: int) -> list[Shelf]:
    """Every product a branch has moved, with its on-hand: what is under its threshold (or below
    zero) first, then by name ("tồn kho chi nhánh Q1", "sắp hết hàng gì")."""
    warehouse = await warehouse_of(branch_id)
    branch = await Branch.get(id=branch_id)
    totals = (
        await StockMove.filter(warehouse_id=warehouse.id)
        .group_by("product_id")
        .annotate(total=Sum("qty_milli"))
        .values("product_id", "total")
    )
    ids = [int(t["product_id"]) for t in totals]
    items = {i.id: i for i in await CatalogItem.filter(id__in=ids)}
    minimums = {
        t.product_id: t.min_qty_milli for t in await StockThreshold.filter(product_id__in=ids)
    }
    shelves = []
    for t in totals:
        item = items.get(int(t["product_id"]))
        if item is not None:
            left = int(t["total"] or 0)
            on_hand = OnHand(branch_id, branch.name, item.id, item.name, item.unit, left)
            shelves.append(Shelf(on_hand, minimums.get(item.id)))
    return sorted(shelves, key=lambda s: (not s.low, s.on_hand.product_name))


async def find_branch(name: str) -> Branch | None:
    """A branch named in a message ("chi nhánh Gò Vấp", "Q1"): by code or folded name."""
    from spacrm.core.textnorm import fold

    key = fold(name).replace("chi nhanh", "").strip()
    if not key:
        return None
    for branch in await Branch.all().order_by("id"):
        if key in (fold(branch.code), fold(branch.name)) or key in fold(branch.name):
            return branch
    return None


# --- goods sold on an order (#9 point 1) ---
# A sale records what already left the shelf at the counter: it is never refused for stock (the
# setting `stock_allow_negative` governs issues and consumables); an on-hand that falls under the
# threshold or below zero is shown to the seller and the branch's managers are warned.


async def _sold_quantities(order_id: int) -> list[tuple[int, int, int]]:
    """(order line id, product id, quantity in milli) of the goods an order hands over."""
    from spacrm.core.models import OrderLine, PackageItem

    lines = await OrderLine.filter(order_id=order_id, kind="goods").order_by("id")
    out = []
    for line in lines:
        if line.item_id is None:
            continue
        per = 1
        if line.package_id is not None:  # a package line counts packages: times the part's qty
            part = await PackageItem.get_or_none(package_id=line.package_id, item_id=line.item_id)
            per = part.quantity if part is not None else 1
        out.append((line.id, line.item_id, to_milli(line.quantity * per)))
    return out


async def take_sold(order_id: int, branch_id: int | None, actor_id: int | None) -> None:
    """One "sale" move per goods line of a confirmed order, inside the caller's transaction
    (keyed by the line: confirming twice never takes twice)."""
    if branch_id is None:
        return
    sold = await _sold_quantities(order_id)
    if not sold:
        return
    warehouse = await warehouse_of(branch_id)
    await lock_warehouse(warehouse.id)
    for line_id, product_id, qty in sold:
        if await StockMove.exists(idem_key=f"sale:{line_id}"):
            continue
        before = await on_hand_milli(product_id, warehouse.id)
        await StockMove.create(
            product_id=product_id, warehouse_id=warehouse.id, qty_milli=-qty, kind="sale",
            note=f"Đơn #{order_id}", created_by_id=actor_id, idem_key=f"sale:{line_id}",
        )  # fmt: skip
        threshold = await StockThreshold.get_or_none(product_id=product_id)
        floor = threshold.min_qty_milli if threshold is not None else 0
        if before >= floor > before - qty or (threshold is None and before >= 0 > before - qty):
            await _warn_low(product_id, warehouse, before - qty)


async def return_sold(order_id: int, actor_id: int | None) -> None:
    """A cancelled order puts its goods back: one reversing move per sale move (once)."""
    from spacrm.core.models import OrderLine

    line_ids = await OrderLine.filter(order_id=order_id, kind="goods").values_list("id", flat=True)
    sales = await StockMove.filter(idem_key__in=[f"sale:{i}" for i in line_ids]).order_by("id")
    for sale in sales:
        await StockMove.get_or_create(
            idem_key=f"unsale:{str(sale.idem_key)[5:]}",
            defaults={"product_id": sale.product_id, "warehouse_id": sale.warehouse_id,
                      "qty_milli": -sale.qty_milli, "kind": "sale_return",
                      "note": f"Hủy đơn #{order_id}", "created_by_id": actor_id},
        )  # fmt: skip


async def low_after_sale(order_id: int) -> list[OnHand]:
    """The goods of an order whose on-hand is now under their threshold or below zero."""
    from spacrm.core.models import OrderLine

    line_ids = await OrderLine.filter(order_id=order_id, kind="goods").values_list("id", flat=True)
    sales = await StockMove.filter(idem_key__in=[f"sale:{i}" for i in line_ids]).order_by("id")
    out: list[OnHand] = []
    seen: set[tuple[int, int]] = set()
    for sale in sales:
        key = (sale.product_id, sale.warehouse_id)
        if key in seen:
            continue
        seen.add(key)
        left = await on_hand_milli(sale.product_id, sale.warehouse_id)
        threshold = await StockThreshold.get_or_none(product_id=sale.product_id)
        if is_low(left, threshold.min_qty_milli if threshold is not None else None):
            item = await CatalogItem.get(id=sale.product_id)
            warehouse = await Warehouse.get(id=sale.warehouse_id)
            branch = await Branch.get_or_none(id=warehouse.branch_id)
            out.append(OnHand(warehouse.branch_id, branch.name if branch else "", item.id,
                              item.name, item.unit, left))  # fmt: skip
    return out


def shown(qty_milli: int) -> str:
    """A quantity as chat shows it ("0,05")."""
    return _shown(qty_milli)
