"""Drawing primitives shared by the chart modules: matplotlib's Figure API (never pyplot, which
keeps global state and is not thread-safe), 1080 px wide PNGs readable on a phone.

Colours are the Okabe-Ito palette (safe for the common colour-vision deficiencies); DejaVu Sans,
which ships with matplotlib, has every Vietnamese diacritic.

Why the drawing is done this way (bench/bench_reports.py, issue 10: a chart in under 300 ms end
to end): matplotlib 3.11 lays out and rasterises text one glyph at a time in Python, about 10 ms
of CPU per label on the shared machine, and an Axes' tick machinery (Tick objects with their own
lines and texts) cost as much again. So every text is a `Label`: rasterised in one call by
Pillow's FreeType (same font, same sizes), cached, and blitted by the Agg renderer; the axes are
turned off and their grid, spines and tick labels drawn as one line collection and Labels at
fixed pixel margins (no layout engine). A chart went from ~130-530 ms of CPU to a tenth of that.
"""

from __future__ import annotations

import io
import threading
import unicodedata
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import matplotlib
import numpy as np
from matplotlib.artist import Artist
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection, PolyCollection
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import MaxNLocator
from matplotlib.transforms import (
    Bbox,
    BboxTransformFrom,
    BboxTransformTo,
    IdentityTransform,
    Transform,
    TransformedBbox,
    blended_transform_factory,
)
from PIL import Image, ImageDraw, ImageFont

WIDTH_PX = 1080
DPI = 120
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
FONT = "DejaVu Sans"
INK = "#222222"
GRID = "#dddddd"
_TTF = Path(matplotlib.get_data_path(), "fonts", "ttf")
_FONT_FILES = {False: str(_TTF / "DejaVuSans.ttf"), True: str(_TTF / "DejaVuSans-Bold.ttf")}


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


# -- text ------------------------------------------------------------------------------------------

_local = threading.local()


def _font(px: int, bold: bool) -> ImageFont.FreeTypeFont:
    """One FreeType face per worker thread: a face is not safe to use from two threads at once
    (charts are drawn in asyncio.to_thread's pool)."""
    fonts: dict[tuple[int, bool], ImageFont.FreeTypeFont] = _local.__dict__.setdefault("fonts", {})
    font = fonts.get((px, bold))
    if font is None:
        # Basic layout: Vietnamese is written with precomposed letters (NFC, see Label), and
        # it needs no shaping; raqm would cost more per label for the same pixels.
        font = ImageFont.truetype(_FONT_FILES[bold], px, layout_engine=ImageFont.Layout.BASIC)
        fonts[(px, bold)] = font
    return font


def _px(points: float) -> int:
    return round(points * DPI / 72)


@lru_cache(maxsize=2048)
def _bitmap(text: str, px: int, bold: bool, colour: str) -> tuple[np.ndarray, int, int, int]:
    """The text as RGBA rows bottom-up (what Agg's draw_image takes) and where its line box sits
    in it: (pixels, top, ascent, descent), `top` counted from the bitmap's top row. Cached:
    names, stage names and tick labels come back in every chart (2,048 entries: ~10 MB)."""
    font = _font(px, bold)
    ascent, descent = font.getmetrics()
    box = font.getbbox(text, anchor="la") if text else (0, 0, 1, 1)
    top, right, bottom = (int(v) for v in box[1:])
    pad = max(0, -top)  # stacked Vietnamese accents (Ấ, Ễ) rise above the font's ascent
    mask = Image.new("L", (max(1, right), pad + max(ascent + descent, bottom)))
    ImageDraw.Draw(mask).text((0, pad), text, font=font, fill=255, anchor="la")
    rgba = np.empty((mask.height, mask.width, 4), np.uint8)
    rgba[..., :3] = [round(c * 255) for c in to_rgb(colour)]
    rgba[..., 3] = np.asarray(mask)
    return rgba[::-1].copy(), pad, ascent, descent


