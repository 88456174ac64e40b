"""CRM usage per user (#33): chat turns and console actions stacked, records created and changed
noted."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from spacrm.core.services.usage import UsageLine
from spacrm.reports.charts._draw import bars, no_data

MAX_ROWS = 15


def render(lines: Sequence[UsageLine], t: Callable[..., str], subtitle: str) -> bytes:
    title = t("usage.chart")
    if not any(ln.total for ln in lines):
        return no_data(title, subtitle, t("chart.no_data"))
    shown = list(lines[:MAX_ROWS])  # busiest first
    if len(lines) > MAX_ROWS:
        subtitle += " · " + t("chart.top", n=MAX_ROWS, total=len(lines))
    return bars(
        title,
        subtitle,
        [ln.name for ln in shown],
        [(t("usage.s.chat"), [ln.chat for ln in shown]),
         (t("usage.s.console"), [ln.console for ln in shown])],
        notes=[_note(ln, t) for ln in shown],
    )  # fmt: skip


def _note(ln: UsageLine, t: Callable[..., str]) -> str:
    """ "tạo 4 · sửa 2": the records created and changed (#33), short enough for the bar."""
    made, edited = sum(ln.created.values()), sum(ln.updated.values())
    if not (made or edited):
        return t("usage.s.changes", n=ln.changes)
    return t("usage.s.records", n=ln.changes, created=made, updated=edited)
