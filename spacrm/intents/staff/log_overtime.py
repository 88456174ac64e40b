"""log_overtime: "tăng ca tối nay 2 tiếng", "tăng ca chủ nhật 4h" — the rate comes from the kind
of day (dated rates); "đêm" marks night work. The Duyệt / Từ chối buttons are "ov:a|r:<id>"."""

from __future__ import annotations

from datetime import date
from typing import Any

from spacrm.core import clock
from spacrm.core.services import hr, users
from spacrm.core.textnorm import fold
from spacrm.intents.chat import Reply
from spacrm.intents.context import Ctx
from spacrm.intents.staff import withdraw_request


async def run(ctx: Ctx, slots: dict[str, Any]) -> list[Reply]:
    if slots.get("withdraw"):
        return await withdraw_request.run(ctx, slots, overtime=True)
    other = await hr.colleague_named(ctx.actor, ctx.named, ctx.subject)
    if other is not None:
        return [Reply(ctx.t("ask.overtime_other", name=other))]
    try:
        day = date.fromisoformat(str(slots["date"])) if slots.get("date") else clock.today()
    except ValueError:
        day = clock.today()
    hours = slots.get("hours")
    if hours is None:
        return [Reply(ctx.t("ask.overtime_hours"))]
    night = " dem" in " " + fold(ctx.event.text or "")
    entry = await hr.log_overtime(ctx.actor, day=day, hours=float(hours), night=night)
    approver = ""
    if entry.approver_id:
        approver = (await users.user_names_langs([entry.approver_id])).get(
            entry.approver_id, ("", "")
        )[0]
    text = ctx.t("ok.overtime_logged", hours=hr.hours_text(entry.minutes),
                 day=entry.day.strftime("%d/%m/%Y"), kind=ctx.t(f"ot.kind.{entry.day_kind}"),
                 pct=entry.rate_pct, approver=approver or ctx.t("leave.nobody"))  # fmt: skip
    return [Reply(text)]


async def pressed(ctx: Ctx, args: list[str]) -> list[Reply]:
    if args[0] == "w":
        return await withdraw_request.withdraw(ctx, int(args[1]), overtime=True, edit=True)
    return await decide(ctx, int(args[1]), approve=args[0] == "a", edit=True)


async def decide(ctx: Ctx, entry_id: int, *, approve: bool, edit: bool = False) -> list[Reply]:
    entry = await hr.decide_overtime(ctx.actor, entry_id=entry_id, approve=approve)
    name = (await users.user_names_langs([entry.user_id])).get(entry.user_id, ("", ""))[0]
    key = "ok.overtime_approved" if approve else "ok.overtime_rejected"
    text = ctx.t(key, name=name, hours=hr.hours_text(entry.minutes),
                 day=entry.day.strftime("%d/%m/%Y"))  # fmt: skip
    return [Reply(text, edit=edit, toast=text if edit else None)]
