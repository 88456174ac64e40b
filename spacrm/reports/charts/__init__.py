"""One module per chart (#18, #24); `render(report, data, t, subtitle)` picks it.

`t(key, **params)` is the reader's translator, passed in by the intent (reports/ may not import
intents); `subtitle` says the scope and the period.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from spacrm.core.services.reports import ChartData, Series
from spacrm.reports.charts import (
    calls_by_employee,
    conversions_by_month,
    customers_cared,
    income_expense,
    leads_by_source,
    leads_cared,
    orders_by_employee,
    sales_by_employee,
    sales_by_item,
)
from spacrm.reports.charts._draw import no_data as no_data  # re-exported for intents

Translate = Callable[..., str]
_MODULES = {
    "leads_by_source": leads_by_source.render,
    "leads_cared": leads_cared.render,
    "sales_by_employee": sales_by_employee.render,
    "calls_by_employee": calls_by_employee.render,
    "customers_cared": customers_cared.render,
    "income_expense": income_expense.render,
    "orders_by_employee": orders_by_employee.render,
    "conversions_by_month": conversions_by_month.render,
    "sales_by_item": sales_by_item.render,
}


# Charts with one bar per employee or source: more than this many rows is unreadable on a phone
# (and slow to draw): the busiest are drawn (rows come busiest first) and the subtitle says so.
MAX_ROWS = 15
_ROWS_BY_NAME = {"leads_by_source", "leads_cared", "sales_by_employee", "calls_by_employee",
                 "customers_cared", "orders_by_employee", "sales_by_item"}  # fmt: skip


def render(data: ChartData, t: Translate, subtitle: str) -> bytes:
    """PNG bytes; CPU-bound, so callers run it in a worker thread (asyncio.to_thread)."""
    title = t(f"chart.{data.report}")
    if data.empty:
        return no_data(title, subtitle, t("chart.no_data"))
    if data.report in _ROWS_BY_NAME and len(data.categories) > MAX_ROWS:
        subtitle += " · " + t("chart.top", n=MAX_ROWS, total=len(data.categories))
        data = top_rows(data, MAX_ROWS)
    return _MODULES[data.report](data, t, title, subtitle)


def top_rows(data: ChartData, keep: int) -> ChartData:
    """The first `keep` rows of a chart whose rows are sorted busiest first."""
    series = [Series(s.key, s.values[:keep]) for s in data.series]
    return replace(
        data, categories=data.categories[:keep], series=series, counts=data.counts[:keep]
    )
