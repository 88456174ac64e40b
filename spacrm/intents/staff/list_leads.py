"""list_leads: the user's leads by stage, sorted by created date or value, paged with buttons."""

from __future__ import annotations

from typing import Any

from spacrm.core.services.leads import list_leads
from spacrm.intents import format as fmt
from spacrm.intents.chat import Button, Reply
from spacrm.intents.context import Ctx

PAGE = 5
_STAGE_CODES = {
    "potential": "p",
    "caring": "c",
    "booked": "b",
    "in_service": "i",
    "dead": "d",
    None: "a",
}
_CODE_STAGES = {v: k for k, v in _STAGE_CODES.items()}


def pack(stage: str | None, sort: str, order: str, offset: int) -> str:
    return f"ls:{_STAGE_CODES.get(stage, 'a')}{sort[0]}{order[0]}:{offset}"


def unpack(arg: str, offset: str) -> tuple[str | None, str, str, int]:
    stage = _CODE_STAGES.get(arg[0])
    sort = "value" if arg[1:2] == "v" else "created"
    order = "asc" if arg[2:3] == "a" else "desc"
    return stage, sort, order, max(0, int(offset))


async def run(ctx: Ctx, slots: dict[str, Any]) -> list[Reply]:
    ctx.done()
    return [
        await page(
            ctx, slots.get("stage"), slots.get("sort", "created"), slots.get("order", "desc"), 0
        )
    ]


async def page(
    ctx: Ctx, stage: str | None, sort: str, order: str, offset: int, *, edit: bool = False
) -> Reply:
    rows, total = await list_leads(
        ctx.actor, stage=stage, sort=sort, order=order, offset=offset, limit=PAGE
    )
    title = fmt.stage(stage, ctx.lang) if stage else ctx.t("list.all")
    if not total:
        return Reply(ctx.t("list.empty", stage=title), edit=edit)
    head = ctx.t("list.head", stage=title, start=offset + 1, end=offset + len(rows), total=total,
                 sort=ctx.t(f"list.sort_{sort}_{order}"))  # fmt: skip
    buttons = []
    for lead in rows:
        label = f"{lead.name} — {fmt.phone(lead.phone) or '…'}"
        if sort == "value" or lead.value:
            label += f" · {fmt.money_short(lead.value)}"
        else:
            label += f" · {fmt.ago(lead.created_at, ctx.lang)}"
        buttons.append([Button(label, f"lc:{lead.id}")])
    nav = []
    if offset > 0:
        nav.append(Button(ctx.t("btn.prev"), pack(stage, sort, order, max(0, offset - PAGE))))
    if offset + PAGE < total:
        nav.append(Button(ctx.t("btn.next"), pack(stage, sort, order, offset + PAGE)))
    if nav:
        buttons.append(nav)
    return Reply(head, buttons, edit=edit)
