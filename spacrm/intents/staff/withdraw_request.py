"""Withdrawing one's own request: "hủy đơn nghỉ phép thứ 6", "rút tăng ca chủ nhật" (the request
intents with the `withdraw` slot). One match is withdrawn and the approver told; several are
offered as buttons ("lv:w:<id>", "ov:w:<id>"); none says so."""

from __future__ import annotations

from datetime import date
from typing import Any

from spacrm.core.models import LeaveRequest, OvertimeEntry
from spacrm.core.services import hr, users
from spacrm.intents.chat import Button, Reply
from spacrm.intents.context import Ctx


def _day(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def _span(req: LeaveRequest) -> str:
    span = req.day_from.strftime("%d/%m/%Y")
    if req.day_to != req.day_from:
        span += " – " + req.day_to.strftime("%d/%m/%Y")
    return span


async def run(ctx: Ctx, slots: dict[str, Any], *, overtime: bool) -> list[Reply]:
    found = await hr.own_open(ctx.actor, overtime=overtime, day=_day(slots.get("date")))
    if not found:
        return [Reply(ctx.t("err.no_open_request"))]
    if len(found) == 1:
        return await withdraw(ctx, found[0].id, overtime=overtime)
    rows = []
    for r in found[:8]:
        if isinstance(r, OvertimeEntry):
            label = f"↩️ {r.day:%d/%m} {hr.hours_text(r.minutes)}h"
            rows.append([Button(label, f"ov:w:{r.id}")])
        else:
            label = f"↩️ {_span(r)} ({ctx.t(f'leave.{r.part}')})"
            rows.append([Button(label, f"lv:w:{r.id}")])
    return [Reply(ctx.t("ask.pick_withdraw"), rows)]


async def withdraw(ctx: Ctx, row_id: int, *, overtime: bool, edit: bool = False) -> list[Reply]:
    if overtime:
        entry = await hr.withdraw_overtime(ctx.actor, entry_id=row_id)
        told = entry.approver_id
        text = ctx.t("ok.overtime_withdrawn", hours=hr.hours_text(entry.minutes),
                     day=entry.day.strftime("%d/%m/%Y"))  # fmt: skip
    else:
        req = await hr.withdraw_leave(ctx.actor, request_id=row_id)
        told = req.decided_by_id or req.approver_id
        text = ctx.t("ok.leave_withdrawn", span=_span(req), part=ctx.t(f"leave.{req.part}"))
    if told:
        name = (await users.user_names_langs([told])).get(told, ("", ""))[0]
        text += "\n" + ctx.t("ok.approver_told", name=name)
    return [Reply(text, edit=edit, toast=text if edit else None)]
