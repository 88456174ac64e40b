"""What sells: the amount of each service, package or product, with the quantity after each bar."""

from __future__ import annotations

from collections.abc import Callable

from spacrm.core.services.reports import ChartData
from spacrm.reports.charts._draw import bars


def render(data: ChartData, t: Callable[..., str], title: str, subtitle: str) -> bytes:
    return bars(
        title,
        subtitle,
        data.categories,
        [(t("chart.series.amount"), data.series[0].values)],
        money=True,
        notes=[t("chart.sold_n", n=n) for n in data.counts],
    )
