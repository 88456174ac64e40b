"""help: what the bot can do, with examples to copy."""

from __future__ import annotations

from typing import Any

from spacrm.intents.chat import Button, Reply
from spacrm.intents.context import Ctx


async def run(ctx: Ctx, slots: dict[str, Any]) -> list[Reply]:
    ctx.done()
    buttons = [[Button(ctx.t("btn.dashboard"), "db"), Button(ctx.t("btn.my_leads"), "ls:acd:0")]]
    return [Reply(ctx.t("help.text"), buttons)]


async def unknown(ctx: Ctx, slots: dict[str, Any]) -> list[Reply]:
    ctx.done()
    hint = slots.get("hint")
    if hint in ("refund", "stock_out"):  # a write no chat intent does: say where it is done
        return [Reply(ctx.t(f"unknown.{hint}"), [[Button(ctx.t("btn.help"), "hp")]])]
    return [Reply(ctx.t("unknown.text"), [[Button(ctx.t("btn.help"), "hp")]])]
