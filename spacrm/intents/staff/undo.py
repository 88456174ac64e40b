"""undo ("hoàn tác"): take back the actor's last change in this chat.

Each write intent records what it changed (ctx.changed); undo reverses exactly that one change,
through the same services (so scope and version checks apply), then forgets it. The "Hoàn tác"
buttons carry the change's number, so an old button cannot undo a newer change. Typed, "hoàn tác"
first says what it would undo and asks (a change made by a feature that records nothing must
not make an older change look like the last one); the change is forgotten after focus_minutes."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from spacrm.core.services import activities, lead_edits, leads
from spacrm.intents.chat import Button, Reply
from spacrm.intents.context import Ctx
from spacrm.intents.staff.card import card_reply

PAYLOAD = "un"


def undo_button(ctx: Ctx) -> Button:
    """The "Hoàn tác" button for the change just recorded."""
    change = ctx.state.get("last_change") or {}
    return Button(ctx.t("btn.undo"), f"{PAYLOAD}:{change.get('n', 0)}")


async def run(ctx: Ctx, slots: dict[str, Any]) -> list[Reply]:
    """Typed "hoàn tác": name the change and ask."""
    ctx.done()
    change = ctx.last_change()
    if change and change["what"] == "case":
        return [Reply(ctx.t("undo.case"), [[Button(ctx.t("btn.card"), f"cc:{change['case_id']}")]])]
    if not change or change["what"] not in _UNDOABLE:
        return [Reply(ctx.t("undo.nothing"))]
    name = ""
    if change.get("lead_id"):
        found = await leads.leads_by_ids(ctx.actor, [int(change["lead_id"])])
        name = found[0].name if found else ""
    text = ctx.t("undo.confirm", what=ctx.t(f"undo.what.{change['what']}"), name=name)
    buttons = [[Button(ctx.t("btn.undo"), f"{PAYLOAD}:{change['n']}"), ctx.cancel_button()]]
    return [Reply(text, buttons)]


_UNDOABLE = frozenset("move edit reassign logged note planned task_done task_moved lead".split())


async def _undo(ctx: Ctx, change: dict[str, Any]) -> list[Reply]:
    ctx.state.pop("last_change", None)
    what, lead_id = change["what"], int(change.get("lead_id") or 0)
    if what == "move":
        await leads.move_lead(ctx.actor, lead_id=lead_id, stage=change["stage"],
                              expected_version=change.get("version"))  # fmt: skip
    elif what == "edit":
        await lead_edits.edit_lead(ctx.actor, lead_id=lead_id, field=change["field"],
                                   value=change["old"], expected_version=change.get("version"))  # fmt: skip
    elif what == "reassign":
        await lead_edits.reassign_lead(ctx.actor, lead_id=lead_id, owner_id=change["owner_id"])
    elif what in ("logged", "note"):
        await activities.undo_done(ctx.actor, activity_id=change["activity_id"],
                                   planned_id=change.get("planned_id"))  # fmt: skip
    elif what == "planned":
        await activities.cancel_planned(ctx.actor, activity_id=change["activity_id"])
    elif what == "task_done":
        await activities.reopen_planned(ctx.actor, activity_id=change["activity_id"])
    elif what == "task_moved":
        due = datetime.fromisoformat(change["due_at"])
        await activities.reschedule_planned(
            ctx.actor, activity_id=change["activity_id"], due_at=due
        )
    elif what == "lead":
        lead = await lead_edits.discard_new_lead(ctx.actor, lead_id=lead_id)
        ctx.state.pop("focus", None)
        return [Reply(ctx.t("undo.lead_removed", name=lead.name))]
    else:
        return [Reply(ctx.t("undo.nothing"))]
    headline = ctx.t("undo.done", what=ctx.t(f"undo.what.{what}"))
    if lead_id:
        return [await card_reply(ctx, lead_id, headline=headline)]
    return [Reply(headline)]


async def pressed(ctx: Ctx, args: list[str]) -> list[Reply]:
    """The "Hoàn tác" button: only for the change it was shown with."""
    change = ctx.last_change() or {}
    if not args or str(change.get("n", "")) != args[0] or change.get("what") not in _UNDOABLE:
        return [Reply(ctx.t("err.stale"), toast=ctx.t("err.stale"))]
    return await _undo(ctx, change)
