"""list_cases: "vụ việc của tôi" lists the user's cases that are not closed, as buttons."""

from __future__ import annotations

from typing import Any

from spacrm.core.services import cases
from spacrm.intents.chat import Button, Reply
from spacrm.intents.context import Ctx

LABEL_CHARS = 40


async def run(ctx: Ctx, slots: dict[str, Any]) -> list[Reply]:
    ctx.done()
    rows = await cases.my_open_cases(ctx.actor)
    if not rows:
        return [Reply(ctx.t("case.list_empty"))]
    buttons = []
    for case in rows:
        title = (
            case.title if len(case.title) <= LABEL_CHARS else case.title[: LABEL_CHARS - 1] + "…"
        )
        status = ctx.t(f"case.status.{case.status}")
        buttons.append([Button(f"#{case.id} {title} · {status}", f"cc:{case.id}")])
    return [Reply(ctx.t("case.list_head", n=len(rows)), buttons)]
