"""The dashboard's one image (#1): leads by stage, and money in / out with sales, side by side."""

from __future__ import annotations

from collections.abc import Callable

from spacrm.core.services.overview import Overview
from spacrm.reports.charts._draw import (
    PALETTE,
    WIDTH_PX,
    Plot,
    categories_along,
    frame,
    label,
    money_short,
    new_figure,
    png,
    rects,
    title_block,
)

STAGES = ("potential", "caring", "booked", "in_service", "dead")
HEIGHT = 720


def render(data: Overview, t: Callable[..., str], subtitle: str) -> bytes:
    fig = new_figure(HEIGHT)
    title_block(fig, t("chart.dashboard"), subtitle)
    # Left: leads by stage, one colour per stage (horizontal bars, the stage names beside them).
    counts = [data.by_stage.get(s, 0) for s in STAGES]
    top = max(counts, default=0)
    left = Plot(fig, (0.2, 0.1, 0.3, 0.7), (0, top * 1.25 or 1), (len(STAGES) - 0.5, -0.5))
    for i, n in enumerate(counts):
        rects(left, [i], [n], [0], 0.8, PALETTE[i], "", horizontal=True)
        left.text((n, i), str(n), size=10, offset=(5, 0))
    categories_along(left, [t(f"stage.{s}") for s in STAGES], range(len(STAGES)), horizontal=True)
    frame(left, horizontal=True, limit=top * 1.1 or 1, nbins=3)
    # Right: sales, money in (thu) and out (chi) for the period.
    labels = [t("chart.series.sales"), t("chart.series.receipt"), t("chart.series.payment")]
    values = [data.sales, data.receipts, data.payments]
    right = Plot(fig, (0.6, 0.1, 0.36, 0.7), (-0.5, 2.5), (0, max(values) * 1.2 or 1_000_000))
    for i, (v, colour) in enumerate(zip(values, (PALETTE[0], PALETTE[2], PALETTE[5]), strict=True)):
        rects(right, [i], [v], [0], 0.6, colour, "", horizontal=False)
        right.text((i, v), money_short(v), size=11, ha="center", va="bottom", offset=(0, 3))
    categories_along(right, labels, range(3), horizontal=False)
    frame(right, horizontal=False, fmt=money_short)
    # Panel titles just above each plot, as matplotlib's set_title(loc="left") put them.
    for ax_left, text in ((0.2, t("chart.dash_leads")), (0.6, t("chart.dash_money"))):
        label(fig, (WIDTH_PX * ax_left, HEIGHT * 0.8 + 8), text, size=13, va="bottom")
    return png(fig)
