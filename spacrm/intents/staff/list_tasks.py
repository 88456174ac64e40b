"""list_tasks: "việc cần làm hôm nay" — the calls, meetings and emails planned for the day in the
actor's scope, OVERDUE ones first (they stay until done or moved), each with buttons to mark it
done or move it to tomorrow."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from spacrm.core import clock
from spacrm.core.services.activities import (
    Task,
    complete_planned,
    list_tasks,
    move_planned_to_day,
)
from spacrm.intents import format as fmt
from spacrm.intents.chat import Button, Reply
from spacrm.intents.context import Ctx
from spacrm.intents.staff.undo import undo_button

SHOWN = 8  # one screen; the rest are counted
_KINDS = {"call": ("call",), "meeting": ("meeting",), "email": ("email", "quote_email")}


def _line(ctx: Ctx, task: Task) -> str:
    act = task.activity
    due = fmt.when(act.due_at, ctx.lang) if act.due_at else ""
    mark = "⏰" if task.overdue else "•"
    late = f" ({ctx.t('card.overdue')})" if task.overdue else ""
    return f"{mark} {due} · {fmt.kind(act.kind, ctx.lang)} · {task.lead_name}{late}"


async def page(
    ctx: Ctx,
    day: date | None,
    kinds: tuple[str, ...],
    *,
    edit: bool = False,
    head: str | None = None,
) -> Reply:
    tasks = await list_tasks(ctx.actor, day=day, kinds=kinds, limit=SHOWN + 1)
    when = fmt.day(day or clock.today(), ctx.lang)
    lines = [head] if head else []
    if not tasks:
        lines.append(ctx.t("tasks.empty", day=when))
        return Reply("\n".join(lines), edit=edit)
    overdue = sum(1 for t in tasks if t.overdue)
    lines.append(ctx.t("tasks.head", day=when, n=len(tasks[:SHOWN]), late=overdue))
    buttons = []
    for task in tasks[:SHOWN]:
        lines.append(_line(ctx, task))
        act_id = task.activity.id
        buttons.append([
            Button(f"✅ {task.lead_name[:24]}", f"td:{act_id}"),
            Button(ctx.t("btn.tomorrow"), f"tm:{act_id}"),
        ])  # fmt: skip
    if len(tasks) > SHOWN:
        lines.append(ctx.t("tasks.more"))
    return Reply("\n".join(lines), buttons, edit=edit)


async def run(ctx: Ctx, slots: dict[str, Any]) -> list[Reply]:
    ctx.done()
    day = date.fromisoformat(slots["date"]) if slots.get("date") else None
    kinds = _KINDS.get(str(slots.get("kind") or ""), ())
    return [await page(ctx, day, kinds)]


async def mark_done(ctx: Ctx, args: list[str]) -> list[Reply]:
    act = await complete_planned(ctx.actor, activity_id=int(args[0]))
    ctx.changed("task_done", activity_id=act.id, lead_id=act.lead_id)
    toast = ctx.t("ok.task_done")
    reply = await page(ctx, None, (), edit=True, head=toast)
    reply.toast = toast
    reply.buttons.append([undo_button(ctx)])
    return [reply]


async def to_tomorrow(ctx: Ctx, args: list[str]) -> list[Reply]:
    """The same time, tomorrow."""
    act_id = int(args[0])
    tomorrow = clock.today() + timedelta(days=1)
    old, due = await move_planned_to_day(ctx.actor, activity_id=act_id, day=tomorrow)
    ctx.changed("task_moved", activity_id=act_id, due_at=old.isoformat())
    toast = ctx.t("ok.task_moved", when=fmt.when(due, ctx.lang))
    reply = await page(ctx, None, (), edit=True, head=toast)
    reply.toast = toast
    reply.buttons.append([undo_button(ctx)])
    return [reply]
