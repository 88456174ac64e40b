"""show_course: "liệu trình chị Lan còn mấy buổi" — sessions left, expiry and status per course."""

from __future__ import annotations

from typing import Any

from spacrm.core.services.courses import courses_of
from spacrm.intents import format as fmt
from spacrm.intents.chat import Button, Reply
from spacrm.intents.context import Ctx
from spacrm.intents.staff.course_technician import course_buttons, technician_names
from spacrm.intents.staff.resolve import resolve_lead


async def run(ctx: Ctx, slots: dict[str, Any]) -> list[Reply]:
    found = await resolve_lead(ctx, "show_course", slots)
    if isinstance(found, list):
        return found
    ctx.done()
    ctx.state["focus"] = found.id
    service = str(slots["service"]) if slots.get("service") else None
    courses = await courses_of(ctx.actor, lead_id=found.id, service=service)
    if not courses:
        return [Reply(ctx.t("course.none", name=found.name))]
    lines = [ctx.t("course.title", name=found.name)]
    names = await technician_names(courses)
    for c in courses:
        expires = fmt.day(c.expires_on, ctx.lang, weekday=False) if c.expires_on else "—"
        lines.append(ctx.t("course.line", service=c.name, left=c.sessions_left,
                           total=c.sessions_total, expires=expires,
                           status=ctx.t(f"course.status.{c.status}")))  # fmt: skip
        if c.technician_id and c.technician_id in names:
            lines[-1] += ctx.t("course.technician", name=names[c.technician_id])
    # A manager may move what is left to another customer (#9).
    buttons = [
        [Button(ctx.t("btn.transfer_course", course=c.name), f"tf:{c.id}")]
        for c in courses
        if ctx.actor.is_manager and c.status == "active" and c.sessions_left > 0
    ][:5]
    return [Reply("\n".join(lines), course_buttons(ctx, courses) + buttons)]
