"""Excel files (#19, #21), written as the XML of an .xlsx straight into a zip on a temporary
file: rows are turned into text as they come (a page at a time) and memory stays flat however long
the export. openpyxl's write-only mode did the same at a tenth of the speed (a cell object and
its style per value: 36 s for 96k rows); this writer only knows what exports need: Vietnamese
headers (given by the caller), VND number format, real dates, a frozen header row, filters and
widths that fit the columns. The files open in Excel, LibreOffice and openpyxl.
"""

from __future__ import annotations

import re
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime
from typing import IO, Any

from spacrm.core.services.xlsx_stream import column_letters

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
_STYLE = {kind: n for n, kind in enumerate(FORMATS, start=2)}  # 0 plain, 1 the header
_EPOCH = datetime(1899, 12, 30)
_SHEET_NAME = re.compile(r"[\[\]:*?/\\]")
# One pass per string: the XML entities, and the characters XML 1.0 cannot carry (control
# characters other than tab and newlines) dropped.
_ESCAPES: dict[int, str | None] = {ord("&"): "&amp;", ord("<"): "&lt;", ord(">"): "&gt;",
                                   ord('"'): "&quot;", 0xFFFE: None, 0xFFFF: None}  # fmt: skip
_ESCAPES.update({c: None for c in range(32) if c not in (9, 10, 13)})


_NEEDS_ESCAPE = re.compile('[&<>"\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]')


def _esc(text: str) -> str:
    """Most names and notes need nothing: one C-speed search, the translation only if needed."""
    return text.translate(_ESCAPES) if _NEEDS_ESCAPE.search(text) else text


def _serial(value: date) -> float:
    if isinstance(value, datetime):
        delta = value.replace(tzinfo=None) - _EPOCH
        return delta.days + delta.seconds / 86400
    return float((value - _EPOCH.date()).days)


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
        self.kinds = list(kinds)
        self.convert = convert or {}
        self.rows = 0
        self._letters = [column_letters(i) for i in range(1, len(self.kinds) + 1)]
        self._styles = [_STYLE.get(k, 0) for k in self.kinds]
        self._file: IO[bytes] = tempfile.TemporaryFile()
        self._zip = zipfile.ZipFile(self._file, "w", zipfile.ZIP_DEFLATED, compresslevel=1)
        name = _SHEET_NAME.sub(" ", title)[:31].strip() or "Sheet1"
        for path, xml in _static_parts(_esc(name)).items():
            self._zip.writestr(path, xml)
        self._sheet = self._zip.open("xl/worksheets/sheet1.xml", "w", force_zip64=True)
        cols = "".join(
            f'<col min="{i}" max="{i}" width="{max(WIDTHS.get(k, 14), min(MAX_WIDTH, len(h) + 4))}" customWidth="1"/>'
            for i, (h, k) in enumerate(zip(headers, self.kinds, strict=True), start=1)
        )
        head = "".join(
            f'<c r="{c}1" s="1" t="inlineStr"><is><t>{_esc(str(h))}</t></is></c>'
            for c, h in zip(self._letters, headers, strict=True)
        )
        self._write(
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" '
            'activePane="bottomLeft" state="frozen"/><selection pane="bottomLeft" activeCell="A2" '
            f'sqref="A2"/></sheetView></sheetViews><cols>{cols}</cols><sheetData>'
            f'<row r="1">{head}</row>'
        )

    def _write(self, text: str) -> None:
        self._sheet.write(text.encode())

    def _cell(self, ref: str, i: int, value: Any) -> str:
        if i in self.convert:
            value = self.convert[i](value)
        if value is None or value == "":
            return ""
        if type(value) is str:  # the common case first
            # An inline string is never a formula here, but the text is neutralised anyway: a
            # user who copies it into another sheet or saves as CSV must not run it (#21).
            text = _esc(neutralise(value))
            return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'
        if isinstance(value, bool):
            return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
        if isinstance(value, int | float):
            return f'<c r="{ref}" s="{self._styles[i]}"><v>{value}</v></c>'
        if isinstance(value, date):
            if self.kinds[i] == "date" and isinstance(value, datetime):
                value = value.date()
            style = self._styles[i] or _STYLE["datetime" if isinstance(value, datetime) else "date"]
            return f'<c r="{ref}" s="{style}"><v>{_serial(value)}</v></c>'
        return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{_esc(str(value))}</t></is></c>'

    def append(self, rows: Iterable[Sequence[Any]]) -> None:
        out = []
        letters, cell = self._letters, self._cell
        for row in rows:
            self.rows += 1
            n = self.rows + 1
            cells = "".join(cell(f"{letters[i]}{n}", i, v) for i, v in enumerate(row))
            out.append(f'<row r="{n}">{cells}</row>')
        self._write("".join(out))

    def finish(self) -> bytes:
        last = self._letters[-1] if self._letters else "A"
        self._write(f'</sheetData><autoFilter ref="A1:{last}{self.rows + 1}"/></worksheet>')
        self._sheet.close()
        self._zip.close()
        self._file.seek(0)
        data = self._file.read()
        self._file.close()
        return data


def _static_parts(sheet_name: str) -> dict[str, str]:
    ns = "http://schemas.openxmlformats.org"
    head = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    fmts = "".join(
        f'<numFmt numFmtId="{163 + n}" formatCode="{_esc(code)}"/>'
        for n, code in enumerate(FORMATS.values(), start=1)
    )
    xfs = "".join(
        f'<xf numFmtId="{163 + n}" fontId="0" fillId="0" borderId="0" applyNumberFormat="1"/>'
        for n in range(1, len(FORMATS) + 1)
    )
    return {
        "[Content_Types].xml": head + f'<Types xmlns="{ns}/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
        "</Types>",
        "_rels/.rels": head + f'<Relationships xmlns="{ns}/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{ns}/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
        "</Relationships>",
        "xl/workbook.xml": head
        + f'<workbook xmlns="{ns}/spreadsheetml/2006/main" xmlns:r="{ns}/officeDocument/2006/relationships">'
        f'<sheets><sheet name="{sheet_name}" sheetId="1" r:id="rId1"/></sheets>'
        "</workbook>",
        "xl/_rels/workbook.xml.rels": head
        + f'<Relationships xmlns="{ns}/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{ns}/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
        f'<Relationship Id="rId2" Type="{ns}/officeDocument/2006/relationships/styles" Target="styles.xml"/>'
        "</Relationships>",
        "xl/styles.xml": head + f'<styleSheet xmlns="{ns}/spreadsheetml/2006/main">'
        f'<numFmts count="{len(FORMATS)}">{fmts}</numFmts>'
        '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
        '<font><b/><sz val="11"/><color rgb="FFFFFFFF"/><name val="Calibri"/></font></fonts>'
        '<fills count="3"><fill><patternFill patternType="none"/></fill>'
        '<fill><patternFill patternType="gray125"/></fill>'
        '<fill><patternFill patternType="solid"><fgColor rgb="FF0072B2"/></patternFill></fill></fills>'
        '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
        f'<cellXfs count="{2 + len(FORMATS)}"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
        '<xf numFmtId="0" fontId="1" fillId="2" borderId="0" applyFont="1" applyFill="1" applyAlignment="1">'
        '<alignment vertical="center" wrapText="1"/></xf>'
        f"{xfs}</cellXfs>"
        '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
        "</styleSheet>",
    }
