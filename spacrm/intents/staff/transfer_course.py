"""transfer_course: a manager moves a course's remaining sessions to another customer — the
"↪️ Chuyển buổi" button under `liệu trình chị Lan` asks to whom (a name or a phone), then how
many (buttons: all that is left, or a part)."""

from __future__ import annotations

from typing import Any

from spacrm.core.errors import DomainError, ErrorCode
from spacrm.core.services.courses import get_course, transfer_sessions
from spacrm.intents import format as fmt
from spacrm.intents.chat import Button, Reply
from spacrm.intents.context import Ctx
from spacrm.intents.staff.resolve import resolve_lead

INTENT = "transfer_course"


async def run(ctx: Ctx, slots: dict[str, Any]) -> list[Reply]:
    course_id = int(slots["course_id"])
    course = await get_course(ctx.actor, course_id)
    if not ctx.actor.is_manager:
        ctx.done()
        raise DomainError(ErrorCode.FORBIDDEN)
    if not any(slots.get(k) for k in ("lead_id", "customer", "phone")):
        question = ctx.t("ask.transfer_to", course=course.name, left=course.sessions_left,
                         name=course.customer_name)  # fmt: skip
        return ctx.ask(INTENT, slots, "customer", question)
    found_lead = await resolve_lead(ctx, INTENT, slots)
    if isinstance(found_lead, list):
        return found_lead
    ctx.done()
    if found_lead.id == course.lead_id:  # said before asking how many
        raise DomainError(ErrorCode.TRANSFER_SAME_CUSTOMER, name=found_lead.name)
    count = slots.get("sessions")
    if count is None and course.sessions_left > 1:
        left = course.sessions_left
        pay = f"cn:{course.id}:{found_lead.id}"
        parts = sorted({1, left // 2, left - 1} - {0})
        buttons = [[Button(ctx.t("btn.transfer_all", n=left), f"{pay}:{left}")],
                   [Button(str(n), f"{pay}:{n}") for n in parts]]  # fmt: skip
        question = ctx.t("ask.transfer_count", name=found_lead.name, course=course.name)
        return ctx.ask(INTENT, {"course_id": course.id}, "pick", question, buttons)
    done = await transfer_sessions(ctx.actor, course_id=course_id, to_lead_id=found_lead.id,
                                   sessions=int(count) if count is not None else None)  # fmt: skip
    src, dst = done.source, done.target
    expires = fmt.day(dst.expires_on, ctx.lang, weekday=False) if dst.expires_on else "—"
    text = ctx.t("ok.transferred", count=done.sessions, course=src.name,
                 giver=src.customer_name, receiver=dst.customer_name,
                 left=src.sessions_left, total=src.sessions_total, expires=expires)  # fmt: skip
    return [Reply(text)]


async def press_count(ctx: Ctx, args: list[str]) -> list[Reply]:
    """How many sessions: "cn:<course>:<lead>:<n>"."""
    ctx.done()
    course_id, lead_id, count = (int(a) for a in args[:3])
    return await run(ctx, {"course_id": course_id, "lead_id": lead_id, "sessions": count})


async def press(ctx: Ctx, args: list[str]) -> list[Reply]:
    """The course card's "↪️ Chuyển buổi" button."""
    return await run(ctx, {"course_id": int(args[0])})
