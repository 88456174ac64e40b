"""order_task (#30): "ghi công đơn HD2026-000012 tư vấn Hoa 5%" — work someone did on an order,
the day and the commission it earned (a % of the order's total, or an amount), which payroll adds
to that person's month. From the order card, "🧾 Ghi công" asks for the same words without the
order number (payload "ow:<order id>")."""

from __future__ import annotations

from typing import Any

from spacrm.core.services import hr, orders
from spacrm.intents import format as fmt
from spacrm.intents.chat import Reply
from spacrm.intents.context import Ctx


async def run(ctx: Ctx, slots: dict[str, Any]) -> list[Reply]:
    number = str(slots.get("order") or "")
    if not number:
        return [Reply(ctx.t("err.order_task_order"))]
    name = str(slots.get("employee") or "").strip()
    if not name:
        return [Reply(ctx.t("err.order_task_person"))]
    pct = slots.get("pct")
    bp = round(float(pct) * 100) if pct is not None else None
    task = await hr.record_order_task(
        ctx.actor, order_number=number, name=name, details=str(slots.get("details") or "").strip()
        or "-", commission=int(slots.get("amount") or 0), commission_bp=bp,
    )  # fmt: skip
    person = await hr.person_name(task.user_id)
    shown = f" ({bp / 100:g}%)".replace(".", ",") if bp is not None else ""
    text = ctx.t("ok.order_task", number=number, details=task.details, name=person,
                 day=task.day.strftime("%d/%m/%Y"), amount=fmt.money(task.commission), pct=shown)  # fmt: skip
    return [Reply(text)]


async def pressed(ctx: Ctx, args: list[str]) -> list[Reply]:
    """The order card's "Ghi công": ask for the work, the person and the commission."""
    view = await orders.order_view(ctx.actor, int(args[0]))
    return ctx.ask("order_task", {"order": view.number}, "order_task",
                   ctx.t("ask.order_task", number=view.number))  # fmt: skip
