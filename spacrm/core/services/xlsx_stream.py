"""A lean streaming reader for the first sheet of an xlsx file, as rows of text (#21 imports).

It yields exactly what openpyxl's read-only mode plus `table_files.text` would (formulas as their
text, never evaluated; dates by their cell style; gaps filled with empty cells and rows), at a
fraction of the cost: openpyxl builds a dict per cell and parses the whole sheet once more just to
look for its dimension when the writer left it out, which made reading most of an import's time.
Here each row is one C-parsed element whose cells are read in one loop, shared strings are turned
into text once (not once per use), and finished rows are dropped so memory stays flat.
"""

from __future__ import annotations

import posixpath
import zipfile
from collections.abc import Callable, Iterator
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element, ParseError, fromstring, iterparse

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_DOC_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_ROW, _C, _V, _F, _IS, _T, _R = (MAIN + t for t in ("row", "c", "v", "f", "is", "t", "r"))
_SHEET_DATA = MAIN + "sheetData"


class NotXlsx(Exception):
    """The file is not a readable xlsx workbook."""


def _rels(book: zipfile.ZipFile, part: str) -> dict[str, tuple[str, str]]:
    """Relationship id → (type, target path inside the zip) for `part`."""
    folder, name = posixpath.split(part)
    try:
        root = fromstring(book.read(posixpath.join(folder, "_rels", name + ".rels")))
    except KeyError:
        return {}
    out = {}
    for rel in root.iter(_REL):
        target = rel.get("Target", "")
        path = target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
        out[rel.get("Id", "")] = (rel.get("Type", ""), posixpath.normpath(path))
    return out


def _parts(book: zipfile.ZipFile) -> tuple[str, str | None, str | None, bool]:
    """The first worksheet's path, the shared strings' and styles' paths, and the 1904 epoch."""
    workbook = next(
        (p for t, p in _rels(book, "").values() if t.endswith("/officeDocument")), "xl/workbook.xml"
    )
    root = fromstring(book.read(workbook))
    rels = _rels(book, workbook)
    pr = root.find(MAIN + "workbookPr")
    date1904 = pr is not None and pr.get("date1904", "").lower() in ("1", "true")
    sheets = [rels.get(s.get(_DOC_REL, ""), ("", "")) for s in root.iter(MAIN + "sheet")]
    first = next((p for t, p in sheets if t.endswith("/worksheet")), None)
    if first is None:
        raise NotXlsx("no worksheet")
    by_type = {t.rsplit("/", 1)[-1]: p for t, p in rels.values()}
    return first, by_type.get("sharedStrings"), by_type.get("styles"), date1904


def _shared_strings(
    book: zipfile.ZipFile, part: str | None, text: Callable[[Any], str]
) -> list[str]:
    """The shared string table, each already as cell text (as openpyxl: plain text, then runs)."""
    if part is None or part not in book.namelist():
        return []
    out: list[str] = []
    with book.open(part) as src:
        for _, node in iterparse(src):
            if node.tag != MAIN + "si":
                continue
            snippets = [node.findtext(_T) or ""]
            snippets += [r.findtext(_T) or "" for r in node.iterfind(_R)]
            out.append(text("".join(snippets).replace("x005F_", "")))
            node.clear()
    return out


def _date_styles(book: zipfile.ZipFile, part: str | None) -> tuple[set[int], set[int]]:
    """Style indexes that show a number as a date, and as a duration (openpyxl's own rules)."""
    if part is None or part not in book.namelist():
        return set(), set()
    from openpyxl.styles.stylesheet import Stylesheet  # type: ignore[import-untyped]

    sheet = Stylesheet.from_tree(fromstring(book.read(part)))
    return set(sheet.date_formats), set(sheet.timedelta_formats)