def text_width(text: str, size: float, *, bold: bool = False) -> int:
    """Width in pixels of a Label's text (legends are laid out with it)."""
    return int(_bitmap(unicodedata.normalize("NFC", text), _px(size), bold, INK)[0].shape[1])


class Label(Artist):
    """One line of text at `xy` (in `transform`'s coordinates) moved by `offset` pixels, aligned
    like matplotlib's `ha` / `va`; drawn from Pillow's rasterisation (see the module doc)."""

    def __init__(
        self,
        xy: tuple[float, float],
        text: str,
        *,
        size: float,
        transform: Transform,
        bold: bool = False,
        colour: str = INK,
        ha: str = "left",
        va: str = "center",
        offset: tuple[float, float] = (0, 0),
    ) -> None:
        super().__init__()
        self.xy, self.offset, self.ha, self.va = xy, offset, ha, va
        # Combining accents (NFD, e.g. pasted from some keyboards) would need shaping to sit on
        # their letter; composed, every Vietnamese letter is one glyph of DejaVu Sans.
        self.text = unicodedata.normalize("NFC", text)
        self.px, self.bold, self.colour = _px(size), bold, colour
        self.set_transform(transform)
        self.set_zorder(3)

    def draw(self, renderer: Any) -> None:
        if not self.get_visible() or not self.text:
            return
        pixels, pad, ascent, descent = _bitmap(self.text, self.px, self.bold, self.colour)
        x, y = self.get_transform().transform(self.xy)
        x, y = x + self.offset[0], y + self.offset[1]
        h, w = pixels.shape[:2]
        line = ascent + descent
        top = {"top": y, "center": y + line / 2, "bottom": y + line, "baseline": y + ascent}[
            self.va
        ]
        left = {"left": x, "center": x - w / 2, "right": x - w}[self.ha]
        gc = renderer.new_gc()
        renderer.draw_image(gc, round(left), round(top + pad - h), pixels)  # lower-left corner
        gc.restore()


def label(fig: Figure, xy: tuple[float, float], text: str, **kw: Any) -> Label:
    """A Label in figure pixels (origin bottom left) unless a transform is given."""
    kw.setdefault("transform", IdentityTransform())
    artist = Label(xy, text, **kw)
    fig.add_artist(artist)
    return artist


# -- figure, plots, output -------------------------------------------------------------------------


def new_figure(height_px: int = 720) -> Figure:
    fig = Figure(figsize=(WIDTH_PX / DPI, height_px / DPI), dpi=DPI)
    FigureCanvasAgg(fig)
    return fig


class Plot:
    """A rectangle of the figure (figure fractions) showing data limits `xlim` × `ylim` (either
    may be reversed). What an Axes does for these charts, without one: an Axes builds two Axis
    objects, spines and a patch (~9 ms of CPU each, even turned off) that we never draw."""

    def __init__(
        self,
        fig: Figure,
        rect: tuple[float, float, float, float],
        xlim: tuple[float, float],
        ylim: tuple[float, float],
    ) -> None:
        self.fig = fig
        self.box = TransformedBbox(Bbox.from_bounds(*rect), fig.transFigure)
        self.frac = BboxTransformTo(self.box)  # 0-1 across the plot
        self.data = BboxTransformFrom(Bbox([[xlim[0], ylim[0]], [xlim[1], ylim[1]]])) + self.frac
        self.xlim, self.ylim = xlim, ylim

    def along_x(self) -> Transform:
        """x in data, y in plot fractions (vertical lines, labels under the plot)."""
        return blended_transform_factory(self.data, self.frac)

    def along_y(self) -> Transform:
        """x in plot fractions, y in data (horizontal lines, labels left of the plot)."""
        return blended_transform_factory(self.frac, self.data)

    def add(self, artist: Artist) -> None:
        self.fig.add_artist(artist)

    def text(self, xy: tuple[float, float], text: str, **kw: Any) -> None:
        kw.setdefault("transform", self.data)
        self.add(Label(xy, text, **kw))


