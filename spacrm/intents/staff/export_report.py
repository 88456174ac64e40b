"""export_report (#19, #21): `xuất excel hoạt động bán hàng tháng 11` → an xlsx file in chat.

Rows are fetched a page at a time and written in a worker thread (asyncio.to_thread), so a large
export neither blocks the event loop nor holds every row in memory.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from spacrm.core.services.exports import EXPORTS, export_rows
from spacrm.core.services.reports import check_period, parse_period
from spacrm.intents.chat import Button, Reply
from spacrm.intents.context import Ctx
from spacrm.intents.staff.report_labels import period_label
from spacrm.reports.xlsx import XlsxWriter

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


async def run(ctx: Ctx, slots: dict[str, Any]) -> list[Reply]:
    ctx.done()
    kind = slots.get("report")
    if kind not in EXPORTS:
        rows = [[Button(ctx.t(f"export.{k}"), f"rx:{k}")] for k in EXPORTS]
        key = "export.which" if not kind else "export.not_yet"
        return [Reply(ctx.t(key, value=ctx.t(f"export.{kind}") if kind else ""), rows)]
    period = parse_period(slots.get("period"))
    check_period(period)
    name, data, count = await build(ctx, kind, slots.get("period"))
    title, when = ctx.t(f"export.{kind}"), period_label(ctx, period)
    if not count:
        return [Reply(ctx.t("export.empty", title=title, period=when))]
    return [Reply(ctx.t("export.done", title=title, period=when, n=count),
                  files=[(name, data, XLSX)])]  # fmt: skip


async def build(ctx: Ctx, kind: str, period_code: str | None) -> tuple[str, bytes, int]:
    """(file name, xlsx bytes, data rows) — also used by `spacrm report export`."""
    period = parse_period(period_code)
    export = await export_rows(ctx.actor, kind, period)
    headers = [ctx.t(f"col.{c.key}") for c in export.columns]
    convert = {i: f for i, c in enumerate(export.columns) if (f := _labels(ctx, c.key)) is not None}
    writer = XlsxWriter(ctx.t(f"export.{kind}"), headers, [c.kind for c in export.columns], convert)
    async for page in export.pages:
        await asyncio.to_thread(writer.append, page)
    data = await asyncio.to_thread(writer.finish)
    return f"{kind}-{period.code}.xlsx", data, writer.rows


def _labels(ctx: Ctx, key: str) -> Callable[[Any], Any] | None:
    """Codes stored in the database → the words users read."""
    prefix = {"stage": "stage", "activity_kind": "kind", "status": "order.status",
              "method": "method", "voucher_kind": "vkind", "source": "source"}.get(key)  # fmt: skip
    if prefix is None:
        return None

    def label(value: Any) -> Any:
        if value is None or value == "":
            return value
        shown = ctx.t(f"{prefix}.{value}")
        return value if shown == f"{prefix}.{value}" else shown

    return label


async def from_button(ctx: Ctx, args: list[str]) -> list[Reply]:
    return await run(ctx, {"report": args[0]})
