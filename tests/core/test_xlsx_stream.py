"""The fast xlsx reader (#21 imports) gives exactly what openpyxl's read-only mode + `text` give,
on a workbook written by openpyxl and on a hand-made one (inline strings, shared formulas, no row or
cell references, no dimension, a gap of rows), and refuses a damaged file."""

from __future__ import annotations

import zipfile
from datetime import date, datetime, time
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook  # type: ignore[import-untyped]
from openpyxl.cell.rich_text import CellRichText, TextBlock  # type: ignore[import-untyped]
from openpyxl.cell.text import InlineFont  # type: ignore[import-untyped]

from spacrm.core.errors import DomainError
from spacrm.core.services.table_files import MAX_COLUMNS, _trim, estimate_rows, read_rows, text


def by_openpyxl(path: Path) -> list[list[str]]:
    book = load_workbook(path, read_only=True, data_only=False)
    try:
        rows = book.worksheets[0].iter_rows(values_only=True, max_col=MAX_COLUMNS)
        return [_trim([text(v) for v in row]) for row in rows]
    finally:
        book.close()


def test_same_rows_as_openpyxl_for_an_openpyxl_workbook(tmp_path: Path) -> None:
    book = Workbook()
    first = book.active
    first.title = "Khách"
    first.append(["DANH SÁCH"])
    first.append([])
    first.append(["Tên", "SĐT", "Ngày", "Giờ", "Số", "Đúng", "Ghi chú"])
    first.append(["  Phạm Thị Hương ", "0903123456", date(2026, 3, 8), time(9, 30), 2.5, True,
                  '=HYPERLINK("http://x","bấm")'])  # fmt: skip
    first.append([unicodedata_nfd("Lê Đức"), 903123457, datetime(2026, 3, 8, 14, 5), None, 1e20,
                  False, "=A4&B4"])  # fmt: skip
    first["J9"] = "xa bên phải"
    first["A12"] = CellRichText(["Trần ", TextBlock(InlineFont(b=True), "Bình")])
    first["B12"] = 1234567.0
    first["C12"] = "x005F_y"
    first.cell(row=13, column=MAX_COLUMNS + 3, value="quá xa")
    book.create_sheet("Trang khác").append(["không đọc"])
    path = tmp_path / "a.xlsx"
    book.save(path)
    got = list(read_rows(path, "xlsx"))
    assert got == by_openpyxl(path)
    assert got[3][:3] == ["Phạm Thị Hương", "0903123456", "08/03/2026"]
    assert got[3][6] == '=HYPERLINK("http://x","bấm")'
    assert got[11][0] == "Trần Bình"
    assert estimate_rows(path, "xlsx") == 13


def unicodedata_nfd(s: str) -> str:
    import unicodedata

    return unicodedata.normalize("NFD", s)


_SHEET = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
<row><c t="inlineStr"><is><t>Họ tên</t></is></c><c t="inlineStr"><is><t>Điện thoại</t></is></c><c t="inlineStr"><is><t>Tổng</t></is></c></row>
<row><c t="inlineStr"><is><r><t>An </t></r><r><t>Nhiên</t></r></is></c><c><v>903000001</v></c><c r="C2"><f t="shared" ref="C2:C3" si="0">B2*2</f><v>1</v></c></row>
<row r="3"><c r="A3" t="str"><v>Cached &amp; text</v></c><c r="B3" t="b"><v>1</v></c><c r="C3"><f t="shared" si="0"/><v>2</v></c></row>
<row r="6"><c r="C6" t="e"><v>#N/A</v></c><c r="E6" t="inlineStr"><is><t xml:space="preserve">  cách  </t></is></c></row>
<row r="6"><c r="A6" t="inlineStr"><is><t>trùng</t></is></c></row>
<row r="7"><c r="A7" t="d"><v>2026-03-08T00:00:00</v></c><c r="B7"><v>1.5E3</v></c></row>
</sheetData></worksheet>"""

_PARTS = {
    "[Content_Types].xml": """<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/s1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>""",
    "_rels/.rels": """<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>""",
    "xl/workbook.xml": """<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>""",
    "xl/_rels/workbook.xml.rels": """<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="/xl/worksheets/s1.xml"/></Relationships>""",
    "xl/worksheets/s1.xml": _SHEET,
}  # fmt: skip


def test_same_rows_as_openpyxl_for_a_hand_made_workbook(tmp_path: Path) -> None:
    path = tmp_path / "h.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        for name, body in _PARTS.items():
            z.writestr(name, body)
    got = list(read_rows(path, "xlsx"))
    assert got == by_openpyxl(path)
    assert got[1] == ["An Nhiên", "903000001", "=B2*2"]
    assert got[2] == ["Cached & text", "TRUE", "=B3*2"]
    assert got[5] == ["", "", "#N/A", "", "cách"]
    assert estimate_rows(path, "xlsx") == 6  # counted tags: an estimate


def test_a_damaged_workbook_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "d.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        for name, body in _PARTS.items():
            z.writestr(name, body.replace("</sheetData>", "") if name.endswith("s1.xml") else body)
    with pytest.raises(DomainError) as err:
        list(read_rows(path, "xlsx"))
    assert err.value.params["reason"] == "not_xlsx"
