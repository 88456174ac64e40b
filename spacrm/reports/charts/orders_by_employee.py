"""Sales (orders not cancelled) per employee in VND, with the order count after each bar."""

from __future__ import annotations

from collections.abc import Callable

from spacrm.core.services.reports import ChartData
from spacrm.reports.charts._draw import bars


def render(
    data: ChartData,
    t: Callable[..., str],
    title: str,
    subtitle: str,
    *,
    count_note: str = "chart.orders_n",
) -> bytes:
    """`count_note`: how the count after each bar reads (orders here; items sold elsewhere)."""
    return bars(
        title,
        subtitle,
        data.categories,
        [(t("chart.series.amount"), data.series[0].values)],
        money=True,
        notes=[t(count_note, n=n) for n in data.counts],
    )
