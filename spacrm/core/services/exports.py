"""Rows for Excel exports (#19, #21): scoped, streamed in id order (keyset pages) so a 100k-row
export never holds every record in memory. reports/xlsx.py writes them; intents name the columns.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tortoise.queryset import QuerySet

from spacrm.core import clock
from spacrm.core.actors import Actor
from spacrm.core.errors import DomainError, ErrorCode
from spacrm.core.models import Activity, Contact, Lead, Order, User, Voucher
from spacrm.core.models.kpi import TARGETS
from spacrm.core.permissions import ops_scoped, scoped
from spacrm.core.services.kpi import employees_named, kpi_report
from spacrm.core.services.reports import Period

EXPORTS = (
    "sales_activity_summary",
    "sales_activity_detail",
    "leads",
    "customers",
    "orders",
    "vouchers",
    "kpi",
    "profit",  # profit and debt (#32), CRM usage (#33): exports_more
    "debts",
    "usage",
    "stock",
    "payroll",
    "profit_opportunity",  # profit by opportunity (#32): exports_more
)
PAGE = 5000

Row = tuple[Any, ...]


@dataclass(frozen=True, slots=True)
class Column:
    key: str  # the header is texts' `col.<key>`
    kind: str  # text int money date datetime pct


@dataclass(slots=True)
class Export:
    kind: str
    period: Period
    columns: list[Column]
    pages: AsyncIterator[list[Row]]
    # How many rows there will be, for a progress message (paged exports only: one COUNT).
    count: Callable[[], Awaitable[int]] | None = None


def _cols(spec: str) -> list[Column]:
    """ "name:text calls:int" → columns."""
    return [Column(*part.split(":")) for part in spec.split()]


def _local(value: Any) -> Any:
    """Excel has no time zones: datetimes are written as Vietnam local time."""
    return clock.local(value).replace(tzinfo=None) if isinstance(value, datetime) else value


async def _pages(
    query: QuerySet[Any], fields: tuple[str, ...], shape: Callable[[Row], Row]
) -> AsyncIterator[list[Row]]:
    last = 0
    while True:
        rows = await query.filter(id__gt=last).order_by("id").limit(PAGE).values_list("id", *fields)
        if not rows:
            return
        last = int(rows[-1][0])
        yield [shape(tuple(_local(v) for v in row[1:])) for row in rows]


async def _one_page(rows: list[Row]) -> AsyncIterator[list[Row]]:
    if rows:
        yield rows


async def _names() -> dict[int, str]:
    return {int(i): str(n) for i, n in await User.all().values_list("id", "full_name")}


async def export_rows(
    actor: Actor, kind: str, period: Period, *, employee: str | None = None
) -> Export:
    """The rows of one export for the actor's scope; `period` filters by the record's date and
    `employee` (a name, resolved within the scope: EMPLOYEE_NOT_FOUND outside it) to the rows
    that employee owns (or, for the usage log and payroll, is)."""
    if kind not in EXPORTS:
        raise DomainError(ErrorCode.UNKNOWN_REPORT, value=kind)
    owners = [u.id for u in await employees_named(actor, employee)] if employee else None
    if kind in ("profit", "debts", "usage", "stock", "payroll", "profit_opportunity"):
        from spacrm.core.services.exports_more import more_rows  # it builds on this module

        return await more_rows(actor, kind, period, owners)
    if kind in ("sales_activity_summary", "kpi"):
        lines = await kpi_report(actor, period=period, employee=employee)
        if kind == "sales_activity_summary":
            keys = ("calls", "meetings", "emails", "quote_emails", "new_leads", "leads_contacted",
                    "leads_converted", "revenue", "new_buyers", "returning_buyers")  # fmt: skip
            cols = [Column("employee", "text")] + [
                Column(k, "money" if k == "revenue" else "int") for k in keys
            ]
            rows = [(ln.name, *(ln.actual[k] for k in keys)) for ln in lines]
            return Export(kind, period, [*cols, Column("commission", "money")],
                          _one_page([(*r, ln.commission) for r, ln in zip(rows, lines, strict=True)]))  # fmt: skip
        cols = [Column("employee", "text"), Column("kpi_name", "text")]
        for key in TARGETS:
            money = "money" if key == "revenue" else "int"
            cols += [
                Column(f"{key}_target", money),
                Column(f"{key}_actual", money),
                Column(f"{key}_pct", "pct"),
            ]
        rows = [
            (
                ln.name,
                ln.kpi_name or "",
                *(v for k in TARGETS for v in (ln.target[k], ln.actual[k], ln.pct(k))),
            )
            for ln in lines
        ]
        return Export(kind, period, cols, _one_page(rows))
    names = await _names()
    query, fields, spec = _lists(actor, kind, period)
    if owners is not None:
        query = query.filter(owner_id__in=owners)
    cols = _cols(spec)

    def shape(row: Row) -> Row:  # the last field is owner_id → the employee's name
        out = (*row[:-1], names.get(int(row[-1]), ""))
        if kind == "orders":  # what is still to be paid, after `paid`
            out = (*out[:9], (out[7] or 0) - (out[8] or 0), out[9])
        return out

    return Export(kind, period, cols, _pages(query, fields, shape), query.count)


def _lists(actor: Actor, kind: str, period: Period) -> tuple[QuerySet[Any], tuple[str, ...], str]:
    """(scoped query in the period, fields ending with owner_id, "column:kind …")."""
    start, end = period.start, period.end
    days = {"__gte": period.first, "__lte": period.last}
    if kind == "sales_activity_detail":
        return (
            scoped(Activity, actor).filter(status="done", done_at__gte=start, done_at__lt=end),
            ("done_at", "kind", "lead__name", "lead__phone", "note", "result", "owner_id"),
            "done_at:datetime activity_kind:text customer:text phone:text note:text result:text employee:text",
        )
    if kind == "leads":
        return (
            scoped(Lead, actor).filter(created_at__gte=start, created_at__lt=end),
            (
                "created_at",
                "name",
                "phone",
                "email",
                "source",
                "stage",
                "needs",
                "value",
                "owner_id",
            ),
            "created_at:date customer:text phone:text email:text source:text stage:text needs:text value:money employee:text",
        )
    if kind == "customers":
        return (
            scoped(Contact, actor).filter(created_at__gte=start, created_at__lt=end),
            ("created_at", "name", "phone", "email", "address", "company", "owner_id"),
            "created_at:date customer:text phone:text email:text address:text company:text employee:text",
        )
    if kind == "orders":
        return (
            ops_scoped(Order, actor).filter(**{f"order_date{k}": v for k, v in days.items()}),
            ("number", "order_date", "customer_name", "customer_phone", "status", "subtotal",
             "discount", "total", "paid", "owner_id"),
            "number:text order_date:date customer:text phone:text status:text subtotal:money "
            "discount:money total:money paid:money outstanding:money employee:text",
        )  # fmt: skip
    return (
        ops_scoped(Voucher, actor).filter(**{f"voucher_date{k}": v for k, v in days.items()}),
        ("number", "voucher_date", "kind", "name", "method", "amount", "status", "owner_id"),
        "number:text voucher_date:date voucher_kind:text name:text method:text amount:money status:text employee:text",
    )
