"""The morning summary → one chat message per manager, through the outbox (sent once a day)."""

from __future__ import annotations

from spacrm.core.services import morning, scheduled_sends
from spacrm.intents import format as fmt
from spacrm.intents.texts import t


async def send_morning_summaries() -> int:
    count = 0
    for s in await morning.pending_morning_summaries():
        text = t(s.lang, "morning.text", day=fmt.day(s.day, s.lang),
                 sales=fmt.money(s.sales_yesterday), receipts=fmt.money(s.receipts_yesterday),
                 appts=s.appointments_today, overdue=s.overdue_tasks,
                 waiting=s.waiting_customers)  # fmt: skip
        buttons = [[[t(s.lang, "btn.dashboard_today"), "db"], [t(s.lang, "btn.reports"), "rm"]]]
        payload = {"text": text, "buttons": buttons}
        if await scheduled_sends.claim_and_queue(morning.KIND, s, payload):
            count += 1
    return count
