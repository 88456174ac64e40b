"""Benchmark: importing a 100k-row xlsx of leads (#21), against reading the same file with
openpyxl's read-only mode alone, in one run (so both see the same machine load).

    .venv/bin/python bench/bench_import.py [--rows 100000] [--bad 0.05]

The file has an unusual layout (a title, a blank row, the header on row 4, columns in an odd
order) and `--bad` of its rows are broken (invalid phone or no name). The import runs twice: after
a dry run that kept its validated rows (the console's flow) and straight from the file (the CLI's:
a file this big is read by a reader process beside the writes); openpyxl reads the file alone again
just before the latter, and each import is compared with the reading next to it. Fresh SQLite database in a
temporary folder (or SPACRM_BENCH_DB_URL). Peak memory is the process's maximum RSS growth.
Not a test: prints figures.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.bench_engine import bench_database, open_demo  # noqa: E402


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def make_file(path: Path, rows: int, bad: float) -> None:
    from openpyxl import Workbook  # type: ignore[import-untyped]

    rng = random.Random(3)
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Khách")
    sheet.append(["DANH SÁCH KHÁCH HÀNG"])
    sheet.append([])
    sheet.append(["Xuất ngày 08/03/2026"])
    sheet.append(
        ["STT", "Ghi chú", "Điện thoại", "Họ và tên", "Email", "Công ty", "Nguồn", "Giá trị"]
    )
    for i in range(rows):
        phone = f"09{i:08d}"
        name = f"Nguyễn Thị Khách {i}"
        if rng.random() < bad:
            if rng.random() < 0.5:
                phone = "12ab"
            else:
                name = ""
        sheet.append([i + 1, "quan tâm chăm sóc da" if i % 3 else '=HYPERLINK("x")', phone, name,
                      f"k{i}@example.vn" if i % 2 else None, "Công ty Hoa Sen" if i % 4 == 0 else None,
                      rng.choice(["facebook", "zalo", "giới thiệu"]), rng.choice([0, 500_000, 2_000_000])])  # fmt: skip
    book.save(path)


def read_alone(path: Path) -> int:
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True)
    n = sum(1 for _ in book.worksheets[0].iter_rows(values_only=True))
    book.close()
    return n


async def main(rows: int, bad: float) -> None:
    url = bench_database()
    await open_demo(url)
    from spacrm.core.db import close_db
    from spacrm.core.models import Lead, User
    from spacrm.core.services import imports
    from spacrm.core.services.table_files import read_rows
    from spacrm.core.services.users import actor_for

    path = (
        Path(url.removeprefix("sqlite://")).parent / "khach.xlsx"
        if url.startswith("sqlite")
        else Path("/tmp/khach.xlsx")
    )
    made = Path(tempfile.gettempdir()) / f"spacrm-bench-import-{rows}-{bad}.xlsx"
    if not made.exists():  # the same seed makes the same file: writing it took minutes
        t0 = time.perf_counter()
        make_file(made.with_suffix(".part.xlsx"), rows, bad)
        made.with_suffix(".part.xlsx").replace(made)
        print(f"wrote {rows:,} rows in {time.perf_counter() - t0:.1f} s")
    shutil.copyfile(made, path)
    print(f"{rows:,} rows, {path.stat().st_size / 1e6:.1f} MB")
    base = rss_mb()
    t0 = time.perf_counter()
    read_alone(path)
    alone = time.perf_counter() - t0
    print(f"openpyxl read-only alone: {alone:.1f} s")
    t0 = time.perf_counter()
    n = sum(1 for _ in read_rows(path, "xlsx"))
    print(f"our reader alone: {time.perf_counter() - t0:.1f} s ({n:,} rows)")
    actor = await actor_for(await User.get(login="st_q1a1"))
    found = imports.inspect(path, "xlsx")
    kwargs: dict[str, Any] = {"header_row": found.header_row, "mapping": found.mapping}
    t0 = time.perf_counter()
    tally = await imports.dry_run(actor, path, "xlsx", stage=True, **kwargs)
    dry = time.perf_counter() - t0
    print(f"dry run (as the console's: keeps the validated rows): {dry:.1f} s  "
          f"({tally.create:,} create, {tally.skip:,} skip, {tally.refuse:,} refuse)")  # fmt: skip
    for label in ("import after the dry run", "import straight from the file"):
        if label.endswith("file"):
            # The machine's load changes over minutes: read alone again next to this import.
            t0 = time.perf_counter()
            read_alone(path)
            alone = time.perf_counter() - t0
            print(f"openpyxl read-only alone, again: {alone:.1f} s")
        t0 = time.perf_counter()
        batch, tally = await imports.run_import(actor, path, "xlsx", filename=path.name, **kwargs)
        took = time.perf_counter() - t0
        print(f"{label}: {took:.1f} s  ({batch.created:,} created, {batch.refused:,} refused)"
              f"  = {took / alone:.2f}x openpyxl alone;  RSS growth {rss_mb() - base:.0f} MB")  # fmt: skip
        imports.drop_stage(path)
        t0 = time.perf_counter()
        await imports.undo_import(actor, batch.id)
        print(f"undo: {time.perf_counter() - t0:.1f} s  (leads left from the import: "
              f"{await Lead.filter(name__startswith='Nguyễn Thị Khách').count()})")  # fmt: skip
    await close_db()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--bad", type=float, default=0.05)
    args = parser.parse_args()
    asyncio.run(main(args.rows, args.bad))
