"""Intents whose features come in later issues: understood, and said plainly to be unavailable."""

from __future__ import annotations

from typing import Any

from spacrm.intents.chat import Reply
from spacrm.intents.context import Ctx


def understood(ctx: Ctx, slots: dict[str, Any]) -> str:
    parts = [f"{ctx.t('slot.' + k)}: {v}" for k, v in slots.items() if not k.startswith("_")]
    return "; ".join(parts)


def make(intent: str):  # type: ignore[no-untyped-def]
    async def run(ctx: Ctx, slots: dict[str, Any]) -> list[Reply]:
        ctx.done()
        text = ctx.t("not_yet", feature=ctx.t("feature." + intent))
        got = understood(ctx, slots)
        if got:
            text += "\n" + ctx.t("not_yet.understood", slots=got)
        return [Reply(text)]

    return run
