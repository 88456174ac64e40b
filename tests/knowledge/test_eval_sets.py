"""Generalisation to other spas: two FAQs written apart from the lexicon (a nail & hair salon,
a skin clinic) with customer questions in slang, without diacritics, with typos, off-topic.

Measured with the default threshold (run `pytest -s` to see the figures).
"""

from __future__ import annotations

import pytest

from tests.knowledge.evalsets import DATA, run_eval

# Known misses, kept in the sets on purpose and listed in the report:
#   salon  "tiệm có sửa xe máy không" -> the parking answer ("xe máy" + unknown verb "sửa")
#   clinic "phòng khám có khám thai không" -> the booking answer ("khám")
KNOWN_OFF_TOPIC_ANSWERED = 1


@pytest.mark.parametrize("name", ["salon", "clinic"])
def test_other_spa_faq(name: str) -> None:
    result = run_eval(DATA / f"{name}_faq.csv", DATA / f"{name}_questions.jsonl")
    print(f"\n{name}: {result.summary}")
    for line in result.misses + result.off_topic_answered:
        print("   ", line)
    assert result.on_topic >= 40 and result.off_topic >= 8
    assert result.top1_rate >= 0.95
    assert result.answered_right / result.on_topic >= 0.9
    assert len(result.off_topic_answered) <= KNOWN_OFF_TOPIC_ANSWERED
