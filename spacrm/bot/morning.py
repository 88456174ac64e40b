"""The morning summary → one chat message per manager, through the outbox (sent once a day)."""

from __future__ import annotations

from typing import Any

from spacrm.bot.scheduled import queue_each
from spacrm.core.services import morning
from spacrm.core.services.morning import MorningSummary
from spacrm.intents import format as fmt
from spacrm.intents.texts import t


async def send_morning_summaries() -> int:
    return await queue_each(morning.KIND, await morning.pending_morning_summaries(), _message)


async def _message(s: MorningSummary) -> dict[str, Any]:
    text = t(s.lang, "morning.text", day=fmt.day(s.day, s.lang),
             sales=fmt.money(s.sales_yesterday), receipts=fmt.money(s.receipts_yesterday),
             appts=s.appointments_today, overdue=s.overdue_tasks,
             waiting=s.waiting_customers)  # fmt: skip
    buttons = [[[t(s.lang, "btn.dashboard_today"), "db"], [t(s.lang, "btn.reports"), "rm"]]]
    return {"text": text, "buttons": buttons}
