"""A course's technician (#37) from chat: under "liệu trình chị Lan", "KTV · <course>" lists the
technicians of the course's branch; one press gives the course to them ("Bỏ KTV" takes it back).
Who may: the rule of services/courses.assign_technician (a technician may not reassign).

Payloads: "ct:<course>" offer the technicians, "cg:<course>:<user>" assign (user 0: none).
"""

from __future__ import annotations

from spacrm.core.actors import Actor
from spacrm.core.models import Course
from spacrm.core.services.courses import assign_technician, course_technicians
from spacrm.core.services.users import user_names_langs
from spacrm.intents.chat import Button, Reply
from spacrm.intents.context import Ctx

SHOWN = 8


def may_assign(actor: Actor) -> bool:
    """Whether to offer the button (the service decides for real)."""
    return not actor.is_technician or actor.is_front_desk or actor.is_manager


def course_buttons(ctx: Ctx, courses: list[Course]) -> list[list[Button]]:
    if not may_assign(ctx.actor):
        return []
    return [[Button(ctx.t("btn.course_technician", name=c.name[:40]), f"ct:{c.id}")]
            for c in courses if c.status == "active"][:5]  # fmt: skip


async def technician_names(courses: list[Course]) -> dict[int, str]:
    ids = sorted({c.technician_id for c in courses if c.technician_id})
    return {uid: name for uid, (name, _) in (await user_names_langs(ids)).items()}


async def offer(ctx: Ctx, args: list[str]) -> list[Reply]:
    course, techs = await course_technicians(ctx.actor, int(args[0]))
    if not techs:
        return [Reply(ctx.t("course.no_technicians"))]
    rows = [[Button(name, f"cg:{course.id}:{uid}")] for uid, name in techs[:SHOWN]
            if uid != course.technician_id]  # fmt: skip
    if course.technician_id:
        rows.append([Button(ctx.t("btn.course_no_technician"), f"cg:{course.id}:0")])
    return [Reply(ctx.t("ask.course_technician", name=course.name), rows)]


async def assign(ctx: Ctx, args: list[str]) -> list[Reply]:
    user_id = int(args[1])
    course = await assign_technician(
        ctx.actor, course_id=int(args[0]), technician_id=user_id or None
    )
    if course.technician_id is None:
        text = ctx.t("ok.course_technician_removed", name=course.name)
    else:
        names = await technician_names([course])
        text = ctx.t("ok.course_technician", name=course.name,
                     technician=names.get(course.technician_id, "?"))  # fmt: skip
    return [Reply(text, edit=True, toast=text)]
