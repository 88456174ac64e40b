"""The parser's figures on its own test sets (tests/bot/nlu/data), so a change that loses them
fails here. dev.jsonl may be tuned on. heldout.jsonl and heldout_b.jsonl were written before the
parser was changed for them and are never tuned on (only general mechanisms were fixed);
heldout_b was added when heldout's misses had been seen once by mistake.

Figures (bench/nlu_score.py FILE prints them; "before" is the parser before issue 6's work):
    dev        296 lines  before 23.6% exact, 34.1% intent, 30/105 reads written   after 100%
    heldout    109 lines  before 27.5% exact, 36.7% intent, 8/44 reads written
                          after 93.6% when first measured; 96.3% at the end (its misses had
                          been seen, so this later figure is not a clean one)
    heldout_b   54 lines  before 31.5% exact, 42.6% intent, 4/21 reads written
                          after 94.4% exact and intent, 0/21 reads written
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from spacrm.bot.nlu import parse

NOW = datetime(2026, 11, 25, 10, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))  # a Wednesday
DATA = Path(__file__).with_name("data")
DEV_FLOOR = 0.97  # reached 1.000; a small margin for wording changes in the parser
HELDOUT_FLOORS = {"heldout.jsonl": 0.90, "heldout_b.jsonl": 0.90}  # reached 0.936 and 0.944
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
    dev, heldout, heldout_b = (_cases(n) for n in ("dev.jsonl", "heldout.jsonl", "heldout_b.jsonl"))
    assert len(dev) >= 150 and len(heldout) >= 100 and len(heldout_b) >= 50
    texts = [{c["text"] for c in cases} for cases in (dev, heldout, heldout_b)]
    assert not texts[0] & texts[1] and not texts[0] & texts[2] and not texts[1] & texts[2]
    assert {c["intent"] for c in dev} == ALL_INTENTS


def test_dev_set_stays_at_its_figure() -> None:
    accuracy, read_to_write, misses = _score("dev.jsonl")
    assert read_to_write == 0, "\n".join(misses)
    assert accuracy >= DEV_FLOOR, f"{accuracy:.3f} < {DEV_FLOOR}:\n" + "\n".join(misses)


@pytest.mark.parametrize("name", sorted(HELDOUT_FLOORS))
def test_heldout_sets_stay_above_their_floor(name: str) -> None:
    # The misses are not printed on purpose: the held-out lines are not to be tuned on.
    accuracy, read_to_write, _ = _score(name)
    assert read_to_write <= 2
    assert accuracy >= HELDOUT_FLOORS[name], f"{accuracy:.3f} < {HELDOUT_FLOORS[name]}"
