"""Our own examples (cases.jsonl): other names, orders, abbreviations, typos, dates, every intent.

Each line: {"text", "intent", "slots"} and optionally "now" (local Vietnam time, default
2026-11-25T10:00, a Wednesday).
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from spacrm.bot.nlu import parse

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
CASES_FILE = Path(__file__).with_name("cases.jsonl")
CASES: list[dict[str, Any]] = [
    json.loads(line) for line in CASES_FILE.read_text(encoding="utf-8").splitlines() if line.strip()
]


@pytest.mark.parametrize("case", CASES, ids=[f"{i}:{c['text'][:40]}" for i, c in enumerate(CASES)])
def test_case(case: dict[str, Any]) -> None:
    now = datetime.fromisoformat(case.get("now", "2026-11-25T10:00")).replace(tzinfo=TZ)
    result = parse(case["text"], now=now)
    assert (result.intent, result.slots) == (case["intent"], case["slots"])


def test_every_intent_is_covered() -> None:
    intents = {c["intent"] for c in CASES}
    assert intents >= {
        "create_lead", "log_activity", "plan_activity", "move_lead", "show_customer",
        "list_leads", "book_appointment", "record_payment", "request_leave", "log_overtime",
        "kpi_report", "dashboard", "chart", "stock_query", "help", "unknown",
    }  # fmt: skip
