"""The KPI image (#24): per cent of each target reached, a line at 100 %.

Detail (one employee): one bar per target that is set. Summary (a team or a branch): per employee,
revenue, new customers and interactions side by side.
"""

from __future__ import annotations

from collections.abc import Sequence

from matplotlib.lines import Line2D

from spacrm.reports.charts._draw import (
    PALETTE,
    Plot,
    _short,
    categories_along,
    frame,
    legend,
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
    rect = (0.3, 70 / height + 0.03, 0.62, top - 70 / height - 0.05)
    plot = Plot(fig, rect, (0, CAP + 15), (n - 0.5, -0.5))  # first row on top
    band = 0.8 / k
    for j, (name, values) in enumerate(series):
        ys = [i - 0.4 + band * (j + 0.5) for i in range(n)]
        shown = [min(CAP, v) if v is not None else 0 for v in values]
        rects(plot, ys, shown, [0] * n, band * 0.9, PALETTE[j % len(PALETTE)], name,
              horizontal=True)  # fmt: skip
        for y, v in zip(ys, values, strict=True):
            if v is not None:
                plot.text((min(CAP, v), y), f"{v}%", size=9, offset=(4, 0))
    plot.add(Line2D([100, 100], [0, 1], color="#333333", linestyle="--", linewidth=1, zorder=2,
                    transform=plot.along_x()))  # fmt: skip
    names = [_short(c, 30) for c in categories]
    if notes:  # the figures under the name, a smaller grey line
        categories_along(plot, names, [i - 0.12 for i in range(n)], horizontal=True, size=10)
        for i, note in enumerate(notes):
            plot.text((0, i + 0.18), note, size=9, colour="#555555", ha="right",
                      transform=plot.along_y(), offset=(-8, 0))  # fmt: skip
    else:
        categories_along(plot, names, list(range(n)), horizontal=True, size=10)
    frame(plot, horizontal=True, fmt=lambda v: f"{int(v)}%", ticks=[0, 25, 50, 75, 100, 125, 150])
    if k > 1:
        legend(fig, [(s, PALETTE[j % len(PALETTE)]) for j, (s, _) in enumerate(series)], 80)
    return png(fig)
