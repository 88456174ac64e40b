"""The staff chat's side of the usage log (#33): one row per turn, written by the engine."""

from __future__ import annotations

from spacrm.core.changes import Changes
from spacrm.core.services import usage
from spacrm.intents.context import Ctx
from spacrm.intents.staff.buttons import HANDLERS

# The record a change note points at, most specific first (see Ctx.changed).
_RECORD_KEYS = (("case_id", "case"), ("activity_id", "activity"), ("lead_id", "lead"))


def _button_action(payload: str | None) -> str:
    """A button's handler lives in its intent's module: "rp:…" → chart.from_button → "chart"."""
    if not payload:
        return "other"
    prefix = payload.partition(":")[0]
    handler = HANDLERS.get(prefix)
    module = handler.__module__.rsplit(".", 1)[-1] if handler is not None else "buttons"
    return f"button:{prefix}" if module == "buttons" else module


async def log_turn(ctx: Ctx, noted: Changes | None = None) -> None:
    """Who, when, which intent (or button), which channel, the record changed if any, and what
    the turn's saves created or changed per kind (`noted`, core/changes.py)."""
    action = ctx.intent or _button_action(ctx.event.payload)
    changed = int(ctx.state.get("change_n", 0)) != ctx.change_n_at_start
    kind: str | None = None
    rid: int | None = None
    last = ctx.state.get("last_change") if changed else None
    if last:
        for key, name in _RECORD_KEYS:
            if last.get(key):
                kind, rid = name, int(last[key])
                break
    await usage.record(
        ctx.actor.user_id, source="chat", channel=ctx.event.channel, action=action,
        record_kind=kind, record_id=rid, changed=changed, changes=noted,
    )  # fmt: skip
