"""export_report (#19, #21): `xuất excel hoạt động bán hàng tháng 11` → an xlsx file in chat.

Rows are fetched a page at a time and written in a worker thread (asyncio.to_thread), so a large
export neither blocks the event loop nor holds every row in memory.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any

from spacrm.core.services.exports import EXPORTS, Export, export_rows
from spacrm.core.services.reports import check_period, parse_period
from spacrm.core.textnorm import fold_words
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
    employee = str(slots.get("employee") or "").strip() or None
    name, data, count = await build(ctx, kind, slots.get("period"), employee=employee)
    title, when = ctx.t(f"export.{kind}"), period_label(ctx, period)
    if employee:  # "… của Hoa": the file holds only Hoa's rows, and the reply says whose
        title = ctx.t("export.of_employee", title=title, employee=employee)
    if not count:
        return [Reply(ctx.t("export.empty", title=title, period=when))]
    return [Reply(ctx.t("export.done", title=title, period=when, n=count),
                  files=[(name, data, XLSX)])]  # fmt: skip


async def build(
    ctx: Ctx, kind: str, period_code: str | None, *, employee: str | None = None
) -> tuple[str, bytes, int]:
    """(file name, xlsx bytes, data rows) — also used by `spacrm report export`. `employee`: only
    that employee's rows (a name in the user's scope; anyone else is "not found")."""
    period = parse_period(period_code)
    export = await export_rows(ctx.actor, kind, period, employee=employee)
    headers = [ctx.t(f"col.{c.key}") for c in export.columns]
    convert = {i: f for i, c in enumerate(export.columns) if (f := _labels(ctx, c.key)) is not None}
    title = ctx.t(f"export.{kind}")
    writer = XlsxWriter(title, headers, [c.kind for c in export.columns], convert)
    progress = await _Progress.start(ctx, export, title)
    async for page in export.pages:
        await asyncio.to_thread(writer.append, page)
        await progress.update(writer.rows)
    data = await asyncio.to_thread(writer.finish)
    await progress.finish(writer.rows)
    who = f"-{fold_words(employee)[:40].replace(' ', '-')}" if employee else ""
    return f"{kind}{who}-{period.code}.xlsx", data, writer.rows


PROGRESS_MIN_ROWS = 20_000  # smaller exports take a few seconds at most: no progress message
PROGRESS_EVERY = 2.0  # seconds between two updates (an edit of the same message)


def _n(count: int) -> str:
    return f"{count:,}".replace(",", ".")


class _Progress:
    """ "Đang xuất… 40.000/96.048 dòng (41%)" through the channel's progress sink, throttled."""

    def __init__(self, ctx: Ctx, title: str, total: int) -> None:
        self.ctx, self.title, self.total = ctx, title, total
        self.last = time.monotonic()

    @classmethod
    async def start(cls, ctx: Ctx, export: Export, title: str) -> _Progress:
        total = await export.count() if ctx.progress is not None and export.count else 0
        progress = cls(ctx, title, total)
        if total >= PROGRESS_MIN_ROWS:
            await progress._say(0)
        return progress

    async def _say(self, done: int, key: str = "export.progress") -> None:
        if self.ctx.progress is None or self.total < PROGRESS_MIN_ROWS:
            return
        pct = min(100, 100 * done // self.total)
        await self.ctx.progress(self.ctx.t(key, title=self.title, done=_n(done),
                                           total=_n(self.total), pct=pct))  # fmt: skip
        self.last = time.monotonic()

    async def update(self, done: int) -> None:
        if time.monotonic() - self.last >= PROGRESS_EVERY:
            await self._say(done)

    async def finish(self, done: int) -> None:
        await self._say(done, "export.progress_done")


def _kinds(ctx: Ctx) -> Callable[[Any], Any]:
    """ "order 2, voucher 1" (the usage export's record kinds) → "đơn hàng 2, phiếu thu chi 1"."""

    def label(value: Any) -> Any:
        if not value:
            return value
        parts = (str(p).rpartition(" ") for p in str(value).split(", "))
        shown = ((ctx.t(f"usage.k.{k}"), k, n) for k, _, n in parts)
        return ", ".join(f"{k if s == f'usage.k.{k}' else s} {n}" for s, k, n in shown)

    return label


def _labels(ctx: Ctx, key: str) -> Callable[[Any], Any] | None:
    """Codes stored in the database → the words users read."""
    if key.startswith("record_kinds_"):
        return _kinds(ctx)
    if key == "opportunity":  # the row of orders linked to no opportunity
        return lambda value: value or ctx.t("profit.no_deal")
    prefix = {"stage": "stage", "activity_kind": "kind", "status": "order.status",
              "method": "method", "voucher_kind": "vkind", "source": "source",
              "deal_stage": "dstage"}.get(key)  # fmt: skip
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
