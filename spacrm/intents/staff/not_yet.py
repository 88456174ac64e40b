"""Intents whose features come in later issues: understood, and said plainly to be unavailable."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date
from typing import Any

from spacrm.intents import format as fmt
from spacrm.intents.chat import Reply
from spacrm.intents.context import Ctx


def _value(ctx: Ctx, key: str, value: Any) -> str:
    """A slot as staff would write it: money with dots, dates as 27/11, words not codes."""
    if key == "amount" and isinstance(value, int):
        return fmt.money(value)
    if key in ("date", "date_to") and isinstance(value, str):
        try:
            return fmt.day(date.fromisoformat(value), ctx.lang)
        except ValueError:
            return value
    if key in ("method", "part", "report"):
        return ctx.t(f"val.{key}.{value}")
    if key == "period" and isinstance(value, str):
        if "-W" in value:
            year, week = value.split("-W")
            return ctx.t("val.week", week=int(week), year=year)
        if len(value) == 7:
            return ctx.t("val.month", month=int(value[5:]), year=value[:4])
        return _value(ctx, "date", value)
    if key == "paid":
        return ctx.t("val.yes" if value else "val.no")
    return str(value)


def understood(ctx: Ctx, slots: dict[str, Any]) -> str:
    parts = [
        f"{ctx.t('slot.' + k)}: {_value(ctx, k, v)}"
        for k, v in slots.items()
        if not k.startswith("_")
    ]
    return "; ".join(parts)


def make(intent: str) -> Callable[[Ctx, dict[str, Any]], Awaitable[list[Reply]]]:
    async def run(ctx: Ctx, slots: dict[str, Any]) -> list[Reply]:
        ctx.done()
        text = ctx.t("not_yet", feature=ctx.t("feature." + intent))
        got = understood(ctx, slots)
        if got:
            text += "\n" + ctx.t("not_yet.understood", slots=got)
        return [Reply(text)]

    return run
