"""The KPI image (#24): per cent of each target reached, a line at 100 %.

Detail (one employee): one bar per target that is set. Summary (a team or a branch): per employee,
revenue, new customers and interactions side by side.
"""

from __future__ import annotations

from collections.abc import Sequence

from matplotlib.ticker import FuncFormatter

from spacrm.reports.charts._draw import (
    FONT,
    PALETTE,
    _short,
    new_figure,
    png,
    rects,
    title_block,
)

CAP = 150  # bars stop at 150 % so one outlier keeps the others readable


def render(
    title: str,
    subtitle: str,
    categories: Sequence[str],
    series: Sequence[tuple[str, Sequence[int | None]]],
    notes: Sequence[str] = (),
) -> bytes:
    """`series` values are per cent reached (None: no target set, no bar)."""
    n, k = len(categories), max(1, len(series))
    height = max(540, min(1800, 200 + (40 + 22 * k) * n))
    fig = new_figure(height)
    title_block(fig, title, subtitle)
    top = 1 - 150 / height
    ax = fig.add_axes((0.3, 70 / height + 0.03, 0.62, top - 70 / height - 0.05))
    band = 0.8 / k
    for j, (label, values) in enumerate(series):
        ys = [i - 0.4 + band * (j + 0.5) for i in range(n)]
        shown = [min(CAP, v) if v is not None else 0 for v in values]
        rects(ax, ys, shown, [0] * n, band * 0.9, PALETTE[j % len(PALETTE)], label, horizontal=True)
        for y, v in zip(ys, values, strict=True):
            if v is not None:
                ax.text(min(CAP, v) + 2, y, f"{v}%", va="center", fontsize=9, family=FONT)
    ax.axvline(100, color="#333333", linestyle="--", linewidth=1)
    labels = [_short(c, 30) for c in categories]
    if notes:
        labels = [f"{c}\n{note}" for c, note in zip(labels, notes, strict=True)]
    ax.set_yticks(range(n), labels, fontsize=10, family=FONT)
    ax.set_ylim(n - 0.5, -0.5)  # first row on top
    ax.set_xlim(0, CAP + 15)
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _p: f"{int(v)}%"))
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(axis="x", color="#dddddd")
    ax.set_axisbelow(True)
    if k > 1:
        fig.legend(loc="upper right", bbox_to_anchor=(0.98, 1 - 80 / height), ncol=k,
                   fontsize=10, frameon=False, prop={"family": FONT})  # fmt: skip
    return png(fig)
