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

Session 20: the model's latent terms joined the learned decision, trained on 32 dev sets on an
AVX-512 machine (its engine kernels round differently from AVX2 ones); the floors it lowered
(goidau, menspa, laser, retreat, ivdrip) leave one question of margin under its figures there.
"""

from __future__ import annotations

import pytest

from tests.knowledge.test_quality_sets import check_set

HELD_OUT = {"spatainha", "laser"}


@pytest.mark.parametrize(
    ("name", "right", "wrong_pairs", "handoff"),
    [
        # eighth pass
        ("goidau", 0.76, 2, 0.95),
        ("resortspa", 0.60, 1, 0.95),
        ("noitoc", 0.73, 1, 0.95),
        ("pilates", 0.65, 1, 0.95),
        ("babyswim", 0.62, 1, 0.95),
        ("menspa", 0.64, 1, 0.95),
        ("spatainha", 0.58, 2, 0.95),
        ("laser", 0.61, 2, 0.95),
        # ninth pass
        ("noikhoa", 0.60, 0, 0.95),
        ("kidspa", 0.56, 3, 0.95),
        ("retreat", 0.61, 1, 0.95),
        ("chamsocchan", 0.68, 0, 0.95),
        ("ivdrip", 0.60, 0, 0.95),
        ("hangmuoi", 0.65, 5, 0.95),
    ],
)
def test_session_19_sets(name: str, right: float, wrong_pairs: int, handoff: float) -> None:
    check_set(name, right, wrong_pairs, handoff, held_out=name in HELD_OUT, asked=80)


# Tenth pass (session 20): eight more businesses written blind by four helpers, committed before
# they were measured; which two are held out was decided before they were written. Measured once
# with the code and weights of the session's start, which had never seen them (the honest figure
# of a new spa): 490/747 (65.6 %), 12 + 4 (1.7 %), 179/183 (hammam and massageghe: 110/182, 1 + 1).
# The floors are the shipped weights' figures (trained on the six dev ones) with one question of
# margin on right answers and one on wrong pairs and hand-offs: engine kernels differ by CPU.
TENTH_HELD_OUT = {"hammam", "massageghe"}


@pytest.mark.parametrize(
    ("name", "right", "wrong_pairs", "handoff"),
    [
        ("floatspa", 0.64, 2, 0.90),  # float tank & infrared sauna
        ("soundbath", 0.63, 4, 0.90),  # sound healing & breathwork
        ("duongsinh", 0.79, 1, 0.90),  # wellness for older people
        ("khiemthi", 0.75, 1, 0.90),  # massage by visually impaired therapists
        ("ayurveda", 0.52, 4, 0.90),  # ayurveda centre
        ("icebath", 0.63, 3, 0.90),  # sports recovery
        ("hammam", 0.55, 1, 0.90),  # HELD-OUT: turkish hammam & scrub
        ("massageghe", 0.67, 2, 0.90),  # HELD-OUT: express massage kiosks in malls
    ],
)
def test_session_20_sets(name: str, right: float, wrong_pairs: int, handoff: float) -> None:
    check_set(name, right, wrong_pairs, handoff, held_out=name in TENTH_HELD_OUT, asked=80)


# Eleventh pass (session 22): ten more businesses written blind by four helpers, committed before
# they were measured; which two are held out was decided before they were written. Measured once
# with the code and weights of the session's start, which had never seen them: the eight dev sets
# 508/737 (68.9 %), 8 + 6 (1.5 %), 181/187; thammymat and massagethai 133/178, 3 + 2, 44/46.
# The floors are the shipped weights' figures (trained on the eight dev ones, never on the two
# held-out) with one question of margin on right answers, wrong pairs and hand-offs.
ELEVENTH_HELD_OUT = {"thammymat", "massagethai"}


@pytest.mark.parametrize(
    ("name", "right", "wrong_pairs", "handoff"),
    [
        ("trinam", 0.82, 1, 0.90),  # melasma & pigmentation clinic
        ("seo", 0.80, 2, 0.90),  # scar & stretch-mark clinic
        ("facialbar", 0.62, 1, 0.90),  # express facial bar in a mall
        ("chuoispa", 0.70, 2, 0.90),  # budget spa chain, six branches
        ("niengrang", 0.68, 2, 0.90),  # orthodontics
        ("dinhduong", 0.71, 1, 0.87),  # nutrition & weight coaching
        ("capdoi", 0.76, 2, 0.86),  # couples & honeymoon spa villas
        ("nailmi", 0.76, 1, 0.90),  # nail & lash bar in a mall
        ("thammymat", 0.70, 2, 0.90),  # HELD-OUT: eye-area aesthetics clinic
        ("massagethai", 0.71, 2, 0.86),  # HELD-OUT: Thai massage & herbal compress
    ],
)
def test_session_22_sets(name: str, right: float, wrong_pairs: int, handoff: float) -> None:
    check_set(name, right, wrong_pairs, handoff, held_out=name in ELEVENTH_HELD_OUT, asked=85)
