"""What sells: the amount of each service, package or product, with the quantity after each bar
(the bars of orders per employee, one per item instead of per seller)."""

from __future__ import annotations

from collections.abc import Callable

from spacrm.core.services.reports import ChartData
from spacrm.reports.charts import orders_by_employee


def render(data: ChartData, t: Callable[..., str], title: str, subtitle: str) -> bytes:
    return orders_by_employee.render(data, t, title, subtitle, count_note="chart.sold_n")
