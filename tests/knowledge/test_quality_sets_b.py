"""Issue 7's answering quality on three more businesses (tests/knowledge/data/sets): a cosmetic-
surgery clinic (`thammy`, dev), a cosmetics shop selling online (`mypham`, dev) and a hair-loss &
scalp clinic (`caytoc`, HELD-OUT: only its totals are ever printed).

Written by the helper kbsetsb (2026-11-30) as the owner and the customers, without reading the
answering code, committed before they were ever measured, then measured once with the code of that
commit (`measure`, with the model), right / wrong pairs + off-topic answered / handed off:
  thammy  (cosmetic surgery, dev)        61/103 (59.2 %), 3 + 1 (3.2 %), 21/22
  mypham  (cosmetics shop, dev)          46/94  (48.9 %), 3 + 1 (3.5 %), 20/21
  caytoc  (hair & scalp clinic, HELD-OUT) 58/99 (58.6 %), 4 + 1 (4.2 %), 20/21
Far short of issue 7's targets (>= 90 % right, <= 1 % wrong) on businesses the code has not seen:
floors, not goals.
"""

from __future__ import annotations

import pytest

from tests.knowledge.test_quality_sets import check_set


@pytest.mark.parametrize(
    ("name", "right", "wrong_pairs", "handoff"),
    [
        ("thammy", 0.67, 2, 0.95),  # learned decision: 68.0 %
        ("mypham", 0.59, 2, 0.95),
        ("caytoc", 0.60, 3, 0.95),
    ],
)
def test_kbsetsb_sets(name: str, right: float, wrong_pairs: int, handoff: float) -> None:
    check_set(name, right, wrong_pairs, handoff, held_out=name == "caytoc", asked=80)
