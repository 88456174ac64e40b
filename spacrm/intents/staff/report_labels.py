"""How a report names its scope and period ("Nhóm Q1-A · tháng 10/2026"), shared by the
dashboard, charts, KPI reports and exports."""

from __future__ import annotations

from spacrm.core.services.reports import Period, Scope, parse_period
from spacrm.intents.context import Ctx


def period_label(ctx: Ctx, period: Period) -> str:
    first = period.first
    if period.kind == "day":
        return ctx.t("period.day", d=f"{first.day:02d}/{first.month:02d}/{first.year}")
    if period.kind == "week":
        last = period.last
        return ctx.t(
            "period.week", w=first.isocalendar()[1], a=f"{first.day:02d}/{first.month:02d}",
            b=f"{last.day:02d}/{last.month:02d}/{last.year}",
        )  # fmt: skip
    if period.kind == "year":
        return ctx.t("period.year", y=first.year)
    return ctx.t("period.month", m=first.month, y=first.year)


def period_phrase(ctx: Ctx, period: Period) -> str:
    """ "tuần này" / "tháng này" / "hôm nay" for the current period, else its label."""
    if period.kind != "year" and parse_period(None, default=period.kind).code == period.code:
        return ctx.t(f"period.this_{period.kind}")
    return period_label(ctx, period)


def scope_label(ctx: Ctx, scope: Scope) -> str:
    return ctx.t(f"scope.{scope.kind}", name=scope.name)


def subtitle(ctx: Ctx, scope: Scope, period: Period) -> str:
    return f"{scope_label(ctx, scope)} · {period_label(ctx, period)}"
