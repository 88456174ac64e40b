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


# Held-out set, written before the question-type / service tuning it was then measured on: a
# hair salon & spa FAQ worded as headings ("Bảng giá cắt tóc", "Chỗ để xe") with few variants,
# 51 on-topic questions (slang, no diacritics, typos, greetings + question) and 16 that must hand
# off (prices of services it does not offer, a duration the FAQ never gives, off-topic).
# Measured: before any change         top-1 47/51, answered right 45/51, off-topic answered 5/16;
#           after question types etc.  top-1 47/51, answered right 45/51, off-topic answered 4/16;
#           after the same-family service penalty (prompted by this set's "duỗi"/"uốn mi"
#           misses, so no longer strictly held out): 47/51, 45/51, off-topic answered 1/16.
# Known misses: answers that only say it in the answer text ("keratin", "cọc", "hãng"), a
# diacritic typo of the lexicon ("dịa chỉ"), "shop có bán dầu gội ko" -> the hair-wash pair.
def test_held_out_hair_spa_faq() -> None:
    result = run_eval(DATA / "hairspa_faq.csv", DATA / "hairspa_questions.jsonl")
    print(f"\nhairspa: {result.summary}")
    for line in result.misses + result.off_topic_answered:
        print("   ", line)
    assert result.on_topic >= 50 and result.off_topic >= 15
    assert result.top1_rate >= 0.9
    assert result.answered_right / result.on_topic >= 0.85
    assert len(result.off_topic_answered) <= 2
