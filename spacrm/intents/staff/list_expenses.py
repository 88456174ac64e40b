"""list_expenses: "xem phiếu chi hôm nay", "phiếu chi tháng này", "hôm qua chi bao nhiêu".

The payment vouchers the asker may see (the front desk: their branch; managers: their scope)
for a day (default today), a week or a month, with the total and the total per category.
"""

from __future__ import annotations

from typing import Any

from spacrm.core.services.expenses import expenses_between
from spacrm.core.services.reports import parse_period
from spacrm.intents import format as fmt
from spacrm.intents.chat import Reply
from spacrm.intents.context import Ctx

SHOWN = 20


def _period_label(ctx: Ctx, kind: str, first: Any, last: Any) -> str:
    if kind == "day":
        return fmt.day(first, ctx.lang, weekday=False)
    return f"{fmt.day(first, ctx.lang, weekday=False)} – {fmt.day(last, ctx.lang, weekday=False)}"


async def run(ctx: Ctx, slots: dict[str, Any]) -> list[Reply]:
    ctx.done()
    period = parse_period(str(slots["period"]) if slots.get("period") else None, default="day")
    found = await expenses_between(ctx.actor, period.first, period.last, limit=SHOWN)
    label = _period_label(ctx, period.kind, period.first, period.last)
    if not found.vouchers:
        return [Reply(ctx.t("expense.none", period=label))]
    lines = [ctx.t("expense.title", period=label, total=fmt.money(found.total))]
    for v in found.vouchers:
        lines.append(ctx.t(
            "expense.line", number=v.number, amount=fmt.money(v.amount), reason=v.name,
            category=ctx.t(f"expense.cat.{v.category or 'other'}"),
            method=ctx.t(f"method.{v.method}"),
        ) + (ctx.t("expense.cancelled") if v.status == "cancelled" else ""))  # fmt: skip
    if len(found.by_category) > 1:
        parts = [f"{ctx.t(f'expense.cat.{cat}')} {fmt.money(amount)}"
                 for cat, amount in sorted(found.by_category.items(), key=lambda kv: -kv[1])]  # fmt: skip
        lines.append(ctx.t("expense.by_category", parts=" · ".join(parts)))
    return [Reply("\n".join(lines))]
