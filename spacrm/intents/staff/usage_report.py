"""usage_report (#33): `báo cáo sử dụng CRM tháng này` — per user in the asker's scope: chat
turns, console actions, records changed, channels and the most used actions, from the usage log;
text, one image (bars per user) and the xlsx file."""

from __future__ import annotations

import asyncio
from collections import Counter
from typing import Any

from spacrm.core.services.reports import check_period, parse_period, scope_of
from spacrm.core.services.usage import UsageLine, usage_report
from spacrm.intents import format as fmt
from spacrm.intents.chat import Reply
from spacrm.intents.context import Ctx
from spacrm.intents.staff.export_report import XLSX, build
from spacrm.intents.staff.report_labels import subtitle
from spacrm.reports.charts.usage import render

SHOWN = 15


def _action(ctx: Ctx, action: str) -> str:
    """An intent's name as users say it ("tạo khách"), else the code."""
    for key in (f"usage.a.{action}", f"feature.{action}"):
        shown = ctx.t(key)
        if shown != key:
            return shown
    return action


def kind_label(ctx: Ctx, kind: str) -> str:
    """A record kind as users say it ("đơn hàng"), else the code."""
    shown = ctx.t(f"usage.k.{kind}")
    return kind if shown == f"usage.k.{kind}" else shown


def records(ctx: Ctx, counts: Counter[str]) -> str:
    """ "2 đơn hàng, 1 phiếu thu chi" — most first, then by kind (the same on every database)."""
    ranked = sorted(counts.items(), key=lambda kn: (-kn[1], kn[0]))
    return ", ".join(f"{n} {kind_label(ctx, k)}" for k, n in ranked)


def _line(ctx: Ctx, ln: UsageLine) -> str:
    if not ln.total:
        return ctx.t("usage.unused", name=ln.name)
    top = ", ".join(f"{_action(ctx, a)} {n}" for a, n in ln.top(3))
    last = fmt.when(ln.last_at, ctx.lang) if ln.last_at else "—"
    text = ctx.t("usage.line", name=ln.name, chat=ln.chat, console=ln.console,
                 changes=ln.changes, top=top, last=last)  # fmt: skip
    done = [ctx.t(key, items=records(ctx, counts))
            for key, counts in (("usage.created", ln.created), ("usage.updated", ln.updated))
            if counts]  # fmt: skip
    return text + ("\n" + ctx.t("usage.records", done=" · ".join(done)) if done else "")


async def run(ctx: Ctx, slots: dict[str, Any]) -> list[Reply]:
    ctx.done()
    ctx.intent = "usage_report"
    period = parse_period(slots.get("period"))
    check_period(period)
    lines = await usage_report(ctx.actor, period)
    head = subtitle(ctx, await scope_of(ctx.actor), period)
    used = [ln for ln in lines if ln.total]
    out = [ctx.t("usage.head", scope=head, users=len(used), of=len(lines),
                 turns=sum(ln.total for ln in lines))]  # fmt: skip
    out += [_line(ctx, ln) for ln in lines[:SHOWN]]
    if len(lines) > SHOWN:
        out.append(ctx.t("usage.more", n=len(lines) - SHOWN))
    image = await asyncio.to_thread(render, lines, ctx.t, head)
    files = [(f"usage-{period.code}.png", image, "image/png")]
    if used:
        name, data, _ = await build(ctx, "usage", slots.get("period"))
        files.append((name, data, XLSX))
    return [Reply("\n".join(out), files=files)]
