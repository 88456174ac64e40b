"""The dashboard's one image (#1): leads by stage, and money in / out with sales, side by side."""

from __future__ import annotations

from collections.abc import Callable

from matplotlib.ticker import FuncFormatter

from spacrm.core.services.overview import Overview
from spacrm.reports.charts._draw import FONT, PALETTE, money_short, new_figure, png, title_block

STAGES = ("potential", "caring", "booked", "in_service", "dead")


def render(data: Overview, t: Callable[..., str], subtitle: str) -> bytes:
    fig = new_figure(720)
    title_block(fig, t("chart.dashboard"), subtitle)
    left = fig.add_axes((0.2, 0.1, 0.3, 0.7))
    counts = [data.by_stage.get(s, 0) for s in STAGES]
    left.barh(range(len(STAGES)), counts, color=[PALETTE[i] for i in range(len(STAGES))])
    left.set_yticks(range(len(STAGES)), [t(f"stage.{s}") for s in STAGES], fontsize=11, family=FONT)
    left.invert_yaxis()
    left.set_title(t("chart.dash_leads"), fontsize=13, family=FONT, loc="left")
    top = max(counts, default=0)
    for i, n in enumerate(counts):
        left.text(n + top * 0.02, i, str(n), va="center", fontsize=10, family=FONT)
    left.set_xlim(0, top * 1.25 or 1)
    right = fig.add_axes((0.6, 0.1, 0.36, 0.7))
    labels = [t("chart.series.sales"), t("chart.series.receipt"), t("chart.series.payment")]
    values = [data.sales, data.receipts, data.payments]
    right.bar(range(3), values, color=[PALETTE[0], PALETTE[2], PALETTE[5]], width=0.6)
    right.set_xticks(range(3), labels, fontsize=11, family=FONT)
    right.set_title(t("chart.dash_money"), fontsize=13, family=FONT, loc="left")
    right.yaxis.set_major_formatter(FuncFormatter(lambda v, _p: money_short(v)))
    for i, v in enumerate(values):
        right.text(i, v, money_short(v), ha="center", va="bottom", fontsize=11, family=FONT)
    right.set_ylim(0, max(values) * 1.2 or 1_000_000)
    for ax in (left, right):
        ax.spines[["top", "right"]].set_visible(False)
    return png(fig)
