"""complete_session: "xong buổi triệt lông chị Lan ktv Hoa" — the session is done: one session of
the course used, consumables out of the branch's stock, the technician's commission accrued."""

from __future__ import annotations

from typing import Any

from spacrm.core.services.sessions import complete_session
from spacrm.intents import format as fmt
from spacrm.intents.chat import Button, Reply
from spacrm.intents.context import Ctx
from spacrm.intents.staff import appointments


async def run(ctx: Ctx, slots: dict[str, Any]) -> list[Reply]:
    found = await appointments.find(ctx, "complete_session", slots,
                                    ("booked", "confirmed", "checked_in"))  # fmt: skip
    if isinstance(found, list):
        return found
    return await apply(ctx, found.id)


async def apply(ctx: Ctx, appointment_id: int, *, edit: bool = False) -> list[Reply]:
    done = await complete_session(ctx.actor, appointment_id=appointment_id)
    appt = done.appointment
    lines = [ctx.t("ok.session_done", name=appt.customer_name, service=appt.service_name)]
    if done.course is not None:
        c = done.course
        lines.append(ctx.t("ok.course_left", course=c.name, left=c.sessions_total - c.sessions_used,
                           total=c.sessions_total))  # fmt: skip
    elif done.order is not None:
        lines.append(ctx.t("ok.no_course", amount=fmt.money(done.order.total),
                           order=done.order.number))  # fmt: skip
    if done.moves:
        lines.append(ctx.t("ok.consumables", count=len(done.moves)))
    names = await appointments.names_for([appt])
    lines.append(ctx.t("ok.commission", tech=names.get(appt.technician_id, ""),
                       amount=fmt.money(done.commission.amount)))  # fmt: skip
    reply = await appointments.appointment_reply(ctx, appt, "\n".join(lines), edit=edit)
    if done.order is not None:
        reply.buttons.append([Button(done.order.number, f"oc:{done.order.id}")])
    return [reply]
