"""transfer_course: a manager moves a course's remaining sessions to another customer — the
"↪️ Chuyển buổi" button under `liệu trình chị Lan` asks to whom (a name or a phone), then how
many (buttons: all that is left, or a part).

Typed: "chuyển 2 buổi triệt lông của chị Lan sang chị Mai". The giver, then the receiver, is
resolved like every write (an unknown or ambiguous name is asked, never guessed); the giver's
course with sessions left (of the service, when named) is used, several are offered as buttons;
then the same steps as the button."""

from __future__ import annotations

from typing import Any

from spacrm.core.errors import DomainError, ErrorCode
from spacrm.core.services.courses import courses_of, get_course, transfer_sessions
from spacrm.core.services.leads import leads_by_ids
from spacrm.intents import format as fmt
from spacrm.intents.chat import Button, Reply
from spacrm.intents.context import Ctx
from spacrm.intents.staff.resolve import resolve_lead

INTENT = "transfer_course"


async def run(ctx: Ctx, slots: dict[str, Any]) -> list[Reply]:
    if "course_id" not in slots:
        return await typed(ctx, slots)
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


_GIVER = ("lead_id", "customer", "phone", "email", "tax_code")


async def typed(ctx: Ctx, slots: dict[str, Any]) -> list[Reply]:
    """The typed request: the giver (slots customer / phone, or `from_lead_id` once known), the
    receiver (to_customer / to_phone, asked under customer / phone once the giver is known)."""
    if not ctx.actor.is_manager:  # refused before any customer is looked up
        ctx.done()
        raise DomainError(ErrorCode.FORBIDDEN)
    if "from_lead_id" not in slots:
        giver = await resolve_lead(ctx, INTENT, slots)
        if isinstance(giver, list):
            return giver
        rest = {k: v for k, v in slots.items() if k not in _GIVER and not k.startswith("to_")}
        rest["from_lead_id"] = giver.id
        if slots.get("to_customer"):
            rest["customer"] = slots["to_customer"]
        if slots.get("to_phone"):
            rest["phone"] = slots["to_phone"]
        slots = rest
    found = await leads_by_ids(ctx.actor, [int(slots["from_lead_id"])])
    if not found:
        ctx.done()
        raise DomainError(ErrorCode.NOT_FOUND)
    giver = found[0]
    courses = await courses_of(ctx.actor, lead_id=giver.id, service=slots.get("service"),
                               active_only=True)  # fmt: skip
    courses = [c for c in courses if c.sessions_left > 0]
    if not courses:
        ctx.done()
        return [Reply(ctx.t("err.transfer_no_course", name=giver.name))]
    if not any(slots.get(k) for k in ("lead_id", "customer", "phone")):
        return ctx.ask(INTENT, slots, "customer", ctx.t("ask.transfer_receiver", name=giver.name))
    receiver = await resolve_lead(ctx, INTENT, slots)
    if isinstance(receiver, list):
        return receiver
    ctx.done()
    ctx.set_focus(giver.id)  # "chị ấy" next is still the giver, whose course changed
    count = int(slots["sessions"]) if slots.get("sessions") else None
    if len(courses) == 1:
        return await run(ctx, _chosen(courses[0].id, receiver.id, count))
    buttons = [
        [Button(ctx.t("course.line", service=c.name, left=c.sessions_left, total=c.sessions_total,
                      expires=fmt.day(c.expires_on, ctx.lang, weekday=False) if c.expires_on
                      else "—", status=ctx.t(f"course.status.{c.status}")),
                f"tc:{c.id}:{receiver.id}:{count or 0}")]
        for c in courses[:5]
    ]  # fmt: skip
    buttons.append([ctx.cancel_button()])
    return [Reply(ctx.t("ask.transfer_which_course", name=giver.name), buttons)]


def _chosen(course_id: int, lead_id: int, count: int | None) -> dict[str, Any]:
    chosen: dict[str, Any] = {"course_id": course_id, "lead_id": lead_id}
    if count:
        chosen["sessions"] = count
    return chosen


async def press_course(ctx: Ctx, args: list[str]) -> list[Reply]:
    """Which of the giver's courses: "tc:<course>:<receiver>:<count, 0 = ask>"."""
    ctx.done()
    course_id, lead_id, count = (int(a) for a in args[:3])
    return await run(ctx, _chosen(course_id, lead_id, count or None))
