"""list_appointments: "lịch hôm nay", "lịch ktv Hoa ngày mai", "lịch chị Lan" — a text list, and
for a day the timeline image (a row per technician)."""

from __future__ import annotations

import asyncio
from datetime import date
from typing import Any

from spacrm.core import clock
from spacrm.core.models import Appointment
from spacrm.core.services import availability, bookings
from spacrm.intents import format as fmt
from spacrm.intents.chat import Button, Reply
from spacrm.intents.context import Ctx
from spacrm.intents.staff import appointments
from spacrm.intents.staff.resolve import resolve_lead
from spacrm.reports.timeline import Block, render_timeline


async def run(ctx: Ctx, slots: dict[str, Any]) -> list[Reply]:
    lead_id = None
    title_who = ""
    if slots.get("customer") or slots.get("phone") or "lead_id" in slots:
        found = await resolve_lead(ctx, "list_appointments", slots)
        if isinstance(found, list):
            return found
        lead_id, title_who = found.id, found.name
    ctx.done()
    day = appointments.day_of(slots)
    if day is None and lead_id is None:
        day = clock.today()
    tech_id = None
    if slots.get("technician"):
        branch_id = await bookings.site_branch(ctx.actor)
        techs = await availability.find_technician(branch_id, str(slots["technician"]))
        if not techs:
            techs = await availability.find_technician(None, str(slots["technician"]))
        if not techs:
            return [Reply(ctx.t("err.technician_not_found", name=slots["technician"]))]
        tech_id, title_who = techs[0].id, f"{ctx.t('appt.tech')} {techs[0].full_name}"
    rows = await bookings.list_appointments(
        ctx.actor, day=day, technician_id=tech_id, lead_id=lead_id
    )
    when = fmt.day(day, ctx.lang) if day else ctx.t("appt.upcoming")
    title = ctx.t("appt.list_title", when=when) + (f" — {title_who}" if title_who else "")
    if not rows:
        return [Reply(title + "\n" + ctx.t("appt.none"))]
    names = await appointments.names_for(rows)
    lines = [title]
    lines += [appointments.line(ctx, a, names, with_day=day is None) for a in rows]
    buttons = [
        [Button(f"{clock.local(a.starts_at):%H:%M} {a.customer_name}", f"ao:{a.id}")]
        for a in rows
        if a.status in ("booked", "confirmed", "checked_in")
    ][:5]
    replies = [Reply("\n".join(lines), buttons)]
    if day is not None and lead_id is None:
        replies.append(await _timeline(ctx, day, rows, names, title))
    return replies


async def _timeline(
    ctx: Ctx, day: date, rows: list[Appointment], names: dict[int, str], title: str
) -> Reply:
    """The day as one picture, drawn off the event loop."""
    shown = [a for a in rows if a.status != "cancelled"]
    techs = sorted({a.technician_id for a in shown}, key=lambda t: names.get(t, ""))
    index = {t: i for i, t in enumerate(techs)}
    blocks = []
    for a in shown:
        start, end = clock.local(a.starts_at), clock.local(a.ends_at)
        blocks.append(Block(index[a.technician_id], start.hour * 60 + start.minute,
                            end.hour * 60 + end.minute, a.customer_name, a.status))  # fmt: skip
    branch = shown[0].site_branch_id if shown else await bookings.site_branch(ctx.actor)
    hours = await availability.opening(branch, day) or (9 * 60, 21 * 60)
    legend = [(s, ctx.t(f"appt.status.{s}")) for s in ("booked", "confirmed", "checked_in",
                                                       "done", "no_show")]  # fmt: skip
    plain = "".join(c for c in title if ord(c) < 0x2100).strip()  # no emoji: the font lacks them
    image = await asyncio.to_thread(
        render_timeline, plain, ctx.t("appt.timeline_sub", n=len(shown)),
        [names.get(t, "?") for t in techs], blocks, hours, legend,
    )  # fmt: skip
    return Reply(
        ctx.t("appt.timeline"), files=[(f"lich-{day.isoformat()}.png", image, "image/png")]
    )


async def open_one(ctx: Ctx, args: list[str]) -> list[Reply]:
    appt = await bookings.get_appointment(ctx.actor, int(args[0]))
    return [await appointments.appointment_reply(ctx, appt, ctx.t("appt.one"))]
