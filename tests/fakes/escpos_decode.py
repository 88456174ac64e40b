"""Decode the ESC/POS subset our printer agent sends back into what a printer would show: the raster
images (GS v 0, stacked as the paper feeds) and how many cuts. Anything else unknown is an error,
so a test notices when the agent starts sending commands we do not expect."""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from PIL import Image, ImageChops


@dataclass
class Printout:
    images: list[Image.Image] = field(default_factory=list)
    cuts: int = 0
    inits: int = 0


def _raster(data: bytes, i: int) -> tuple[Image.Image, int]:
    # GS v 0 m xL xH yL yH d1...dk ; width in bytes, height in dots; 1 bit = black, MSB first
    width_bytes = data[i + 4] + 256 * data[i + 5]
    height = data[i + 6] + 256 * data[i + 7]
    start = i + 8
    end = start + width_bytes * height
    if end > len(data):
        raise ValueError("raster data truncated")
    inverted = bytes(b ^ 0xFF for b in data[start:end])  # PIL mode "1": 1 = white
    img = Image.frombytes("1", (width_bytes * 8, height), inverted)
    return img, end


def decode(data: bytes) -> Printout:
    out = Printout()
    parts: list[Image.Image] = []
    i = 0
    while i < len(data):
        if data[i : i + 2] == b"\x1b@":
            out.inits += 1
            i += 2
        elif data[i : i + 3] == b"\x1dv0":
            img, i = _raster(data, i)
            parts.append(img)
        elif data[i : i + 2] == b"\x1dV":
            # GS V m (m = 0/1/48/49), or GS V m n (m = 65/66: feed n then cut)
            m = data[i + 2]
            i += 4 if m in (65, 66) else 3
            out.cuts += 1
            out.images.append(_stack(parts)) if parts else None
            parts = []
        elif data[i : i + 2] in (b"\x1ba", b"\x1bd", b"\x1b3"):
            i += 3  # align / feed n lines / line spacing: no effect on the raster
        elif data[i : i + 2] == b"\x1b2":
            i += 2
        elif data[i] == 0x0A:
            i += 1
        else:
            raise ValueError(f"unexpected ESC/POS byte 0x{data[i]:02x} at {i}: {data[i : i + 8]!r}")
    if parts:
        out.images.append(_stack(parts))
    return out


def _stack(parts: list[Image.Image]) -> Image.Image:
    width = max(p.width for p in parts)
    page = Image.new("1", (width, sum(p.height for p in parts)), 1)
    y = 0
    for p in parts:
        page.paste(p, (0, y))
        y += p.height
    return page


def assert_prints(raw: bytes, png: bytes) -> Image.Image:
    """What a printer received (`raw`) shows exactly the image `png` on one cut page; returns
    that page."""
    out = decode(raw)
    assert out.cuts == 1 and len(out.images) == 1
    expected = Image.open(io.BytesIO(png)).convert("1")
    got = out.images[0]
    assert got.size == expected.size
    assert ImageChops.difference(expected.convert("L"), got.convert("L")).getbbox() is None
    return got