@lru_cache(maxsize=512)
def _column(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def column_letters(column: int) -> str:
    """1 → A, 27 → AA (the xlsx writer in reports names its columns with it too)."""
    out = ""
    while column:
        column, rest = divmod(column - 1, 26)
        out = chr(65 + rest) + out
    return out


def _number(raw: str) -> int | float:
    return float(raw) if "." in raw or "E" in raw or "e" in raw else int(raw)


def rows(path: Path, text: Callable[[Any], str], max_columns: int) -> Iterator[list[str]]:
    """Every row of the first sheet from row 1, as text cells (trailing empty cells dropped)."""
    from openpyxl.formula.translate import Translator  # type: ignore[import-untyped]
    from openpyxl.utils.datetime import (  # type: ignore[import-untyped]
        CALENDAR_MAC_1904,
        CALENDAR_WINDOWS_1900,
        from_excel,
        from_ISO8601,
    )

    try:
        book = zipfile.ZipFile(path)
        sheet, strings_part, styles_part, date1904 = _parts(book)
        strings = _shared_strings(book, strings_part, text)
        dates, durations = _date_styles(book, styles_part)
        src = book.open(sheet)
    except (zipfile.BadZipFile, KeyError, ParseError, OSError, ValueError) as exc:
        raise NotXlsx(str(exc)) from exc
    epoch: datetime = CALENDAR_MAC_1904 if date1904 else CALENDAR_WINDOWS_1900
    shared_formulas: dict[str, Any] = {}
    counter = 0  # the last row yielded (1-based)
    row_no = done = 0
    data: Element | None = None
    try:
        for event, node in iterparse(src, events=("start", "end")):
            if event == "start":
                if node.tag == _SHEET_DATA:
                    data = node
                continue
            if node.tag != _ROW:
                continue
            r = node.get("r")
            row_no = int(float(r)) if r else row_no + 1
            cells: list[str] = []
            col = 0
            for c in node:
                coord = c.get("r")
                col = _column(coord.rstrip("0123456789")) if coord else col + 1
                if col > max_columns:
                    break
                value = _plain(c, strings, dates, text)
                if value is None:
                    if coord is None and c.find(_F) is not None:  # a shared formula needs its place
                        coord = f"{column_letters(col)}{row_no}"
                    value = _cell(c, coord, strings, dates, durations, epoch, shared_formulas,
                                  text, Translator, from_excel, from_ISO8601)  # fmt: skip
                if value:
                    if col > len(cells) + 1:
                        cells.extend([""] * (col - 1 - len(cells)))
                    if col <= len(cells):
                        cells[col - 1] = value
                    else:
                        cells.append(value)
            node.clear()
            done += 1
            if data is not None and done % 1000 == 0:
                data.clear()  # drop the finished (cleared) rows too
            if row_no <= counter:
                continue  # a repeated or backwards row number: openpyxl keeps the first
            while counter < row_no - 1:
                counter += 1
                yield []
            counter = row_no
            yield cells
    except ParseError as exc:
        raise NotXlsx(str(exc)) from exc
    finally:
        src.close()
        book.close()


def _plain(
    c: Element, strings: list[str], dates: set[int], text: Callable[[Any], str]
) -> str | None:
    """The common cells, quickly: a shared string, a plain number, a one-piece inline string
    (nearly every cell of a real file). None: let `_cell` read it."""
    if len(c) != 1:
        return None if len(c) else ""
    child = c[0]
    kind = c.get("t")
    if child.tag == _V:
        raw = child.text
        if not raw:
            return ""
        if kind == "s":
            return strings[int(raw)]
        if kind is None and int(c.get("s") or 0) not in dates:
            return str(int(raw)) if raw.isascii() and raw.isdigit() else text(_number(raw))
    elif kind == "inlineStr" and child.tag == _IS and len(child) == 1 and child[0].tag == _T:
        return text(child[0].text or "")
    return None


def _cell(
    c: Element, coord: str | None, strings: list[str], dates: set[int], durations: set[int],
    epoch: datetime, shared_formulas: dict[str, Any], text: Callable[[Any], str],
    translator: Any, from_excel: Any, from_iso: Any,
) -> str:  # fmt: skip
    kind = c.get("t", "n")
    raw: str | None = None
    formula: Element | None = None
    inline: Element | None = None
    for child in c:
        tag = child.tag
        if tag == _V:
            raw = child.text
        elif tag == _F:
            formula = child
        elif tag == _IS:
            inline = child
    if formula is not None:
        value = "=" + (formula.text or "")
        if formula.get("t") == "shared":
            idx = formula.get("si", "")
            if idx in shared_formulas:
                value = shared_formulas[idx].translate_formula(coord)
            elif value != "=":
                shared_formulas[idx] = translator(value, coord)
        elif formula.get("t") == "dataTable":
            return ""
        return text(value)
    if kind == "inlineStr":
        if inline is None:
            return ""
        snippets = [inline.findtext(_T) or ""]
        snippets += [r.findtext(_T) or "" for r in inline.iterfind(_R)]
        return text("".join(snippets))
    if not raw:
        return ""
    if kind == "s":
        return strings[int(raw)]
    if kind == "n":
        number = _number(raw)
        style = int(c.get("s") or 0)
        if style in dates:
            try:
                return text(from_excel(number, epoch, timedelta=style in durations))
            except (OverflowError, ValueError):
                return "#VALUE!"
        return text(number)
    if kind == "b":
        return text(bool(int(raw)))
    if kind == "d":
        return text(from_iso(raw))
    return text(raw)  # str (a formula's cached text without the formula), e (an error)


def count_rows(path: Path) -> int:
    """Roughly how many rows the first sheet has (for a progress bar): its dimension when the
    writer gave one, else its row tags counted in the raw stream (no XML parsing)."""
    import re

    with zipfile.ZipFile(path) as book:
        sheet = _parts(book)[0]
        with book.open(sheet) as src:
            head = src.read(4096)
            found = re.search(rb"<(?:\w+:)?dimension ref=\"[A-Z]*\d*:?[A-Z]*(\d+)\"", head)
            if found:
                return int(found.group(1))
            n = head.count(b"<row") + head.count(b":row ")
            while chunk := src.read(1 << 20):
                n += chunk.count(b"<row") + chunk.count(b":row ")
            return n
