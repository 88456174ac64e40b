"""move_lead: Potential → Caring → Booked → In service, or Dead; Booked converts to a customer."""

from __future__ import annotations

from typing import Any

from spacrm.core.services.leads import move_lead
from spacrm.core.stages import CONVERTED_STAGES, LEAD_STAGES
from spacrm.intents import format as fmt
from spacrm.intents.chat import Button, Reply
from spacrm.intents.context import Ctx
from spacrm.intents.staff.card import card_reply
from spacrm.intents.staff.resolve import resolve_lead


def stage_buttons(ctx: Ctx, lead_id: int, current: str, version: int) -> list[list[Button]]:
    options = [
        Button(fmt.stage(s, ctx.lang), f"mv:{lead_id}:{s}:{version}")
        for s in LEAD_STAGES
        if s != current
    ]
    return [options[:2], options[2:]]


async def run(ctx: Ctx, slots: dict[str, Any]) -> list[Reply]:
    found = await resolve_lead(ctx, "move_lead", slots)
    if isinstance(found, list):
        return found
    lead = found
    slots["lead_id"] = lead.id
    stage = slots.get("stage")
    if not stage:
        return ctx.ask("move_lead", slots, "stage", ctx.t("ask.stage", name=lead.name),
                       stage_buttons(ctx, lead.id, lead.stage, lead.version))  # fmt: skip
    ctx.done()
    return await apply(ctx, lead.id, str(stage), None)


async def apply(
    ctx: Ctx, lead_id: int, stage: str, version: int | None, *, edit: bool = False
) -> list[Reply]:
    moved = await move_lead(ctx.actor, lead_id=lead_id, stage=stage, expected_version=version)
    lead, before = moved.lead, moved.previous
    ctx.changed("move", lead_id=lead.id, stage=before, version=lead.version)
    key = (
        "ok.converted"
        if lead.contact_id and stage in CONVERTED_STAGES and before not in CONVERTED_STAGES
        else "ok.moved"
    )
    headline = ctx.t(key, name=lead.name, stage=fmt.stage(stage, ctx.lang))
    reply = await card_reply(ctx, lead.id, headline=headline, edit=edit)
    reply.buttons.append([Button(ctx.t("btn.undo"), f"mv:{lead.id}:{before}:{lead.version}")])
    return [reply]
