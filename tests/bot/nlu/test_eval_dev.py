"""Every example of shared/eval/staff_dev.jsonl parses exactly (DESIGN §6)."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from spacrm.bot.nlu import parse

EVAL = Path(__file__).resolve().parents[3].parent / "shared" / "eval" / "staff_dev.jsonl"
NOW = datetime(2026, 11, 25, 10, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))


def _cases() -> list[dict[str, Any]]:
    if not EVAL.exists():
        return []
    lines = EVAL.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


CASES = _cases()


@pytest.mark.parametrize("case", CASES, ids=[c["text"][:40] for c in CASES])
def test_eval_example(case: dict[str, Any]) -> None:
    result = parse(case["text"], now=NOW)
    assert (result.intent, result.slots) == (case["intent"], case["slots"])


def test_eval_file_present() -> None:
    if not EVAL.exists():
        pytest.skip(f"{EVAL} not found")
    assert CASES
