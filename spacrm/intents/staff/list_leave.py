"""list_leave: "hôm nay ai nghỉ", "lịch nghỉ tuần này" — who is off (approved leave, and requests
still waiting, marked), among the people the asker works with."""

from __future__ import annotations

from typing import Any

from spacrm.core.services.hr import away_between, days_text
from spacrm.core.services.reports import parse_period
from spacrm.intents import format as fmt
from spacrm.intents.chat import Reply
from spacrm.intents.context import Ctx

SHOWN = 20


async def run(ctx: Ctx, slots: dict[str, Any]) -> list[Reply]:
    ctx.done()
    # "ai nghỉ" alone: today. Leave is planned ahead: a coming period is what is asked most.
    period = parse_period(slots.get("period"), default="day")
    found = await away_between(ctx.actor, period.first, period.last)
    when = fmt.days(period.first, period.last, ctx.lang, weekday=True)
    if not found:
        return [Reply(ctx.t("away.none", when=when))]
    lines = [ctx.t("away.head", when=when, n=len(found))]
    for a in found[:SHOWN]:
        r = a.request
        days = fmt.days(r.day_from, r.day_to, ctx.lang)
        part = ctx.t(f"away.part_{r.part}") if r.part != "full" else ""
        lines.append(ctx.t("away.line", name=a.name, days=days, part=part,
                           length=days_text(r.halves))
                     + (ctx.t("away.pending") if r.status == "pending" else ""))  # fmt: skip
    if len(found) > SHOWN:
        lines.append(ctx.t("away.more", n=len(found) - SHOWN))
    return [Reply("\n".join(lines))]
