"""Issue 7's targets on FAQ sets of businesses unlike the demo spa (tests/knowledge/data/sets):
answered right, answered with a WRONG pair, handed off when due - offline, without Gemini, through
the same decision `spacrm kb test` scores (`intents.customer.decide`).

`dental` and `gym` are dev sets (tuning allowed); `dayspa` is HELD-OUT: written with the others
before any tuning and never tuned on, so its floors are what the code reaches on a business it
has not seen. Run `pytest -s` to see the figures and every miss.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from spacrm.intents.customer.decide import decide
from spacrm.knowledge.evaluation import Report, parse_cases, score
from spacrm.knowledge.importer import load_qa_file
from spacrm.knowledge.retrieval import Retriever

SETS = Path(__file__).resolve().parent / "data" / "sets"


def measure(name: str) -> Report:
    retriever = Retriever(load_qa_file(SETS / name / "faq.csv"))
    lines = (SETS / name / "questions.jsonl").read_text(encoding="utf-8").splitlines()
    report = score(parse_cases(lines), lambda text: decide(text, retriever))
    print(
        f"\n{name}: right {report.right}/{report.in_scope} ({report.right_rate:.1%}), wrong "
        f"{report.wrong_rate:.1%} ({report.wrong} wrong pair + "
        f"{report.handoff_due - report.handoff_done} off-topic answered), handed off "
        f"{report.handoff_done}/{report.handoff_due} ({report.handoff_rate:.1%})"
    )
    for line in report.wrong_lines + report.missed_lines:
        print("   ", line)
    return report


def test_sets_are_big_enough() -> None:
    for name in ("dental", "gym", "dayspa"):
        pairs = load_qa_file(SETS / name / "faq.csv")
        lines = (SETS / name / "questions.jsonl").read_text(encoding="utf-8").splitlines()
        cases = parse_cases(lines)
        assert 25 <= len(pairs) <= 30 and len(cases) >= 100
        assert sum(case.expect is None for case in cases) >= 20
        assert {case.expect for case in cases} - {None} <= {pair.id for pair in pairs}
    assert (SETS / "dayspa" / "HELD_OUT").exists()


# Measured (see the report of the branch): dental 93.0 % right, 0 wrong pairs, 1 trap answered
# ("có bán sữa cho bé": the FAQ has "răng sữa"); gym 89.0 % right, 1 wrong pair.
@pytest.mark.parametrize(("name", "right", "wrong_pairs", "handoff"),
                         [("dental", 0.92, 0, 0.95), ("gym", 0.88, 1, 0.95)])  # fmt: skip
def test_dev_set(name: str, right: float, wrong_pairs: int, handoff: float) -> None:
    report = measure(name)
    assert report.right_rate >= right
    assert report.wrong <= wrong_pairs
    assert report.handoff_rate >= handoff
    assert report.wrong_rate <= 0.011


def test_held_out_day_spa_floors() -> None:
    report = measure("dayspa")
    assert report.handoff_rate >= 0.95
    assert report.right_rate >= 0.65
    assert report.wrong_rate <= 0.10