def frame(
    plot: Plot,
    *,
    horizontal: bool,
    fmt: Any = None,
    limit: float | None = None,
    nbins: int = 5,
    ticks: Sequence[float] | None = None,
) -> None:
    """Grid lines across the value axis at round values (their labels outside the plot), and the
    left and bottom spines, as line collections: one under the bars, one over them."""
    fmt = fmt or _count
    lo, hi = sorted(plot.xlim if horizontal else plot.ylim)
    top = hi if limit is None else limit
    if ticks is None:
        ticks = [
            v for v in MaxNLocator(nbins=nbins, integer=True).tick_values(0, top) if lo <= v <= top
        ]
    if horizontal:
        trans = plot.along_x()
        lines = [[(float(v), 0.0), (float(v), 1.0)] for v in ticks if v]
        for v in ticks:
            plot.text((v, 0), fmt(v), size=10, transform=trans, ha="center", va="top",
                      offset=(0, -6), colour="#444444")  # fmt: skip
    else:
        trans = plot.along_y()
        lines = [[(0.0, float(v)), (1.0, float(v))] for v in ticks if v]
        for v in ticks:
            plot.text((0, v), fmt(v), size=10, transform=trans, ha="right", va="center",
                      offset=(-6, 0), colour="#444444")  # fmt: skip
    plot.add(LineCollection(lines, colors=GRID, linewidths=72 / DPI,  # one pixel
                            transform=trans, zorder=0.5, antialiaseds=False))  # fmt: skip
    plot.add(LineCollection([[(0, 1), (0, 0), (1, 0)]], colors=INK, linewidths=1,
                            transform=plot.frac, zorder=2, antialiaseds=False))  # fmt: skip


def categories_along(
    plot: Plot, labels: Sequence[str], at: Sequence[float], *, horizontal: bool, size: float = 11
) -> None:
    """Category names beside the rows (horizontal bars) or under the columns."""
    if horizontal:
        trans = plot.along_y()
        for pos, text in zip(at, labels, strict=True):
            plot.text((0, pos), text, size=size, transform=trans, ha="right", va="center",
                      offset=(-8, 0))  # fmt: skip
    else:
        trans = plot.along_x()
        for pos, text in zip(at, labels, strict=True):
            plot.text((pos, 0), text, size=size, transform=trans, ha="center", va="top",
                      offset=(0, -8))  # fmt: skip


def legend(fig: Figure, items: Sequence[tuple[str, str]], top_px: float) -> None:
    """A row of colour squares and names, right-aligned below the subtitle (wrapped to a second
    row when it would not fit)."""
    height = fig.get_figheight() * DPI
    rows: list[list[tuple[str, str, int]]] = [[]]
    used = 0
    room = WIDTH_PX * 0.96
    for name, colour in items:
        width = 20 + text_width(name, 10) + 22
        if rows[-1] and used + width > room:
            rows.append([])
            used = 0
        rows[-1].append((name, colour, width))
        used += width
    squares, colours = [], []
    for r, row in enumerate(rows):
        y = height - top_px - 22 - 26 * r  # centre of the row, pixels from the bottom
        x = WIDTH_PX * 0.98 - sum(w for _, _, w in row) + 22
        for name, colour, width in row:
            squares.append([(x, y - 7), (x + 14, y - 7), (x + 14, y + 7), (x, y + 7)])
            colours.append(colour)
            label(fig, (x + 20, y), name, size=10)
            x += width
    fig.add_artist(PolyCollection(squares, facecolors=colours, edgecolors="none",
                                  transform=IdentityTransform(), antialiaseds=False))  # fmt: skip


