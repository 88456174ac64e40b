"""Load trained Q&A pairs from the csv/xlsx files spa owners keep in Excel or Google Sheets.

Columns: `id`, `question`, `answer`, optional `variants` (other phrasings separated by `|`).
Header names are case-insensitive. Errors carry the spreadsheet row number (header = row 1) and
an English reason; the caller translates them for the user.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from spacrm.core.textnorm import nfc
from spacrm.knowledge.qa import QAPair

REQUIRED_COLUMNS = ("id", "question", "answer")
VARIANT_SEPARATOR = "|"


class QAImportError(ValueError):
    """A row (or the header, row 1) of a Q&A file that cannot be used."""

    def __init__(self, row_number: int, reason: str, code: str = "", **params: object) -> None:
        # Row 0 means the file as a whole (unreadable, wrong type).
        super().__init__(f"row {row_number}: {reason}" if row_number else reason)
        self.row_number = row_number
        self.reason = reason
        # A key of the user texts ("cli.import.<code>") and its parameters, for a translated message.
        self.code = code
        self.params: dict[str, object] = {"row": row_number, **params}


def load_qa_file(path: str | Path) -> list[QAPair]:
    """Read a .csv (UTF-8, with or without BOM) or .xlsx file into Q&A pairs, in file order."""
    path = Path(path)
    suffix = path.suffix.lower()
    rows: Iterator[Sequence[object]]
    if suffix == ".csv":
        rows = _csv_rows(path)
    elif suffix in (".xlsx", ".xlsm"):
        rows = _xlsx_rows(path)
    else:
        raise QAImportError(
            0,
            f"unsupported file type {suffix or '(none)'}; use .csv or .xlsx",
            "unsupported",
            suffix=suffix or "(none)",
        )
    return parse_rows(rows)


def parse_rows(rows: Iterable[Sequence[object]]) -> list[QAPair]:
    """Turn table rows (the first one is the header) into pairs; blank rows are skipped."""
    iterator = iter(rows)
    header = next(iterator, None)
    if header is None:
        raise QAImportError(
            1, "the file is empty; expected a header row with id, question, answer", "empty"
        )
    columns = _column_positions(header)
    pairs: list[QAPair] = []
    seen: dict[str, int] = {}
    for row_number, row in enumerate(iterator, start=2):
        cells = {name: _cell(row, position) for name, position in columns.items()}
        if not any(cells.values()):
            continue
        for name in REQUIRED_COLUMNS:
            if not cells[name]:
                raise QAImportError(row_number, f"missing {name}", "missing_field", field=name)
        pair_id = cells["id"]
        if pair_id in seen:
            raise QAImportError(
                row_number,
                f"duplicate id {pair_id!r} (first used on row {seen[pair_id]})",
                "duplicate_id",
                id=pair_id,
                first=seen[pair_id],
            )
        seen[pair_id] = row_number
        variants = tuple(
            dict.fromkeys(
                v
                for v in (nfc(part) for part in cells.get("variants", "").split(VARIANT_SEPARATOR))
                if v
            )
        )
        pairs.append(QAPair(pair_id, cells["question"], cells["answer"], variants))
    return pairs


def _column_positions(header: Sequence[object]) -> dict[str, int]:
    names = [nfc(str(cell or "")).lower() for cell in header]
    positions: dict[str, int] = {}
    for position, name in enumerate(names):
        if name in (*REQUIRED_COLUMNS, "variants") and name not in positions:
            positions[name] = position
    missing = [name for name in REQUIRED_COLUMNS if name not in positions]
    if missing:
        raise QAImportError(
            1,
            f"missing column(s) {', '.join(missing)} in the header row",
            "missing_columns",
            columns=", ".join(missing),
        )
    return positions


def _cell(row: Sequence[object], position: int) -> str:
    if position >= len(row) or row[position] is None:
        return ""
    value = row[position]
    # Excel stores numeric ids as floats (12 -> 12.0); show them the way the owner typed them.
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return nfc(str(value))


def _csv_rows(path: Path) -> Iterator[list[str]]:
    try:
        # utf-8-sig strips the BOM Excel adds when saving "CSV UTF-8".
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise QAImportError(
            0, 'the csv file is not UTF-8; save it as "CSV UTF-8"', "not_utf8"
        ) from exc
    yield from csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))


def _delimiter(text: str) -> str:
    """Excel in Vietnamese (and most European) locales saves "CSV" with semicolons: the header
    row tells which separator the file uses."""
    header = text.split("\n", 1)[0]
    candidates = [sep for sep in (",", ";", "\t") if sep in header]
    return max(candidates, key=header.count) if candidates else ","


def _xlsx_rows(path: Path) -> Iterator[tuple[object, ...]]:
    # Imported lazily: only xlsx imports pay for it. No type stubs are installed for openpyxl.
    from openpyxl import load_workbook  # type: ignore[import-untyped]

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many unrelated types for a damaged file
        raise QAImportError(
            0,
            f"cannot read the xlsx file ({type(exc).__name__})",
            "bad_xlsx",
            error=type(exc).__name__,
        ) from exc
    try:
        sheet = workbook.worksheets[0]
        yield from sheet.iter_rows(values_only=True)
    finally:
        workbook.close()
