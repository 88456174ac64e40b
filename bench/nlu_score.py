"""Score the staff-message parser on a JSONL set of {"text", "intent", "slots"} lines.

    PYTHONPATH=. .venv/bin/python bench/nlu_score.py tests/bot/nlu/data/dev.jsonl [-v]

Prints intent accuracy, exact-match accuracy (intent and every slot equal), how often a read
(a question or a look-up) became a write (the worst confusion: it changes data nobody asked to
change), and the parse time (median wall clock; median and p99 CPU time). `-v` lists every miss. Relative dates resolve against
Wednesday 2026-11-25 10:00 in Vietnam, as in the test sets.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from spacrm.bot.nlu import parse

NOW = datetime(2026, 11, 25, 10, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
# Intents that change nothing. Any other intent writes (or asks to write) something.
READS = frozenset(
    "show_customer list_leads list_cases help unknown show_order show_course list_appointments "
    "list_tasks stock_query kpi_report dashboard chart export_report payslip".split()
)


def load(path: Path) -> list[dict[str, Any]]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def score(cases: list[dict[str, Any]]) -> dict[str, Any]:
    intent_ok = exact_ok = read_to_write = reads = 0
    misses: list[str] = []
    for case in cases:
        got = parse(case["text"], now=NOW)
        intent_ok += got.intent == case["intent"]
        exact = (got.intent, got.slots) == (case["intent"], case["slots"])
        exact_ok += exact
        if case["intent"] in READS:
            reads += 1
            read_to_write += got.intent not in READS
        if not exact:
            want = json.dumps(
                {"intent": case["intent"], "slots": case["slots"]}, ensure_ascii=False
            )
            misses.append(f"{case['text']}\n    want {want}\n    got  {got.to_json()}")
    n = len(cases)
    return {
        "n": n,
        "intent": intent_ok / n if n else 0.0,
        "exact": exact_ok / n if n else 0.0,
        "reads": reads,
        "read_to_write": read_to_write,
        "misses": misses,
    }


def timing(cases: list[dict[str, Any]], rounds: int = 20) -> tuple[float, float, float]:
    """Median wall-clock ms per message, and median / p99 CPU ms of this thread. On a shared
    machine the wall-clock tail measures the other processes (preemption), so the tail is
    given in CPU time."""
    wall, cpu = [], []
    for _ in range(rounds):
        for case in cases:
            w0, c0 = time.perf_counter(), time.thread_time_ns()
            parse(case["text"], now=NOW)
            cpu.append((time.thread_time_ns() - c0) / 1e6)
            wall.append((time.perf_counter() - w0) * 1000)
    cpu.sort()
    return statistics.median(wall), statistics.median(cpu), cpu[int(len(cpu) * 0.99)]


def main(argv: list[str]) -> int:
    paths = [Path(a) for a in argv if not a.startswith("-")]
    if not paths:
        print(__doc__)
        return 2
    for path in paths:
        cases = load(path)
        result = score(cases)
        wall, cpu, p99 = timing(cases)
        print(
            f"{path}: {result['n']} messages  intent {result['intent']:.1%}  "
            f"exact {result['exact']:.1%}  read->write {result['read_to_write']}/{result['reads']}  "
            f"parse median {wall:.3f} ms (CPU median {cpu:.3f} ms, p99 {p99:.3f} ms)"
        )
        if "-v" in argv:
            for miss in result["misses"]:
                print("  " + miss)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
