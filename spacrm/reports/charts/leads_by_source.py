"""Leads created in the period, per source."""

from __future__ import annotations

from collections.abc import Callable

from spacrm.core.services.reports import ChartData
from spacrm.reports.charts._draw import bars


def render(data: ChartData, t: Callable[..., str], title: str, subtitle: str) -> bytes:
    def label(source: str) -> str:
        if not source:
            return t("chart.source_none")
        shown = t(f"source.{source}")
        return source if shown == f"source.{source}" else shown

    return bars(
        title,
        subtitle,
        [label(c) for c in data.categories],
        [(t("chart.series.count"), data.series[0].values)],
    )
