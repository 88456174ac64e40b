"""Leads created in the period per employee, stacked by their stage now (sales by status)."""

from __future__ import annotations

from collections.abc import Callable

from spacrm.core.services.reports import ChartData
from spacrm.reports.charts._draw import bars


def render(data: ChartData, t: Callable[..., str], title: str, subtitle: str) -> bytes:
    return bars(
        title, subtitle, data.categories, [(t(f"stage.{s.key}"), s.values) for s in data.series]
    )
