"""Reading a spreadsheet someone made by hand (#21): xlsx, csv (comma or semicolon; UTF-8, UTF-8
with BOM, UTF-16, Windows-1258) and tab-separated txt, as rows of text.

The content decides, not the name: a file whose bytes are not what its extension says is refused
with a clear reason. Formulas are read as the text of the formula, never evaluated. xlsx rows are streamed
(xlsx_stream: openpyxl read-only's results, faster) so memory stays flat for 100k rows.
"""

from __future__ import annotations

import codecs
import csv
import io
import unicodedata
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

from spacrm.core.errors import DomainError, ErrorCode

MAX_BYTES = 20 * 1024 * 1024
FORMATS = ("xlsx", "csv", "txt")
MAX_COLUMNS = 200  # wider rows are cut (a stray value far to the right is not a column)

_MAGIC = {
    b"%PDF": "pdf",
    b"\x89PNG": "png",
    b"\xff\xd8\xff": "jpeg",
    b"GIF8": "gif",
    b"\xd0\xcf\x11\xe0": "xls",  # the old binary Excel (and Word) format
    b"Rar!": "rar",
    b"\x1f\x8b": "gzip",
}


def refuse(reason: str) -> DomainError:
    """`reason` is a key under import.reason.* in the user's texts."""
    return DomainError(ErrorCode.IMPORT_FAILED, reason=reason)


def file_format(filename: str, head: bytes, size: int) -> str:
    """The format to read `filename` as, from its extension checked against its first bytes."""
    if size > MAX_BYTES:
        raise refuse("too_big")
    if size == 0:
        raise refuse("empty")
    ext = Path(filename).suffix.lower().lstrip(".")
    if ext not in FORMATS:
        raise refuse("extension")
    is_zip = head.startswith(b"PK\x03\x04")
    other = next((kind for magic, kind in _MAGIC.items() if head.startswith(magic)), None)
    if ext == "xlsx":
        if not is_zip:
            raise refuse("old_excel" if other == "xls" else "not_xlsx")
        return ext
    if is_zip:
        raise refuse("xlsx_named_csv")
    if other == "xls":
        raise refuse("old_excel")
    if other is not None or _looks_binary(head):
        raise refuse("not_text")
    return ext


def _looks_binary(head: bytes) -> bool:
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or _utf16_without_bom(head):
        return False
    return b"\x00" in head


def _utf16_without_bom(head: bytes) -> str | None:
    """UTF-16 without a BOM: every other byte of ASCII text is a NUL."""
    sample = head[:2000]
    if len(sample) < 4:
        return None
    odd, even = sample[1::2], sample[0::2]
    if odd.count(0) > len(odd) * 0.6 and even.count(0) < len(even) * 0.1:
        return "utf-16-le"
    if even.count(0) > len(even) * 0.6 and odd.count(0) < len(odd) * 0.1:
        return "utf-16-be"
    return None


def decode(content: bytes) -> str:
    """Text of a csv/txt file: BOMs first, then UTF-16 by its NULs, UTF-8, else Windows-1258
    (Vietnamese Excel's "CSV" on Windows); always NFC (1258 spells tones as combining marks)."""
    if content.startswith(codecs.BOM_UTF8):
        text = content[3:].decode("utf-8", errors="replace")
    elif content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = content.decode("utf-16", errors="replace")
    elif (enc := _utf16_without_bom(content)) is not None:
        text = content.decode(enc, errors="replace")
    else:
        try:
            text = content.decode("utf-8")
        except UnicodeDecodeError:
            text = content.decode("cp1258", errors="replace")
    if "\x00" in text:
        raise refuse("not_text")
    return unicodedata.normalize("NFC", text)


def delimiter(text: str, fmt: str) -> str:
    """Tab for txt; for csv whichever of ; , tab splits the first lines most consistently."""
    lines = [line for line in text.splitlines()[:30] if line.strip()]
    if fmt == "txt" and any("\t" in line for line in lines):
        return "\t"
    best, best_score = ",", -1.0
    for cand in (";", ",", "\t", "|"):
        counts = [len(next(csv.reader([line], delimiter=cand))) for line in lines]
        wide = [c for c in counts if c > 1]
        if not wide:
            continue
        # Many lines split into the same number of cells beats one line split into many.
        common = max(set(wide), key=wide.count)
        score = wide.count(common) * 10 + common / 100
        if score > best_score:
            best, best_score = cand, score
    return best


def text(value: Any) -> str:
    """One cell as the text a person sees: whole numbers without ".0", dates as dd/mm/yyyy."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else str(value)
    if isinstance(value, datetime):
        value = value.date() if value.time() == datetime.min.time() else value
        if isinstance(value, datetime):
            return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return unicodedata.normalize("NFC", str(value)).strip()


def read_rows(path: Path, fmt: str) -> Iterator[list[str]]:
    """Every row of the file's first sheet, as text cells (trailing empty cells dropped)."""
    if fmt == "xlsx":
        yield from _xlsx_rows(path)
        return
    content = path.read_bytes()
    body = decode(content)
    reader = csv.reader(io.StringIO(body, newline=""), delimiter=delimiter(body, fmt))
    for row in reader:
        yield _trim([unicodedata.normalize("NFC", c).strip() for c in row[:MAX_COLUMNS]])


def _xlsx_rows(path: Path) -> Iterator[list[str]]:
    from spacrm.core.services.xlsx_stream import NotXlsx, rows

    try:
        yield from rows(path, text, MAX_COLUMNS)
    except NotXlsx as exc:
        raise refuse("not_xlsx") from exc


def _trim(cells: list[str]) -> list[str]:
    while cells and not cells[-1]:
        cells.pop()
    return cells


def estimate_rows(path: Path, fmt: str) -> int:
    """Roughly how many rows (for the progress bar): the sheet's dimension, or the line count."""
    if fmt != "xlsx":
        return path.read_bytes().count(b"\n") + 1
    from spacrm.core.services.xlsx_stream import count_rows

    try:
        return count_rows(path)
    except Exception:  # the read itself reports a damaged file
        return 0
