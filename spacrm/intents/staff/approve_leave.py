"""approve_leave: "duyệt phép cho Hoa ngày mai", and the Duyệt / Từ chối buttons ("lv:a|r:<id>")
of the message the approver got. Several matching requests: one button each."""

from __future__ import annotations

from datetime import date
from typing import Any

from spacrm.core import clock
from spacrm.core.services import hr, users
from spacrm.core.textnorm import fold
from spacrm.intents.chat import Button, Reply
from spacrm.intents.context import Ctx
from spacrm.intents.staff import log_overtime, withdraw_request


async def run(ctx: Ctx, slots: dict[str, Any]) -> list[Reply]:
    name = fold(str(slots.get("employee") or "")).strip()
    try:
        day = date.fromisoformat(str(slots["date"])) if slots.get("date") else None
    except ValueError:
        day = None
    if slots.get("overtime"):
        return await _overtime(ctx, name, day)
    found = await hr.pending_leave(ctx.actor, name_key=name, day=day)
    if not found:
        return [Reply(ctx.t("err.no_pending_leave"))]
    if len(found) == 1 and name:  # without a name, one waiting request is still only offered
        return await decide(ctx, found[0].id, approve=True)
    names = await users.user_names_langs([r.user_id for r in found])
    rows = [
        [Button(f"✅ {names.get(r.user_id, ('?', ''))[0]} {r.day_from:%d/%m}", f"lv:a:{r.id}"),
         Button(ctx.t("btn.reject"), f"lv:r:{r.id}")]
        for r in found[:8]
    ]  # fmt: skip
    return [Reply(ctx.t("ask.pick_leave"), rows)]


async def _overtime(ctx: Ctx, name: str, day: date | None) -> list[Reply]:
    """ "duyệt tăng ca cho Hoa": one named match is approved, else each is offered as buttons."""
    found = await hr.pending_overtime(ctx.actor, name_key=name, day=day)
    if not found:
        return [Reply(ctx.t("err.no_pending_overtime"))]
    if len(found) == 1 and name:
        return await log_overtime.decide(ctx, found[0].id, approve=True)
    names = await users.user_names_langs([r.user_id for r in found])
    rows = [
        [Button(f"✅ {names.get(r.user_id, ('?', ''))[0]} {r.day:%d/%m} {hr.hours_text(r.minutes)}h",
                f"ov:a:{r.id}"),
         Button(ctx.t("btn.reject"), f"ov:r:{r.id}")]
        for r in found[:8]
    ]  # fmt: skip
    return [Reply(ctx.t("ask.pick_overtime"), rows)]


async def decide(ctx: Ctx, request_id: int, *, approve: bool, edit: bool = False) -> list[Reply]:
    decision = await hr.decide_leave_full(ctx.actor, request_id=request_id, approve=approve)
    req = decision.request
    name = (await users.user_names_langs([req.user_id])).get(req.user_id, ("", ""))[0]
    span = req.day_from.strftime("%d/%m/%Y")
    if req.day_to != req.day_from:
        span += " – " + req.day_to.strftime("%d/%m/%Y")
    key = "ok.leave_approved" if approve else "ok.leave_rejected"
    text = ctx.t(key, name=name, span=span, part=ctx.t(f"leave.{req.part}"))
    if decision.clashes:  # approved leave over booked appointments: say which, to move them
        text += "\n" + ctx.t("warn.leave_clash", appts="; ".join(
            f"{clock.local(c.starts_at):%d/%m %H:%M} {c.customer_name} ({c.service_name})"
            for c in decision.clashes))  # fmt: skip
    return [Reply(text, edit=edit, toast=text if edit else None)]


async def pressed(ctx: Ctx, args: list[str]) -> list[Reply]:
    if args[0] == "w":
        return await withdraw_request.withdraw(ctx, int(args[1]), overtime=False, edit=True)
    return await decide(ctx, int(args[1]), approve=args[0] == "a", edit=True)
