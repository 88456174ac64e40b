"""list_birthdays: "khách nào sinh nhật tháng này", "sinh nhật tuần sau", "hôm nay sinh nhật ai" —
the customers whose birthday falls in the period (this month when none is named), each a button
to their card, for a greeting or a birthday offer."""

from __future__ import annotations

from typing import Any

from spacrm.core import clock
from spacrm.core.services.leads import birthdays
from spacrm.core.services.reports import parse_period
from spacrm.intents import format as fmt
from spacrm.intents.chat import Button, Reply
from spacrm.intents.context import Ctx

SHOWN = 10


async def run(ctx: Ctx, slots: dict[str, Any]) -> list[Reply]:
    ctx.done()
    period = parse_period(slots.get("period"))
    if period.last < clock.today() and period.kind == "month":
        # "tháng 1" asked in December: reports look back, a birthday is next January's
        period = parse_period(f"{period.first.year + 1}-{period.first.month:02d}")
    found = await birthdays(ctx.actor, period.first, period.last)
    when = fmt.days(period.first, period.last, ctx.lang)
    if not found:
        return [Reply(ctx.t("bday.none", when=when))]
    buttons = [
        [Button(f"🎂 {fmt.day(on, ctx.lang, weekday=False)} · {lead.name} — "
                f"{fmt.phone(lead.phone) or '…'}", f"lc:{lead.id}")]
        for on, lead in found[:SHOWN]
    ]  # fmt: skip
    text = ctx.t("bday.head", when=when, n=len(found))
    if len(found) > SHOWN:
        text += "\n" + ctx.t("bday.more", n=len(found) - SHOWN)
    return [Reply(text, buttons)]
