"""list_lapsed: "khách nào lâu rồi chưa quay lại", "khách 3 tháng chưa quay lại" — the customers
in the asker's scope whose last visit is that old (60 days when not said) and who have nothing
booked, the most recently lapsed first, each a button to the card (to call, to offer a return)."""

from __future__ import annotations

from typing import Any

from spacrm.core import clock
from spacrm.core.services.lapsed import DEFAULT_DAYS, lapsed_customers
from spacrm.intents import format as fmt
from spacrm.intents.chat import Button, Reply
from spacrm.intents.context import Ctx

SHOWN = 10


async def run(ctx: Ctx, slots: dict[str, Any]) -> list[Reply]:
    ctx.done()
    days = int(slots.get("days") or DEFAULT_DAYS)
    found, total = await lapsed_customers(ctx.actor, days=days, limit=SHOWN)
    if not found:
        return [Reply(ctx.t("lapsed.none", days=days))]
    today = clock.today()
    buttons = [
        [Button(f"{item.lead.name} — {fmt.phone(item.lead.phone) or '…'} · "
                f"{ctx.t('lapsed.ago', days=(today - item.last_visit).days)}", f"lc:{item.lead.id}")]
        for item in found
    ]  # fmt: skip
    text = ctx.t("lapsed.head", days=days, n=total)
    if total > len(found):
        text += "\n" + ctx.t("lapsed.more", n=total - len(found))
    return [Reply(text, buttons)]
