"""QR codes as images: a PNG to send in chat, a 1-bit PIL image to put on a bill."""

from __future__ import annotations

import io

import qrcode
from PIL import Image
from qrcode.constants import ERROR_CORRECT_M


def qr_image(payload: str, *, size: int) -> Image.Image:
    """A black-on-white mode "1" image about `size` px wide, modules kept whole (no blur)."""
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, box_size=1, border=2)
    code.add_data(payload)
    code.make(fit=True)
    matrix = code.get_matrix()
    modules = len(matrix)
    box = max(1, size // modules)
    img = Image.new("1", (modules, modules), 1)
    img.putdata([0 if cell else 1 for row in matrix for cell in row])
    return img.resize((modules * box, modules * box), Image.Resampling.NEAREST)


def qr_png(payload: str, *, size: int = 480) -> bytes:
    buf = io.BytesIO()
    qr_image(payload, size=size).save(buf, format="PNG", optimize=True)
    return buf.getvalue()
