"""Drill: 50 concurrent CLI writes (`spacrm users add`, `spacrm kb add`, separate processes)
beside a busy writer on one SQLite file. Prints failures, "database is locked" and tracebacks
(all must be 0).

    .venv/bin/python bench/bench_sqlite_writers.py [--writes 50] [--seconds 20]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.robustness.sqlite_drill import run_drill  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--writes", type=int, default=50)
    ap.add_argument("--seconds", type=float, default=20.0, help="how long the busy writer runs")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        r = asyncio.run(run_drill(Path(tmp), args.writes, args.seconds))
    print(f"{r.commands} concurrent CLI writes beside a busy writer ({r.writer_transactions} "
          f"write transactions) in {r.seconds:.1f} s")  # fmt: skip
    print(f"failed: {r.failed}   'database is locked': {r.locked}   tracebacks: {r.tracebacks}")
    sys.exit(1 if (r.failed or r.locked or r.tracebacks) else 0)


if __name__ == "__main__":
    main()
