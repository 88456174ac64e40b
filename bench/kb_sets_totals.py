"""Totals of the customer bot on every answering set (issue 7), one line per set, and the dev
sets' misses written to a file for study (held-out sets: totals only, their lines never kept).

    PYTHONPATH=. .venv/bin/python bench/kb_sets_totals.py [--held-out] [--misses FILE]

Without `--held-out` only the dev sets are measured; with it only the held-out ones (each run of
a held-out set counts: at most three per pass).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")

from tests.knowledge.test_quality_sets import SETS, measure

DEV_EXTRA = ("clinic",)  # the earlier skin-clinic set, kept beside `sets/`


def main(argv: list[str]) -> None:
    held_out = "--held-out" in argv
    misses = Path(argv[argv.index("--misses") + 1]) if "--misses" in argv else None
    names = sorted(
        d.name for d in SETS.iterdir() if d.is_dir() and (d / "HELD_OUT").exists() == held_out
    )
    if not held_out:
        names += DEV_EXTRA
    totals = [0, 0, 0, 0, 0, 0, 0, 0]
    kept: list[str] = []
    for name in names:
        report = measure(name, show_lines=False)
        off = report.handoff_due - report.handoff_done
        row = (report.right, report.in_scope, report.wrong, off, report.handoff_done,
               report.handoff_due, report.offered, report.offered_right)  # fmt: skip
        totals = [a + b for a, b in zip(totals, row, strict=True)]
        if not held_out:
            kept += [f"{name}\t{line}" for line in report.wrong_lines + report.missed_lines]
    right, in_scope, wrong, off, done, due, offered, offered_right = totals
    print(
        f"\nTOTAL right {right}/{in_scope} ({right / in_scope:.1%}), wrong pairs {wrong}, "
        f"off-topic answered {off}, handed off {done}/{due}; hand-offs offering an answer "
        f"{offered}, the pair meant {offered_right}"
    )
    if misses is not None:
        misses.write_text("\n".join(kept) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1:])
