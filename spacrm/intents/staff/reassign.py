"""reassign: "giao chị Lan cho Hoa phụ trách" gives the customer to an employee the actor manages
(scope-checked in the service; staff cannot hand customers over). Several employees with that
name → buttons; the change has an undo button."""

from __future__ import annotations

from typing import Any

from spacrm.core.errors import DomainError, ErrorCode
from spacrm.core.services.lead_edits import assignable_users, reassign_lead
from spacrm.intents.chat import Button, Reply
from spacrm.intents.context import Ctx
from spacrm.intents.staff.card import card_reply
from spacrm.intents.staff.resolve import resolve_lead
from spacrm.intents.staff.undo import undo_button

MAX_CHOICES = 5


async def run(ctx: Ctx, slots: dict[str, Any]) -> list[Reply]:
    if slots.get("text") and not slots.get("employee"):
        slots["employee"] = slots.pop("text")  # the answer to "who takes over?"
    if not ctx.actor.is_manager:
        ctx.done()
        raise DomainError(ErrorCode.FORBIDDEN)
    found = await resolve_lead(ctx, "reassign", slots)
    if isinstance(found, list):
        return found
    lead = found
    slots["lead_id"] = lead.id
    name = str(slots.get("employee") or "").strip()
    if not name:
        return ctx.ask("reassign", slots, "text", ctx.t("ask.reassign_to", name=lead.name))
    users = await assignable_users(ctx.actor, name)
    ctx.done()
    if not users:
        return [Reply(ctx.t("err.employee_not_found", employee=name))]
    if len(users) > 1:
        buttons = [[Button(u.full_name, f"ra:{lead.id}:{u.id}")] for u in users[:MAX_CHOICES]]
        return [Reply(ctx.t("ask.pick_employee", employee=name), [*buttons, [ctx.cancel_button()]])]
    return await apply(ctx, lead.id, users[0].id)


async def apply(ctx: Ctx, lead_id: int, user_id: int) -> list[Reply]:
    done = await reassign_lead(ctx.actor, lead_id=lead_id, owner_id=user_id)
    if done.previous_owner_id == user_id:
        return [Reply(ctx.t("ok.already_owner", name=done.lead.name, owner=done.owner_name))]
    ctx.changed("reassign", lead_id=lead_id, owner_id=done.previous_owner_id)
    headline = ctx.t("ok.reassigned", name=done.lead.name, owner=done.owner_name)
    reply = await card_reply(ctx, lead_id, headline=headline)
    reply.buttons.append([undo_button(ctx)])
    return [reply]


async def pressed(ctx: Ctx, args: list[str]) -> list[Reply]:
    """An employee picked from the list ("ra:<lead>:<user>")."""
    ctx.done()
    return await apply(ctx, int(args[0]), int(args[1]))
