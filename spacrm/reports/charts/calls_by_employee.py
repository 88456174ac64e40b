"""Calls made per employee (done activities of kind call, until the call centre exists)."""

from __future__ import annotations

from collections.abc import Callable

from spacrm.core.services.reports import ChartData
from spacrm.reports.charts._draw import bars


def render(data: ChartData, t: Callable[..., str], title: str, subtitle: str) -> bytes:
    return bars(
        title, subtitle, data.categories, [(t("chart.series.calls"), data.series[0].values)]
    )
