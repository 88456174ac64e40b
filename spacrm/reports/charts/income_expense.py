"""Receipts (thu) next to payments (chi) per day, or per month for a year."""

from __future__ import annotations

from collections.abc import Callable

from spacrm.core.services.reports import ChartData
from spacrm.reports.charts._draw import grouped


def render(data: ChartData, t: Callable[..., str], title: str, subtitle: str) -> bytes:
    return grouped(
        title,
        subtitle,
        data.categories,
        [(t(f"chart.series.{s.key}"), s.values) for s in data.series],
        money=True,
    )
