"""Issue 7's answering quality on fourteen more businesses (tests/knowledge/data/sets), written in
session 19 by helpers playing the owner and the customers, without reading the answering code or
the other sets, and committed before they were ever measured. Floors, not goals: issue 7 asks
>= 90 % right and <= 1 % wrong on businesses the code has not seen.

Eighth pass (kbsetsc): a head spa (`goidau`), a resort spa (`resortspa`), a hair-extension & wig
shop (`noitoc`), a pilates & yoga studio (`pilates`), a baby spa & swimming (`babyswim`) and a
men's spa (`menspa`), all dev; a spa-at-home service (`spatainha`) and a laser skin &
hair-removal clinic (`laser`), HELD-OUT: only their totals are ever printed. Which two are held
out was decided before they were written. Measured once with the code and weights of that commit
(the learned decision trained on the 14 earlier dev sets), right / wrong pairs + off-topic
answered / handed off:
  the six dev sets together   340/511 (66.5 %), 7 + 1 (1.2 %), 135/136
  the two held-out together   107/170 (62.9 %), 2 + 3 (2.3 %), 42/45

Ninth pass (kbsetsd), all dev: a non-surgical aesthetics clinic (`noikhoa`: botox, filler, meso),
a kids' spa & party place (`kidspa`), a yoga & detox retreat (`retreat`), a medical foot-care
studio (`chamsocchan`), a vitamin IV drip lounge (`ivdrip`) and a salt cave & float centre
(`hangmuoi`). Measured once with weights trained on the 20 earlier dev sets, which had never seen
them - the honest figure of that code on a new business: 331/515 (64.3 %), 10 + 1 (1.7 %),
138/139.

Then the weights were trained on all 26 dev sets (with folded copies of the questions typed with
diacritics, training only): the floors below are the figures of the shipped weights.
"""

from __future__ import annotations

import pytest

from tests.knowledge.test_quality_sets import check_set

HELD_OUT = {"spatainha", "laser"}


@pytest.mark.parametrize(
    ("name", "right", "wrong_pairs", "handoff"),
    [
        # eighth pass
        ("goidau", 0.78, 2, 0.95),
        ("resortspa", 0.60, 1, 0.95),
        ("noitoc", 0.73, 1, 0.95),
        ("pilates", 0.65, 1, 0.95),
        ("babyswim", 0.62, 1, 0.95),
        ("menspa", 0.69, 1, 0.95),
        ("spatainha", 0.58, 2, 0.95),
        ("laser", 0.65, 2, 0.95),
        # ninth pass
        ("noikhoa", 0.60, 0, 0.95),
        ("kidspa", 0.56, 3, 0.95),
        ("retreat", 0.63, 1, 0.95),
        ("chamsocchan", 0.68, 0, 0.95),
        ("ivdrip", 0.62, 0, 0.95),
        ("hangmuoi", 0.65, 5, 0.95),
    ],
)
def test_session_19_sets(name: str, right: float, wrong_pairs: int, handoff: float) -> None:
    check_set(name, right, wrong_pairs, handoff, held_out=name in HELD_OUT, asked=80)
