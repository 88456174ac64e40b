"""Reading a catalogue file (csv or xlsx, our layout) into rows for core's importer.

Columns (header row, any order, English or Vietnamese names): kind/loai (service, goods,
consumable, package — or dich vu, san pham, vat tu, goi), code/ma, name/ten, price/gia, and
optionally category/nhom, unit/don_vi, duration/thoi_gian (minutes), cost/gia_von,
commission/hoa_hong (%), origin/xuat_xu, description/mo_ta, validity/hieu_luc (months, packages),
sales_commission/hoa_hong_ban (the seller's %, paid as the order's money comes in, #12),
parts/thanh_phan: for a package "DV17:1:10; SP03:1" (code:quantity:sessions), for a service the
consumables one session uses "VT01:1; VT02:5" (code:quantity).
"""

from __future__ import annotations

import csv
from collections.abc import Iterator, Sequence
from pathlib import Path

from spacrm.core.services.catalog import CatalogRow
from spacrm.core.textnorm import fold

REQUIRED = ("kind", "code", "name", "price")
ALIASES = {
    "kind": ("kind", "loai"), "code": ("code", "ma"), "name": ("name", "ten"),
    "price": ("price", "gia", "gia ban"), "category": ("category", "nhom", "danh muc"),
    "unit": ("unit", "don vi", "don_vi"), "duration": ("duration", "thoi gian", "thoi_gian"),
    "cost": ("cost", "gia von", "gia_von"), "commission": ("commission", "hoa hong", "hoa_hong"),
    "origin": ("origin", "xuat xu", "xuat_xu"), "description": ("description", "mo ta", "mo_ta"),
    "validity": ("validity", "hieu luc", "hieu_luc"), "parts": ("parts", "thanh phan", "thanh_phan"),
    "sales_commission": ("sales_commission", "hoa_hong_ban", "hh ban"),
}  # fmt: skip
KINDS = {"service": "service", "dich vu": "service", "goods": "goods", "san pham": "goods",
         "consumable": "consumable", "vat tu": "consumable", "package": "package",
         "goi": "package"}  # fmt: skip


class CatalogFileError(Exception):
    pass


def _rows(path: Path) -> Iterator[Sequence[object]]:
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        from openpyxl import load_workbook  # type: ignore[import-untyped]

        book = load_workbook(path, read_only=True, data_only=True)
        yield from book.active.iter_rows(values_only=True)
        return
    with path.open(newline="", encoding="utf-8-sig") as fh:
        yield from csv.reader(fh)


def _int(value: str, line: int, column: str) -> int:
    text = value.replace(".", "").replace(",", "").replace(" ", "").removesuffix("đ")
    if not text:
        return 0
    try:
        return int(float(text))
    except ValueError:
        raise CatalogFileError(f"line {line}: {column} “{value}” is not a number") from None


def _parts(value: str, line: int) -> list[tuple[str, float, int]]:
    parts = []
    for chunk in filter(None, (c.strip() for c in value.replace(",", ";").split(";"))):
        bits = chunk.split(":")
        try:
            qty = float(bits[1]) if len(bits) > 1 and bits[1] else 1.0
            sessions = int(bits[2]) if len(bits) > 2 and bits[2] else 0
        except ValueError:
            raise CatalogFileError(f"line {line}: part “{chunk}”") from None
        parts.append((bits[0].strip().upper(), qty, sessions))
    return parts


parse_parts = _parts  # the console's package form reads the same "code:quantity:sessions" list


def load_catalog_file(path: str | Path) -> list[CatalogRow]:
    path = Path(path)
    rows = iter(_rows(path))
    header = next(rows, None)
    if header is None:
        raise CatalogFileError("the file is empty")
    names = [fold(str(h or "")).replace("_", " ").strip() for h in header]
    where: dict[str, int] = {}
    for key, aliases in ALIASES.items():
        for n, name in enumerate(names):
            if name in {a.replace("_", " ") for a in aliases}:
                where[key] = n
    missing = [k for k in REQUIRED if k not in where]
    if missing:
        raise CatalogFileError(f"missing column(s): {', '.join(missing)}")
    out: list[CatalogRow] = []
    for line, raw in enumerate(rows, start=2):
        cells = [str(c).strip() if c is not None else "" for c in raw]
        if not any(cells):
            continue

        def cell(key: str, cells: list[str] = cells) -> str:
            n = where.get(key)
            return cells[n] if n is not None and n < len(cells) else ""

        kind = KINDS.get(fold(cell("kind")))
        if kind is None:
            raise CatalogFileError(f"line {line}: kind “{cell('kind')}”")
        out.append(CatalogRow(
            line=line, kind=kind, code=cell("code").upper(), name=cell("name"),
            price=_int(cell("price"), line, "price"), category=cell("category"), unit=cell("unit"),
            duration_min=_int(cell("duration"), line, "duration"),
            cost=_int(cell("cost"), line, "cost"),
            commission_pct=_int(cell("commission"), line, "commission"), origin=cell("origin"),
            description=cell("description"),
            validity_months=_int(cell("validity"), line, "validity") or 12,
            parts=_parts(cell("parts"), line),
            sales_commission_pct=_int(cell("sales_commission"), line, "sales_commission"),
        ))  # fmt: skip
    return out
