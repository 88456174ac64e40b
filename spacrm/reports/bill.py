"""The counter bill as a 1-bit raster image, exactly as wide as the printer's dot line.

Device fonts cannot print Vietnamese reliably on cheap K80/K57 printers (protocols/printers.md), so the
whole bill is drawn here with a bundled DejaVu font and sent to the printer as one raster image. The
same PNG is what the chat shows, so what staff see is what the customer gets."""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from spacrm.reports.qr import qr_image

FONT_DIR = Path(__file__).parent / "fonts"
PAPER_DOTS = {"k80": 576, "k57": 384}
MARGIN = 8


@dataclass(frozen=True, slots=True)
class BillLine:
    name: str
    qty: int
    unit_price: int
    amount: int


@dataclass(frozen=True, slots=True)
class BillData:
    """What a bill shows; built by the caller from an order (orders.order_view)."""

    spa_name: str
    branch_name: str
    number: str
    day: date
    customer: str
    lines: Sequence[BillLine]
    discount: int
    total: int
    paid: int
    outstanding: int
    methods: Sequence[str] = ()
    vietqr: str | None = None  # payload for the outstanding amount, drawn as a QR
    labels: Mapping[str, str] = field(default_factory=dict)


DEFAULT_LABELS = {
    "title": "HÓA ĐƠN BÁN HÀNG",
    "number": "Số",
    "date": "Ngày",
    "customer": "Khách hàng",
    "discount": "Giảm giá",
    "total": "Tổng cộng",
    "paid": "Đã trả",
    "outstanding": "Còn lại",
    "method": "Hình thức",
    "scan": "Quét mã để chuyển khoản",
    "thanks": "Cảm ơn quý khách, hẹn gặp lại!",
}


def money(amount: int) -> str:
    return f"{amount:,}".replace(",", ".") + " ₫"


@lru_cache(maxsize=8)
def font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    name = "DejaVuSansCondensed-Bold.ttf" if bold else "DejaVuSansCondensed.ttf"
    return ImageFont.truetype(str(FONT_DIR / name), size)


class _Canvas:
    """Draws top to bottom on a tall page; `finish` crops to what was used."""

    def __init__(self, width: int) -> None:
        self.width = width
        self.scale = width / 576
        self.img = Image.new("L", (width, 4000), 255)
        self.draw = ImageDraw.Draw(self.img)
        self.y = MARGIN

    def px(self, size: int) -> int:
        return max(12, round(size * self.scale))

    def _wrap(self, text: str, f: ImageFont.FreeTypeFont, width: int) -> list[str]:
        lines: list[str] = []
        for para in text.split("\n"):
            current = ""
            for word in para.split(" "):
                trial = f"{current} {word}".strip()
                if current and self.draw.textlength(trial, font=f) > width:
                    lines.append(current)
                    current = word
                else:
                    current = trial
            lines.append(current)
        return lines

    def text(self, text: str, size: int, *, bold: bool = False, align: str = "left") -> None:
        f = font(self.px(size), bold)
        usable = self.width - 2 * MARGIN
        for line in self._wrap(text, f, usable):
            w = self.draw.textlength(line, font=f)
            x = {"left": MARGIN, "center": (self.width - w) / 2, "right": self.width - MARGIN - w}[
                align
            ]
            self.draw.text((x, self.y), line, font=f, fill=0)
            self.y += round(f.size * 1.3)

    def pair(self, left: str, right: str, size: int, *, bold: bool = False) -> None:
        """A label (wrapped if long) with a right-aligned value on its last line."""
        f = font(self.px(size), bold)
        right_w = self.draw.textlength(right, font=f)
        lines = self._wrap(left, f, round(self.width - 2 * MARGIN - right_w - 10))
        for n, line in enumerate(lines):
            self.draw.text((MARGIN, self.y), line, font=f, fill=0)
            if n == len(lines) - 1:
                self.draw.text((self.width - MARGIN - right_w, self.y), right, font=f, fill=0)
            self.y += round(f.size * 1.3)

    def rule(self) -> None:
        self.y += 4
        self.draw.line((MARGIN, self.y, self.width - MARGIN, self.y), fill=0, width=2)
        self.y += 8

    def image(self, img: Image.Image) -> None:
        self.img.paste(img.convert("L"), ((self.width - img.width) // 2, self.y))
        self.y += img.height + 4

    def finish(self) -> Image.Image:
        page = self.img.crop((0, 0, self.width, self.y + MARGIN * 3))
        # threshold, not dithering: text edges stay crisp on a thermal head
        return page.point(lambda v: 255 if v > 160 else 0, mode="1")


def render_bill(bill: BillData, paper: str = "k80") -> Image.Image:
    """The bill as a mode "1" image 576 (K80) or 384 (K57) dots wide."""
    if paper not in PAPER_DOTS:
        raise ValueError(f"unknown paper {paper!r}; use k80 or k57")
    label = {**DEFAULT_LABELS, **bill.labels}
    c = _Canvas(PAPER_DOTS[paper])
    c.text(bill.spa_name, 34, bold=True, align="center")
    if bill.branch_name:
        c.text(bill.branch_name, 22, align="center")
    c.y += 6
    c.text(label["title"], 28, bold=True, align="center")
    c.pair(f"{label['number']}: {bill.number}", f"{label['date']}: {bill.day:%d/%m/%Y}", 22)
    if bill.customer:
        c.text(f"{label['customer']}: {bill.customer}", 22)
    c.rule()
    for line in bill.lines:
        c.text(line.name, 24, bold=True)
        c.pair(f"  {line.qty} x {money(line.unit_price)}", money(line.amount), 22)
    c.rule()
    if bill.discount:
        c.pair(label["discount"], "-" + money(bill.discount), 24)
    c.pair(label["total"], money(bill.total), 30, bold=True)
    c.pair(label["paid"], money(bill.paid), 24)
    if bill.methods:
        c.pair(label["method"], ", ".join(bill.methods), 22)
    if bill.outstanding:
        c.pair(label["outstanding"], money(bill.outstanding), 28, bold=True)
    if bill.vietqr and bill.outstanding:
        c.rule()
        c.text(label["scan"], 22, align="center")
        c.image(qr_image(bill.vietqr, size=round(c.width * 0.6)))
    c.rule()
    c.text(label["thanks"], 24, align="center")
    return c.finish()


def bill_png(bill: BillData, paper: str = "k80") -> bytes:
    buf = io.BytesIO()
    render_bill(bill, paper).save(buf, format="PNG", optimize=False)
    return buf.getvalue()
