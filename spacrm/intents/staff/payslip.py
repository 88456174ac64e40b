"""payslip: "bảng lương tháng này của tôi" — one's own payslip, line by line (each with how it was
computed); "bảng lương tháng 11 của Hoa" for the board and payroll viewers only."""

from __future__ import annotations

from typing import Any

from spacrm.core import clock
from spacrm.core.services import payroll
from spacrm.intents import format as fmt
from spacrm.intents.chat import Reply
from spacrm.intents.context import Ctx


async def run(ctx: Ctx, slots: dict[str, Any]) -> list[Reply]:
    period = str(slots.get("period") or "")
    month = (
        period[:7] if len(period) >= 7 and "-W" not in period else clock.today().strftime("%Y-%m")
    )
    user_id = None
    name = str(slots.get("employee") or "").strip()
    if name and name.lower() not in ("tôi", "toi", "em", "mình", "minh", "me"):
        user_id = await payroll.user_named(name)
        if user_id is None:
            return [Reply(ctx.t("err.technician_not_found", name=name))]
    view = await payroll.payslip(ctx.actor, month=month, user_id=user_id)
    return [Reply(render(ctx, view))]


def render(ctx: Ctx, view: payroll.PayslipView) -> str:
    head = ctx.t("slip.title", name=view.user.full_name, month=f"{view.month[5:]}/{view.month[:4]}")
    rows = [head, ctx.t(f"slip.status.{view.status}")]
    for line in view.slip.lines:
        label = ctx.t(f"slip.{line.key}")
        rows.append(f"• {label}: {fmt.money(line.amount)} ({line.detail})")
    rows.append(ctx.t("slip.gross", amount=fmt.money(view.slip.gross)))
    rows.append(ctx.t("slip.net", amount=fmt.money(view.slip.net)))
    rows.append(ctx.t("slip.rounding"))
    return "\n".join(rows)
