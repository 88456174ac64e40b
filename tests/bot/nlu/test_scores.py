"""The parser's figures on its own test sets (tests/bot/nlu/data), so a change that loses them
fails here. dev.jsonl may be tuned on; heldout.jsonl was written before the parser was changed
for it and is never tuned on (only general mechanisms were fixed).

Figures when these floors were set (bench/nlu_score.py prints them):
    dev      169 lines: before 28.4% exact (37.3% intent), after 100% exact
    held-out 109 lines: before 27.5% exact (36.7% intent), after 93.6% exact (94.5% intent)
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from spacrm.bot.nlu import parse

NOW = datetime(2026, 11, 25, 10, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))  # a Wednesday
DATA = Path(__file__).with_name("data")
DEV_FLOOR = 0.97  # reached 1.000; a small margin for wording changes in the parser
HELDOUT_FLOOR = 0.90  # reached 0.936
# Intents that change nothing; a read taken as one of the others is the worst confusion.
READS = frozenset(
    "show_customer list_leads list_cases help unknown show_order show_course list_appointments "
    "list_tasks stock_query kpi_report dashboard chart export_report payslip".split()
)
ALL_INTENTS = READS | frozenset(
    "create_lead log_activity plan_activity move_lead book_appointment record_payment "
    "request_leave log_overtime create_case create_order cancel_appointment "
    "reschedule_appointment check_in complete_session no_show stock_in approve_leave "
    "edit_customer reassign add_note undo".split()
)


def _cases(name: str) -> list[dict[str, Any]]:
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def _score(name: str) -> tuple[float, int, list[str]]:
    cases = _cases(name)
    misses, read_to_write = [], 0
    for case in cases:
        got = parse(case["text"], now=NOW)
        if (got.intent, got.slots) != (case["intent"], case["slots"]):
            misses.append(f"{case['text']!r}: got {got.to_json()}")
        if case["intent"] in READS and got.intent not in READS:
            read_to_write += 1
    return 1 - len(misses) / len(cases), read_to_write, misses


def test_sets_are_large_distinct_and_cover_every_intent() -> None:
    dev, heldout = _cases("dev.jsonl"), _cases("heldout.jsonl")
    assert len(dev) >= 150 and len(heldout) >= 100
    assert not {c["text"] for c in dev} & {c["text"] for c in heldout}
    assert {c["intent"] for c in dev} == ALL_INTENTS


def test_dev_set_stays_at_its_figure() -> None:
    accuracy, read_to_write, misses = _score("dev.jsonl")
    assert read_to_write == 0, "\n".join(misses)
    assert accuracy >= DEV_FLOOR, f"{accuracy:.3f} < {DEV_FLOOR}:\n" + "\n".join(misses)


def test_heldout_set_stays_above_its_floor() -> None:
    # The misses are not printed on purpose: the held-out lines are not to be tuned on.
    accuracy, read_to_write, _ = _score("heldout.jsonl")
    assert read_to_write <= 2
    assert accuracy >= HELDOUT_FLOOR, f"{accuracy:.3f} < {HELDOUT_FLOOR}"