def png(fig: Figure) -> bytes:
    """The figure drawn once on its Agg canvas, encoded by Pillow at zlib level 1 (charts are
    flat colours: the file is a few per cent larger and the encode several times faster).

    Written as a palette image: a third of the bytes to filter and compress, half the file and
    half the encode time (Pillow's adaptive PNG filter per row, which palette images skip, was
    the largest part of it). A chart has a few hundred colours at most (flat fills, text and
    line edges): exactly its colours when they are at most 256 (`_indexed`), else 256 chosen by
    Pillow's fast octree (off by ~15 per channel at most, on antialiased edges only)."""
    canvas = fig.canvas
    assert isinstance(canvas, FigureCanvasAgg)
    canvas.draw()  # type: ignore[no-untyped-call]
    pixels = np.asarray(canvas.buffer_rgba())  # type: ignore[no-untyped-call]
    image = _indexed(pixels)
    if image is None:
        rgb = Image.fromarray(pixels).convert("RGB")
        image = rgb.quantize(256, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)
    buf = io.BytesIO()
    image.save(buf, format="PNG", compress_level=1)
    return buf.getvalue()


# Table sizes tried for `_indexed` (primes): the first under which the picture's colours fall
# in distinct slots is used (256 colours collide in 65,521 slots about one time in three).
_SLOTS = (4093, 8191, 16381, 32749, 65521, 131071, 262139, 524287, 1048573, 2097143)


def _indexed(pixels: np.ndarray) -> Image.Image | None:
    """The opaque RGBA picture as a palette image of exactly its colours, or None if it has more
    than 256. Pillow's quantize(palette=…) is not exact (its colour cache works on 5-6 bits a
    channel: white came out 252): here each colour is looked up in a small table indexed by its
    24-bit value modulo a prime."""
    height, width = pixels.shape[:2]
    found = Image.fromarray(pixels).getcolors(256)
    if found is None:
        return None
    colours = [tuple(rgba)[:3] for _, rgba in found]  # type: ignore[arg-type]
    keys = np.array([r | g << 8 | b << 16 for r, g, b in colours], np.uint32)
    slots = next((m for m in _SLOTS if len(np.unique(keys % m)) == len(keys)), None)
    if slots is None:
        return None
    table = np.zeros(slots, np.uint8)
    table[keys % slots] = np.arange(len(keys), dtype=np.uint8)
    # Little-endian 32-bit view of the RGBA bytes: r | g << 8 | b << 16 | a << 24.
    index = table[(pixels.view("<u4")[..., 0] & 0xFFFFFF) % slots]
    image = Image.frombytes("P", (width, height), index.tobytes())
    image.putpalette([c for colour in colours for c in colour])
    return image


# -- the shapes ------------------------------------------------------------------------------------


