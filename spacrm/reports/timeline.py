"""The day's timeline (#9): one PNG per day, a row per technician, a block per appointment from
its start to its end, coloured by status, the customer's name on it. Figure API only (thread-safe),
drawn in a worker thread by the caller; Vietnamese labels come in from the intent."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from spacrm.reports.charts._draw import FONT, PALETTE, WIDTH_PX, new_figure, png, title_block

# Okabe-Ito colours by status: booked blue, confirmed bluish green, in the room orange,
# done grey, no-show vermillion.
STATUS_COLOURS = {
    "booked": PALETTE[0],
    "confirmed": PALETTE[2],
    "checked_in": PALETTE[1],
    "done": "#999999",
    "no_show": PALETTE[5],
}
ROW_PX = 56
MAX_ROWS = 40
MAX_LABELS = 120  # more blocks than this: colours only (names in the text list)
CHAR_PX = 6.5  # a generous width of one character at 8 pt and 120 dpi, so a name never overflows
LABEL_PAD_PX = 3.0


@dataclass(frozen=True, slots=True)
class Block:
    row: int  # index into the row names
    start_min: int  # minutes after local midnight
    end_min: int
    label: str
    status: str


def render_timeline(
    title: str,
    subtitle: str,
    rows: Sequence[str],
    blocks: Sequence[Block],
    hours: tuple[int, int],
    legend: Sequence[tuple[str, str]] = (),
) -> bytes:
    """PNG bytes. `hours` is the span drawn (opening to closing, minutes); `legend` pairs a
    status with its label."""
    rows = list(rows)[:MAX_ROWS]
    n = max(1, len(rows))
    height = max(300, 230 + ROW_PX * n)
    fig = new_figure(height)
    title_block(fig, title, subtitle)
    bottom, top = 60 / height, 1 - 130 / height
    ax = fig.add_axes((0.2, bottom, 0.77, top - bottom))
    start = min([hours[0], *(b.start_min for b in blocks)])
    end = max([hours[1], *(b.end_min for b in blocks)])
    start, end = start // 60 * 60, -(-end // 60) * 60
    # One broken_barh per (row, status) and names only while they stay readable: a 30-technician
    # day of 600 blocks draws in a fraction of the time of one artist per block.
    spans: dict[tuple[int, str], list[tuple[int, int]]] = {}
    for b in blocks:
        if b.row < len(rows):
            spans.setdefault((b.row, b.status), []).append((b.start_min, b.end_min - b.start_min))
    for (row, status), pieces in spans.items():
        ax.broken_barh(pieces, (row - 0.35, 0.7), facecolors=STATUS_COLOURS.get(status, PALETTE[0]),
                       edgecolors="white")  # fmt: skip
    if len(blocks) <= MAX_LABELS:
        # White text outside its block is invisible and reads as a cut name ("Lar"): measure the
        # block in pixels and draw the full name, else the given name, else nothing.
        px_per_min = WIDTH_PX * 0.77 / max(1, end - start)
        for b in blocks:
            if b.row >= len(rows):
                continue
            room = (b.end_min - b.start_min) * px_per_min - 2 * LABEL_PAD_PX
            label = next((c for c in (b.label[:18], (b.label.split() or [""])[-1][:18])
                          if c and len(c) * CHAR_PX <= room), None)  # fmt: skip
            if label is None:
                continue
            ax.text(b.start_min + LABEL_PAD_PX / px_per_min, b.row, label, va="center", ha="left",
                    fontsize=8, color="white", family=FONT, clip_on=True)  # fmt: skip
    ax.set_xlim(start, end)
    ax.set_ylim(n - 0.5, -0.5)  # the first technician on top
    ax.set_yticks(range(len(rows)))
    ax.set_yticklabels(rows, fontsize=10, family=FONT)
    ticks = list(range(start, end + 1, 60))
    ax.set_xticks(ticks)
    ax.set_xticklabels([f"{t // 60:02d}h" for t in ticks], fontsize=9, family=FONT)
    ax.grid(axis="x", color="#dddddd", linewidth=0.8)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    x = 0.2
    for status, label in legend:
        fig.text(x, 1 - 100 / height, "■ " + label, color=STATUS_COLOURS.get(status, "#000000"),
                 fontsize=10, family=FONT, va="center")  # fmt: skip
        x += 0.15
    return png(fig)
