"""Leads converted to customers per month of the year (a line)."""

from __future__ import annotations

from collections.abc import Callable

from spacrm.core.services.reports import ChartData
from spacrm.reports.charts._draw import line


def render(data: ChartData, t: Callable[..., str], title: str, subtitle: str) -> bytes:
    return line(
        title, subtitle, data.categories, data.series[0].values, t("chart.series.conversions")
    )
