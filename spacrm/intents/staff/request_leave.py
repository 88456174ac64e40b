"""request_leave: "xin nghỉ không lương chiều mai", "đăng ký nghỉ 2 ngày 10/12 và 11/12 vì về quê".

The request goes to the approver (chat buttons and email, see core/services/hr.py); the reply
shows the paid-leave balance left and names appointments the leave clashes with."""

from __future__ import annotations

from datetime import date
from typing import Any

from spacrm.core import clock
from spacrm.core.services import hr
from spacrm.intents.chat import Reply
from spacrm.intents.context import Ctx
from spacrm.intents.staff import withdraw_request


def _day(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


async def run(ctx: Ctx, slots: dict[str, Any]) -> list[Reply]:
    if slots.get("withdraw"):
        return await withdraw_request.run(ctx, slots, overtime=False)
    other = await hr.colleague_named(ctx.actor, ctx.named, ctx.subject)
    if other is not None:
        return [Reply(ctx.t("ask.leave_other", name=other))]
    day_from = _day(slots.get("date"))
    if day_from is None:
        return [Reply(ctx.t("ask.leave_date"))]
    part = slots.get("part") or "full"
    outcome = await hr.request_leave(
        ctx.actor, day_from=day_from, day_to=_day(slots.get("date_to")), part=part,
        paid=slots.get("paid", True) is not False, reason=str(slots.get("reason") or ""),
    )  # fmt: skip
    req = outcome.request
    span = req.day_from.strftime("%d/%m/%Y")
    if req.day_to != req.day_from:
        span += " – " + req.day_to.strftime("%d/%m/%Y")
    lines = [
        ctx.t("ok.leave_sent", span=span, part=ctx.t(f"leave.{req.part}"),
              days=hr.days_text(req.halves), paid=ctx.t("leave.paid" if req.paid else "leave.unpaid"),
              approver=outcome.approver_name or ctx.t("leave.nobody")),
        ctx.t("ok.leave_left", left=hr.days_text(outcome.left_halves)),
    ]  # fmt: skip
    if outcome.clashes:
        lines.append(ctx.t("warn.leave_clash", appts="; ".join(
            f"{clock.local(c.starts_at):%d/%m %H:%M} {c.customer_name} ({c.service_name})"
            for c in outcome.clashes)))  # fmt: skip
    return [Reply("\n".join(lines))]
