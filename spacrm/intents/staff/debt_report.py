"""debt_report (#32): `công nợ`, `khách còn nợ tháng 10` — customers with unpaid orders in the
asker's scope, largest debt first, as text plus the whole list as an xlsx file."""

from __future__ import annotations

from typing import Any

from spacrm.core import clock
from spacrm.core.services.profit import debts
from spacrm.core.services.reports import check_period, parse_period, scope_of
from spacrm.intents import format as fmt
from spacrm.intents.chat import Reply
from spacrm.intents.context import Ctx
from spacrm.intents.staff.export_report import XLSX, build
from spacrm.intents.staff.report_labels import scope_label

SHOWN = 10


async def run(ctx: Ctx, slots: dict[str, Any]) -> list[Reply]:
    ctx.done()
    ctx.intent = "debt_report"
    period = parse_period(slots.get("period"))
    check_period(period)
    as_of = min(period.last, clock.today())  # "công nợ" alone: as of today
    found = await debts(ctx.actor, as_of=as_of)
    scope = scope_label(ctx, await scope_of(ctx.actor))
    day = fmt.day(as_of, ctx.lang, weekday=False)
    if not found:
        return [Reply(ctx.t("debt.none", scope=scope, day=day))]
    total = sum(d.outstanding for d in found)
    out = [ctx.t("debt.head", scope=scope, day=day, n=len(found), total=fmt.money(total))]
    for d in found[:SHOWN]:
        out.append(ctx.t(
            "debt.line", name=d.customer, phone=fmt.phone(d.phone) if d.phone else "—",
            owed=fmt.money(d.outstanding), orders=d.orders,
            since=fmt.day(d.oldest, ctx.lang, weekday=False),
        ))  # fmt: skip
    if len(found) > SHOWN:
        out.append(ctx.t("debt.more", n=len(found) - SHOWN))
    name, data, _ = await build(ctx, "debts", slots.get("period"))
    return [Reply("\n".join(out), files=[(name, data, XLSX)])]
