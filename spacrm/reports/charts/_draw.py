"""Drawing primitives shared by the chart modules: matplotlib's Figure API (never pyplot, which
keeps global state and is not thread-safe), 1080 px wide PNGs readable on a phone.

Colours are the Okabe-Ito palette (safe for the common colour-vision deficiencies); DejaVu Sans,
which ships with matplotlib, has every Vietnamese diacritic.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import PolyCollection
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

WIDTH_PX = 1080
DPI = 120
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
FONT = "DejaVu Sans"


def money_short(amount: int | float) -> str:
    """1,5tr / 500k / 2,3 tỷ: axis ticks and bar labels."""
    amount = int(amount)
    sign = "-" if amount < 0 else ""
    amount = abs(amount)
    if amount >= 1_000_000_000:
        return sign + _comma(amount / 1_000_000_000) + " tỷ"
    if amount >= 1_000_000:
        return sign + _comma(amount / 1_000_000) + "tr"
    if amount >= 1000:
        return f"{sign}{amount // 1000}k"
    return f"{sign}{amount}"


def money_full(amount: int) -> str:
    """1.500.000 ₫ (UX.md): totals in titles and captions."""
    return f"{amount:,}".replace(",", ".") + " ₫"


def _comma(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".").replace(".", ",")


def new_figure(height_px: int = 720) -> Figure:
    fig = Figure(figsize=(WIDTH_PX / DPI, height_px / DPI), dpi=DPI)
    FigureCanvasAgg(fig)
    return fig


def png(fig: Figure) -> bytes:
    buf = io.BytesIO()
    # no bbox_inches="tight": keep the exact width. zlib level 1: charts are flat colours, the
    # file is ~4 % larger and the encode several times faster (it was ~1/6 of a chart's time).
    fig.savefig(buf, format="png", dpi=DPI, pil_kwargs={"compress_level": 1})
    return buf.getvalue()


def rects(
    ax: Axes,
    at: Sequence[float],
    values: Sequence[float],
    base: Sequence[float],
    thickness: float,
    colour: str,
    label: str,
    *,
    horizontal: bool,
) -> None:
    """Bars as one PolyCollection: `ax.bar` adds one Rectangle artist per bar, each updating the
    data limits, which cost more than drawing them (a 15-row, 5-series chart: 75 artists).
    Callers set the axis limits themselves (the collection does not autoscale)."""
    half = thickness / 2
    verts = [
        [(b, p - half), (b + v, p - half), (b + v, p + half), (b, p + half)]
        if horizontal
        else [(p - half, b), (p + half, b), (p + half, b + v), (p - half, b + v)]
        for p, v, b in zip(at, values, base, strict=True)
        if v
    ]
    ax.add_collection(
        PolyCollection(verts, facecolors=colour, edgecolors="none", label=label), autolim=False
    )


def title_block(fig: Figure, title: str, subtitle: str) -> None:
    """Title and scope · period line at fixed pixel offsets, whatever the figure's height."""
    height = fig.get_figheight() * DPI
    fig.text(0.02, 1 - 16 / height, title, ha="left", va="top", fontsize=17, fontweight="bold",
             family=FONT)  # fmt: skip
    fig.text(0.02, 1 - 54 / height, subtitle, ha="left", va="top", fontsize=12, color="#444444",
             family=FONT)  # fmt: skip


def no_data(title: str, subtitle: str, message: str) -> bytes:
    """A clear "no data yet" picture instead of an empty axis."""
    fig = new_figure(540)
    title_block(fig, title, subtitle)
    fig.text(
        0.5, 0.45, message, ha="center", va="center", fontsize=20, color="#666666", family=FONT
    )
    return png(fig)


