"""Excel files (#19, #21): openpyxl's write-only mode, so rows go to a temporary file as they
come and memory stays flat however long the export; Vietnamese headers (given by the caller),
VND number format, real dates, a frozen header row, filters and widths that fit the columns.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from typing import Any

from openpyxl import Workbook  # type: ignore[import-untyped]
from openpyxl.cell import WriteOnlyCell  # type: ignore[import-untyped]
from openpyxl.styles import Alignment, Font, PatternFill  # type: ignore[import-untyped]
from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]

FORMATS = {
    "money": '#,##0 "₫"',
    "int": "#,##0",
    "date": "DD/MM/YYYY",
    "datetime": "DD/MM/YYYY HH:MM",
    "pct": '0"%"',
    "qty": "#,##0.###",
}
WIDTHS = {"qty": 12, "money": 16, "int": 10, "date": 12, "datetime": 17, "pct": 8, "text": 24}
MAX_WIDTH = 50


_ACTIVE = ("=", "+", "-", "@", "\t", "\r")


def neutralise(text: str) -> str:
    """Text a spreadsheet would take for a formula ("=HYPERLINK(…)", "+1", "@SUM") gets a leading
    apostrophe: openpyxl writes any string starting with "=" as a formula, and Excel or
    LibreOffice would run what a customer typed into a form (#21)."""
    return "'" + text if text.startswith(_ACTIVE) else text


class XlsxWriter:
    """One sheet: `append` pages of rows (from a worker thread), then `finish` for the bytes.

    `convert` maps a column index to a function applied to its values (codes → labels)."""

    def __init__(
        self,
        title: str,
        headers: Sequence[str],
        kinds: Sequence[str],
        convert: dict[int, Callable[[Any], Any]] | None = None,
    ) -> None:
        self.book = Workbook(write_only=True)
        self.sheet = self.book.create_sheet(title[:31])
        self.kinds = list(kinds)
        self.convert = convert or {}
        self.rows = 0
        for i, (header, kind) in enumerate(zip(headers, kinds, strict=True), start=1):
            width = max(WIDTHS.get(kind, 14), min(MAX_WIDTH, len(header) + 4))
            self.sheet.column_dimensions[get_column_letter(i)].width = width
        self.sheet.freeze_panes = "A2"
        bold, fill = Font(bold=True, color="FFFFFF"), PatternFill("solid", fgColor="0072B2")
        head = []
        for header in headers:
            cell = WriteOnlyCell(self.sheet, value=header)
            cell.font, cell.fill = bold, fill
            cell.alignment = Alignment(wrap_text=True, vertical="center")
            head.append(cell)
        self.sheet.append(head)
        self._formats = [FORMATS.get(k) for k in self.kinds]

    def append(self, rows: Iterable[Sequence[Any]]) -> None:
        formats = self._formats
        for row in rows:
            out: list[Any] = []
            for i, value in enumerate(row):
                if i in self.convert:
                    value = self.convert[i](value)
                if isinstance(value, str):
                    value = neutralise(value)
                fmt = formats[i]
                if fmt is None or value is None:
                    out.append(value)
                    continue
                if isinstance(value, datetime) and self.kinds[i] == "date":
                    value = value.date()
                cell = WriteOnlyCell(self.sheet, value=value)
                cell.number_format = fmt
                out.append(cell)
            self.sheet.append(out)
            self.rows += 1

    def finish(self) -> bytes:
        last = get_column_letter(len(self.kinds))
        self.sheet.auto_filter.ref = f"A1:{last}{self.rows + 1}"
        buf = io.BytesIO()
        self.book.save(buf)
        return buf.getvalue()
