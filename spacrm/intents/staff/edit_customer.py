"""edit_customer: "sửa sđt chị Hoa thành 0903 999 888" changes one field at once, with an undo
button (UX: single-record edits happen at once). The customer is found by the one resolver;
a missing field or value is asked."""

from __future__ import annotations

from typing import Any

from spacrm.core.services.lead_edits import EDITABLE, edit_lead
from spacrm.intents import format as fmt
from spacrm.intents.chat import Button, Reply
from spacrm.intents.context import Ctx
from spacrm.intents.staff.resolve import resolve_lead
from spacrm.intents.staff.undo import undo_button


def shown(ctx: Ctx, field: str, value: Any) -> str:
    """A field's value as staff read it: grouped phone, money with dots, source in words."""
    if value in (None, ""):
        return ctx.t("edit.empty")
    if field == "phone":
        return fmt.phone(str(value))
    if field == "value" and isinstance(value, int):
        return fmt.money(value)
    if field == "source":
        return fmt.source(str(value), ctx.lang)
    if field == "birthday":
        parts = str(value).split("-")  # "1990-03-08" or "--03-08" (no year)
        return f"{parts[-1]}/{parts[-2]}" + (f"/{parts[0]}" if parts[0] else "")
    return str(value)


async def run(ctx: Ctx, slots: dict[str, Any]) -> list[Reply]:
    if slots.get("text") and slots.get("value") in (None, ""):
        slots["value"] = slots.pop("text")  # the answer to "what is the new …?"
    found = await resolve_lead(ctx, "edit_customer", slots)
    if isinstance(found, list):
        return found
    lead = found
    slots["lead_id"] = lead.id
    field = slots.get("field")
    if field not in EDITABLE:
        ctx.done()
        return [
            Reply(
                ctx.t("edit.which", name=lead.name), [[Button(ctx.t("btn.card"), f"lc:{lead.id}")]]
            )
        ]
    if slots.get("value") in (None, ""):
        awaiting = "money" if field == "value" else "text"
        label = ctx.t(f"field.{field}")
        return ctx.ask(
            "edit_customer", slots, awaiting, ctx.t("ask.edit_value", field=label, name=lead.name)
        )
    edited = await edit_lead(ctx.actor, lead_id=lead.id, field=str(field), value=slots["value"])
    ctx.done()
    ctx.changed("edit", lead_id=lead.id, field=field, old=edited.old, version=edited.lead.version)
    text = ctx.t(
        "ok.edited",
        field=ctx.t(f"field.{field}"),
        name=edited.lead.name,
        old=shown(ctx, str(field), edited.old),
        new=shown(ctx, str(field), getattr(edited.lead, str(field))),
    )
    buttons = [[undo_button(ctx), Button(ctx.t("btn.card"), f"lc:{lead.id}")]]
    return [Reply(text, buttons)]