def rects(
    plot: Plot,
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
    data limits, which cost more than drawing them (a 15-row, 5-series chart: 75 artists). Not
    antialiased: the edges are axis-aligned, so smoothing them only blurs them."""
    half = thickness / 2
    verts = [
        [(b, p - half), (b + v, p - half), (b + v, p + half), (b, p + half)]
        if horizontal
        else [(p - half, b), (p + half, b), (p + half, b + v), (p - half, b + v)]
        for p, v, b in zip(at, values, base, strict=True)
        if v
    ]
    plot.add(PolyCollection(verts, facecolors=colour, edgecolors="none", label=label,
                            antialiaseds=False, zorder=1, transform=plot.data))  # fmt: skip


def title_block(fig: Figure, title: str, subtitle: str) -> None:
    """Title and scope · period line at fixed pixel offsets, whatever the figure's height."""
    height = fig.get_figheight() * DPI
    x = WIDTH_PX * 0.02
    label(fig, (x, height - 16), title, size=17, bold=True, va="top")
    label(fig, (x, height - 54), subtitle, size=12, colour="#444444", va="top")


def no_data(title: str, subtitle: str, message: str) -> bytes:
    """A clear "no data yet" picture instead of an empty axis."""
    fig = new_figure(540)
    title_block(fig, title, subtitle)
    label(fig, (WIDTH_PX / 2, 540 * 0.45), message, size=20, colour="#666666", ha="center")
    return png(fig)


def _count(v: float) -> str:
    return f"{int(v)}"


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
    rect = (
        0.28 if horizontal else 0.1,
        70 / height + 0.04,
        0.66 if horizontal else 0.86,
        top - 70 / height - 0.06,
    )
    totals = [sum(values) for values in zip(*(v for _, v in series), strict=True)] or [0] * n
    total_max = max(totals, default=0)
    if horizontal:  # first row on top
        plot = Plot(fig, rect, (0, total_max * 1.25 or 1), (n - 0.5, -0.5))
    else:
        plot = Plot(
            fig, rect, (-0.5, n - 0.5), (0, total_max * 1.15 or (1_000_000 if money else 1))
        )
    fmt = money_short if money else _count
    pos = list(range(n))
    base = [0] * n
    for i, (name, values) in enumerate(series):
        colour = PALETTE[i % len(PALETTE)]
        rects(plot, pos, values, base, 0.7 if horizontal else 0.75, colour, name,
              horizontal=horizontal)  # fmt: skip
        base = [b + v for b, v in zip(base, values, strict=True)]
    for i, total in enumerate(base):
        text = fmt(total)
        if notes:
            text += f"  ({notes[i]})"
        if total or notes:
            if horizontal:
                plot.text((total, i), text, size=10, offset=(6, 0))
            elif n <= 16 and total:
                plot.text((i, total), text, size=9, ha="center", va="bottom", offset=(0, 2))
    if horizontal:
        categories_along(plot, [_short(c) for c in categories], pos, horizontal=True)
        frame(plot, horizontal=True, fmt=fmt, limit=total_max * 1.1 or 1)
    else:
        step = max(1, -(-n // 10))  # at most ten labels: readable on a phone
        categories_along(
            plot, [categories[i] for i in pos[::step]], pos[::step], horizontal=False, size=10
        )
        frame(plot, horizontal=False, fmt=fmt)
    if len(series) > 1:
        legend(fig, [(s, PALETTE[i % len(PALETTE)]) for i, (s, _) in enumerate(series)], 80)
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
    n, k = len(categories), max(1, len(series))
    top = max((v for _, values in series for v in values), default=0)
    plot = Plot(fig, (0.1, 0.1, 0.86, 0.72), (-0.5, n - 0.5),
                (0, top * 1.1 or (1_000_000 if money else 1)))  # fmt: skip
    width = 0.8 / k
    for i, (name, values) in enumerate(series):
        xs = [p - 0.4 + width * (i + 0.5) for p in range(n)]
        rects(plot, xs, values, [0] * n, width, PALETTE[i % len(PALETTE)], name, horizontal=False)
    step = max(1, -(-n // 10))  # at most ten labels: readable on a phone
    at = list(range(n))[::step]
    categories_along(plot, [categories[i] for i in at], at, horizontal=False, size=10)
    frame(plot, horizontal=False, fmt=money_short if money else _count)
    legend(fig, [(s, PALETTE[i % len(PALETTE)]) for i, (s, _) in enumerate(series)], 80)
    return png(fig)


def line(
    title: str, subtitle: str, categories: Sequence[str], values: Sequence[int], label: str
) -> bytes:
    fig = new_figure(720)
    title_block(fig, title, subtitle)
    pos = list(range(len(categories)))
    plot = Plot(fig, (0.08, 0.1, 0.88, 0.72), (-0.5, len(pos) - 0.5),
                (0, max(values, default=0) * 1.2 or 1))  # fmt: skip
    plot.add(Line2D(pos, values, color=PALETTE[0], marker="o", linewidth=2.5, label=label,
                    zorder=2, transform=plot.data))  # fmt: skip
    for x, v in zip(pos, values, strict=True):
        if v:
            plot.text((x, v), str(v), size=10, ha="center", va="bottom", offset=(0, 10))
    categories_along(plot, list(categories), pos, horizontal=False)
    frame(plot, horizontal=False)
    return png(fig)


def _short(name: str, limit: int = 24) -> str:
    return name if len(name) <= limit else name[: limit - 1] + "…"
