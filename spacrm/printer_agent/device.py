"""Printer targets: "file:PATH", "network:HOST[:PORT]", "usb:VID:PID" (hex), "serial:DEV[:BAUD]"."""

from __future__ import annotations

import copy
import io
from typing import Any

from escpos.printer import File, Network, Serial, Usb
from PIL import Image


class AppendFile(File):  # type: ignore[misc]
    """A file target that keeps every job (a spool file, or a /dev/usb/lp0 device node)."""

    def open(self, raise_not_found: bool = True) -> None:
        if self._device:
            self.close()
        self.device = open(self.devfile, "ab")  # escpos closes it


def open_target(spec: str) -> Any:
    """An escpos printer for a target spec; raises ValueError on a spec we cannot read."""
    kind, _, rest = spec.partition(":")
    if not rest:
        raise ValueError(f"printer target needs a value: {spec!r}")
    if kind == "file":
        return AppendFile(rest)
    if kind == "network":
        host, _, port = rest.partition(":")
        return Network(host, int(port or 9100), timeout=10)
    if kind == "usb":
        vid, _, pid = rest.partition(":")
        return Usb(int(vid, 16), int(pid, 16))
    if kind == "serial":
        dev, _, baud = rest.partition(":")
        return Serial(dev, baudrate=int(baud or 9600))
    raise ValueError(f"unknown printer target {kind!r}: use file:, network:, usb: or serial:")


def print_png(printer: Any, png: bytes) -> None:
    """Print one raster image (GS v 0) and cut. The image is already the paper's dot width."""
    with Image.open(io.BytesIO(png)) as img:
        bitmap = img.convert("1")
    # escpos shares one profile dict between printer objects; give this one its own copy with the
    # job's width (the server drew the bill for this printer's paper), so a K57 job never limits
    # the next K80 one and escpos does not warn that the width is unknown.
    profile = copy.deepcopy(printer.profile.profile_data)
    profile.setdefault("media", {}).setdefault("width", {})["pixels"] = bitmap.width
    printer.profile.profile_data = profile
    printer.hw("INIT")
    printer.image(bitmap, impl="bitImageRaster")
    printer.cut()
    printer.close()
