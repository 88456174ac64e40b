"""leave_balance: "em còn mấy ngày phép" — the sender's paid leave left this year, out of the
yearly allowance (requests waiting for approval count as taken, as when a new one is checked)."""

from __future__ import annotations

from typing import Any

from spacrm.core import clock
from spacrm.core.services import hr
from spacrm.core.settings import get_settings
from spacrm.intents.chat import Reply
from spacrm.intents.context import Ctx


async def run(ctx: Ctx, slots: dict[str, Any]) -> list[Reply]:
    ctx.done()
    year = clock.today().year
    halves = await hr.leave_left(ctx.actor.user_id, year)
    total = get_settings().annual_leave_days
    days = f"{halves // 2}" + (",5" if halves % 2 else "")
    if ctx.lang == "en":
        days = days.replace(",", ".")
    return [Reply(ctx.t("leave.left", days=days, total=total, year=year))]