def bars(
    title: str,
    subtitle: str,
    categories: Sequence[str],
    series: Sequence[tuple[str, Sequence[int]]],
    *,
    money: bool = False,
    horizontal: bool = True,
    notes: Sequence[str] = (),
) -> bytes:
    """Stacked bars, one colour per series; horizontal when categories are names (they stay
    readable on a narrow screen). `notes` are written after each bar (e.g. order counts)."""
    n = len(categories)
    height = max(540, min(1800, 200 + 48 * n)) if horizontal else 720
    fig = new_figure(height)
    title_block(fig, title, subtitle)
    top = 1 - 150 / height
    ax = fig.add_axes(
        (
            0.28 if horizontal else 0.1,
            70 / height + 0.04,
            0.66 if horizontal else 0.86,
            top - 70 / height - 0.06,
        )
    )
    fmt = FuncFormatter(lambda v, _p: money_short(v) if money else f"{int(v)}")
    pos = list(range(n))
    base = [0] * n
    for i, (label, values) in enumerate(series):
        colour = PALETTE[i % len(PALETTE)]
        rects(ax, pos, values, base, 0.7 if horizontal else 0.75, colour, label,
              horizontal=horizontal)  # fmt: skip
        base = [b + v for b, v in zip(base, values, strict=True)]
    total_max = max(base) if base else 0
    for i, total in enumerate(base):
        text = money_short(total) if money else str(total)
        if notes:
            text += f"  ({notes[i]})"
        if total or notes:
            if horizontal:
                ax.text(total + total_max * 0.01, i, text, va="center", fontsize=10, family=FONT)
            elif n <= 16 and total:
                ax.text(i, total, text, ha="center", va="bottom", fontsize=9, family=FONT)
    if horizontal:
        ax.set_yticks(pos, [_short(c) for c in categories], fontsize=11, family=FONT)
        ax.set_ylim(n - 0.5, -0.5)  # first row on top
        ax.xaxis.set_major_formatter(fmt)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_xlim(0, total_max * 1.25 or 1)
    else:
        step = max(1, -(-n // 10))  # at most ten labels: readable on a phone
        ax.set_xticks(pos[::step], [categories[i] for i in pos[::step]], fontsize=10, family=FONT)
        ax.yaxis.set_major_formatter(fmt)
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_ylim(0, total_max * 1.15 or (1_000_000 if money else 1))
        ax.set_xlim(-0.5, n - 0.5)
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(axis="x" if horizontal else "y", color="#dddddd")
    ax.set_axisbelow(True)
    if len(series) > 1:
        fig.legend(loc="upper right", bbox_to_anchor=(0.98, 1 - 80 / height), ncol=min(5, len(series)),
                   fontsize=10, frameon=False, prop={"family": FONT})  # fmt: skip
    return png(fig)


def grouped(
    title: str,
    subtitle: str,
    categories: Sequence[str],
    series: Sequence[tuple[str, Sequence[int]]],
    *,
    money: bool = False,
) -> bytes:
    """Side-by-side vertical bars (income next to expense per day)."""
    fig = new_figure(720)
    title_block(fig, title, subtitle)
    ax = fig.add_axes((0.1, 0.1, 0.86, 0.72))
    n, k = len(categories), max(1, len(series))
    width = 0.8 / k
    for i, (label, values) in enumerate(series):
        xs = [p - 0.4 + width * (i + 0.5) for p in range(n)]
        rects(ax, xs, values, [0] * n, width, PALETTE[i % len(PALETTE)], label, horizontal=False)
    top = max((v for _, values in series for v in values), default=0)
    ax.set_xlim(-0.5, n - 0.5)
    ax.set_ylim(0, top * 1.1 or (1_000_000 if money else 1))
    step = max(1, -(-n // 10))  # at most ten labels: readable on a phone
    ax.set_xticks(list(range(n))[::step], list(categories)[::step], fontsize=10, family=FONT)
    ax.yaxis.set_major_formatter(
        FuncFormatter(lambda v, _p: money_short(v) if money else f"{int(v)}")
    )
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(axis="y", color="#dddddd")
    ax.set_axisbelow(True)
    fig.legend(loc="upper right", bbox_to_anchor=(0.98, 0.89), ncol=len(series), fontsize=11,
               frameon=False, prop={"family": FONT})  # fmt: skip
    return png(fig)


def line(
    title: str, subtitle: str, categories: Sequence[str], values: Sequence[int], label: str
) -> bytes:
    fig = new_figure(720)
    title_block(fig, title, subtitle)
    ax = fig.add_axes((0.08, 0.1, 0.88, 0.72))
    pos = list(range(len(categories)))
    ax.plot(pos, values, color=PALETTE[0], marker="o", linewidth=2.5, label=label)
    for x, v in zip(pos, values, strict=True):
        if v:
            ax.annotate(str(v), (x, v), textcoords="offset points", xytext=(0, 8), ha="center",
                        fontsize=10, family=FONT)  # fmt: skip
    ax.set_xticks(pos, list(categories), fontsize=11, family=FONT)
    ax.set_ylim(0, max(values, default=0) * 1.2 or 1)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _p: f"{int(v)}"))
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(axis="y", color="#dddddd")
    return png(fig)


def _short(name: str, limit: int = 24) -> str:
    return name if len(name) <= limit else name[: limit - 1] + "…"
