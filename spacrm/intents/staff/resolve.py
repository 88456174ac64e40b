"""Find the lead a staff message talks about; ask when there is none or more than one."""

from __future__ import annotations

import re
from typing import Any

from spacrm.core.errors import DomainError, ErrorCode
from spacrm.core.models import Lead
from spacrm.core.services import leads as lead_service
from spacrm.core.services.search import Found, search
from spacrm.intents import format as fmt
from spacrm.intents.chat import Button, Reply
from spacrm.intents.context import Ctx

MAX_CHOICES = 5
# Front desks look customers up by the last digits of a phone ("xem khách 678").
_SHORT_DIGITS = re.compile(
    r"(?<![\d.,])(\d{3,9})(?![\d.,]|\s*(?:k|tr|h|giờ|gio|triệu|trieu|đ|d\b))"
)


async def _leads_for(ctx: Ctx, found: list[Found]) -> list[Lead]:
    ids = [f.ref_id for f in found if f.kind == "lead"]
    leads = await lead_service.leads_by_ids(ctx.actor, ids)
    others = [f for f in found if f.kind != "lead"]
    # A converted customer's account/contact: show the lead it came from.
    for f in others:
        lead = await lead_service.lead_for_customer(ctx.actor, f.kind, f.ref_id)
        if lead and lead.id not in ids:
            leads.append(lead)
            ids.append(lead.id)
    return leads


def choice_buttons(ctx: Ctx, leads: list[Lead]) -> list[list[Button]]:
    return [
        [
            Button(
                f"{lead.name} — {fmt.phone(lead.phone) or '…'} · {fmt.stage(lead.stage, ctx.lang)}",
                f"pk:{lead.id}",
            )
        ]
        for lead in leads[:MAX_CHOICES]
    ]


def query_of(slots: dict[str, Any]) -> str | None:
    for key in ("phone", "email", "tax_code", "customer"):
        if slots.get(key):
            return str(slots[key])
    return None


async def resolve_lead(ctx: Ctx, intent: str, slots: dict[str, Any]) -> Lead | list[Reply]:
    if "lead_id" in slots:
        found = await lead_service.leads_by_ids(ctx.actor, [int(slots["lead_id"])])
        if found:
            return found[0]
        raise DomainError(ErrorCode.NOT_FOUND)
    query = query_of(slots)
    if query is None and ctx.event.text:
        digits = _SHORT_DIGITS.search(ctx.event.text)
        query = digits.group(1) if digits else None
    if query is None and ctx.state.get("focus"):
        # "đã gặp chị ấy": the customer whose card is on screen.
        found = await lead_service.leads_by_ids(ctx.actor, [int(ctx.state["focus"])])
        if found:
            return found[0]
    if query is None:
        return ctx.ask(intent, slots, "customer", ctx.t("ask.customer"))
    leads = await _leads_for(ctx, await search(ctx.actor, query, limit=MAX_CHOICES + 1))
    if len(leads) == 1:
        return leads[0]
    if not leads:
        ctx.done()
        buttons = []
        if slots.get("customer") or slots.get("phone"):
            ctx.state["draft_lead"] = {k: slots[k] for k in ("customer", "phone") if slots.get(k)}
            buttons.append([Button(ctx.t("btn.create_lead"), "nl")])
        return [Reply(ctx.t("err.customer_not_found", query=query), buttons)]
    return ctx.ask(
        intent, slots, "pick", ctx.t("ask.pick_customer", query=query), choice_buttons(ctx, leads)
    )
