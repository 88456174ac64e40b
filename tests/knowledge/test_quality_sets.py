"""Issue 7's targets on FAQ sets of businesses unlike the demo spa (tests/knowledge/data/sets):
answered right, answered with a WRONG pair, handed off when due - offline, without Gemini, through
the same decision `spacrm kb test` scores (`intents.customer.decide`).

`dental` and `gym` are dev sets (tuning allowed); `dayspa` is HELD-OUT: written with the others
before any tuning and never tuned on, so its floors are what the code reaches on a business it
has not seen. Its totals have since been looked at, so the second pass (kb2) wrote two new
held-out sets, `brow` and `mebe`, whose misses are never printed either; `barber` is that pass's
dev set. Run `pytest -s` to see the figures and every miss of the dev sets.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from spacrm.intents.customer.decide import decide
from spacrm.knowledge.evaluation import Report, parse_cases, score
from spacrm.knowledge.importer import load_qa_file
from spacrm.knowledge.retrieval import Retriever

SETS = Path(__file__).resolve().parent / "data" / "sets"


def _files(name: str) -> tuple[Path, Path]:
    if (SETS / name).is_dir():
        return SETS / name / "faq.csv", SETS / name / "questions.jsonl"
    return SETS.parent / f"{name}_faq.csv", SETS.parent / f"{name}_questions.jsonl"


def measure(name: str, *, show_lines: bool = True) -> Report:
    faq, questions = _files(name)
    retriever = Retriever(load_qa_file(faq), semantic=True)
    lines = questions.read_text(encoding="utf-8").splitlines()
    report = score(parse_cases(lines), lambda text: decide(text, retriever))
    print(
        f"\n{name}: right {report.right}/{report.in_scope} ({report.right_rate:.1%}), wrong "
        f"{report.wrong_rate:.1%} ({report.wrong} wrong pair + "
        f"{report.handoff_due - report.handoff_done} off-topic answered), handed off "
        f"{report.handoff_done}/{report.handoff_due} ({report.handoff_rate:.1%})"
    )
    # The held-out set's misses are not printed: reading them is how a set stops being held out.
    for line in report.wrong_lines + report.missed_lines if show_lines else ():
        print("   ", line)
    return report


def check_set(
    name: str, right: float, wrong_pairs: int, handoff: float, *, held_out: bool, asked: int
) -> None:
    """A set written by one pass: its role (held-out or dev), its size (25-30 pairs, `asked`
    in-scope questions, 20 hand-offs, every expected id a pair), then its floors. A held-out
    set's misses are never printed: reading them is how a set stops being held out."""
    assert (SETS / name / "HELD_OUT").exists() == held_out
    pairs = load_qa_file(SETS / name / "faq.csv")
    cases = parse_cases((SETS / name / "questions.jsonl").read_text(encoding="utf-8").splitlines())
    assert 25 <= len(pairs) <= 30 and sum(case.expect is not None for case in cases) >= asked
    assert sum(case.expect is None for case in cases) >= 20
    assert {case.expect for case in cases} - {None} <= {pair.id for pair in pairs}
    report = measure(name, show_lines=not held_out)
    assert report.right_rate >= right
    assert report.wrong <= wrong_pairs
    assert report.handoff_rate >= handoff


def test_sets_are_big_enough() -> None:
    for name in ("dental", "gym", "dayspa", "nailspa", "massage"):
        pairs = load_qa_file(SETS / name / "faq.csv")
        lines = (SETS / name / "questions.jsonl").read_text(encoding="utf-8").splitlines()
        cases = parse_cases(lines)
        assert 25 <= len(pairs) <= 30 and len(cases) >= 99
        assert sum(case.expect is None for case in cases) >= 20
        assert {case.expect for case in cases} - {None} <= {pair.id for pair in pairs}
    assert (SETS / "dayspa" / "HELD_OUT").exists()


@pytest.mark.parametrize(("name", "handoffs"), [("brow", 20), ("mebe", 20), ("barber", 10)])
def test_second_pass_sets_are_big_enough(name: str, handoffs: int) -> None:
    # Written by the second pass (kb2): 25 pairs, 60+ customer questions each.
    pairs = load_qa_file(SETS / name / "faq.csv")
    cases = parse_cases((SETS / name / "questions.jsonl").read_text(encoding="utf-8").splitlines())
    assert len(pairs) == 25 and sum(case.expect is not None for case in cases) >= 50
    assert sum(case.expect is None for case in cases) >= handoffs
    assert {case.expect for case in cases} - {None} <= {pair.id for pair in pairs}


# Measured (see the report of the branch), right / wrong pairs / off-topic answered:
#   dental  94.2 % / 0 / 0
#   gym     92.7 % / 0 / 0      nailspa 92.3 % / 0 / 0      massage 88.3 % / 3 / 0
#   clinic  97.7 % / 0 / 0 (the earlier skin-clinic set of tests/knowledge/data)
#   barber  90.0 % / 1 / 0 (written by the second pass after its aspect choice, measured then
#           tuned on once: a short repair into a concept word is no longer "ours")
# nailspa and massage were written after the first round of tuning, massage to look like the
# businesses the first sets did not cover (many services of one family).
# Third pass (kb): a near tie between two pairs with nothing that only the first explains hands
# off, a low-scoring pair that explains every content word and is well ahead is sent, everyday
# verbs are not "another business". Over the dev sets and dayspa: right 540 -> 547, wrong pairs
# 7 -> 3, off-topic answered 1 -> 1 (dental 94.2 -> 93.0 %: near ties that happened to be right).
# Sixth pass (kb, 2026-11-30, see the comment above test_sixth_pass_sets): dental 94.2 -> 95.3 %,
# clinic 97.7 -> 95.5 % (a near sibling the model disputes is handed off), massage 90.9 -> 93.5 %.
# Session 20: the model's latent terms join the learned decision (CV over 32 dev businesses:
# 1914 -> 1952 right of 2715, 26 + 7 -> 26 + 8 wrong), trained on an AVX-512 machine whose engine
# kernels round differently from AVX2 ones (a borderline question may flip): dental 95.3 -> 91.9 %,
# clinic and nailspa one wrong pair each. Floors changed here leave one question of margin.
# Session 22 (40 dev sets, candidates competing in a softmax): nailspa answers "bán sơn móng tay
# ko" (selling nail polish, to hand off) with the gel-polish price: 21/22 handed off.
@pytest.mark.parametrize(("name", "right", "wrong_pairs", "handoff"), [
    ("dental", 0.90, 0, 1.0), ("clinic", 0.90, 1, 1.0), ("gym", 0.91, 0, 1.0), ("nailspa", 0.92, 1, 0.95),
    ("massage", 0.88, 0, 1.0), ("barber", 0.90, 0, 1.0),
])  # fmt: skip
def test_dev_set(name: str, right: float, wrong_pairs: int, handoff: float) -> None:
    report = measure(name)
    assert report.right_rate >= right
    assert report.wrong <= wrong_pairs
    assert report.handoff_rate >= handoff


# Fourth pass (kb, 2026-11-30): diacritics restored before the semantic model reads a question,
# and a hand-off whose pair the model singles out among the spa's pairs (and the words rank first
# or second) is sent. Over the dev sets: right 549 -> 555 of 597, wrong pairs 3 -> 3, off-topic
# answered 1 -> 1 (massage 89.6 -> 90.9 %, nailspa 92.3 -> 94.9 %, barber 90.0 -> 92.0 %, dayspa
# 86.0 -> 88.4 %). Held-out totals after it (measured, never tuned on): acne 75.7 -> 77.1 %,
# hairsalon 79.4 -> 80.9 %, brow 80.6 -> 80.6 %, mebe 75.8 -> 79.0 %, wrong unchanged.


# Held-out, before any change: right 67.4 %, wrong 10.2 % (8 wrong pairs + 3 off-topic answered),
# handed off 86.4 %. Now: right 79.1 %, 3 wrong pairs + 1 off-topic answered (3.7 %), handed off
# 95.5 %: right and wrong still short of issue 7's targets on a business the code has not seen.
# The third pass (kb) read its misses, treating it as a dev set: 86.0 %, 1 wrong pair + 1 off-topic
# answered (1.9 %), 95.5 % handed off.
def test_held_out_day_spa_floors() -> None:
    report = measure("dayspa", show_lines=False)
    # kblearn (learned decision): 74/86, one right answer fewer than the rules (held-out totals
    # over the eight sets: 435 -> 445 right, 14 + 3 -> 14 + 2 wrong; see the weights' comment).
    assert (
        report.right_rate >= 0.80
    )  # learned (session 18): 81.4 %; on 26 sets (session 19): 80.2 %; session 20: 82.6 %
    assert report.wrong <= 1  # session 20 (latent terms, 32 dev sets): 1 wrong pair
    assert report.handoff_rate >= 0.95


# Second-pass held-out sets (kb2), written before any code change of that pass and measured
# twice, totals only (misses never printed); the third pass (kb) measured them once more after its
# changes: brow 79.0 % / 1 wrong pair, mebe 75.8 % / 5 wrong pairs (6.1 %), both 20/20 handed off.
#   brow (lash & brow studio, phun xăm)  before 80.6 % right, 2 wrong pairs (2.4 %), 20/20 handed off
#                                        after  79.0 % right, 1 wrong pair  (1.2 %), 20/20
#   mebe (postpartum mother-and-baby)    before 72.6 % right, 6 wrong pairs (7.3 %), 20/20
#                                        after  72.6 % right, 6 wrong pairs (7.3 %), 20/20
# Both are short of issue 7's targets (>= 90 % right, <= 1 % wrong): floors, not goals.
# Sixth pass (kb): brow unchanged (82.3 %, 1 wrong pair), mebe 79.0 -> 82.3 %, 5 -> 3 wrong pairs.
# kblearn: the learned decision moved one wrong pair into mebe (2 -> 3); see test_sixth_pass_sets.
@pytest.mark.parametrize(("name", "right", "wrong_pairs"), [("brow", 0.82, 0), ("mebe", 0.79, 3)])
def test_second_pass_held_out_floors(name: str, right: float, wrong_pairs: int) -> None:
    assert (SETS / name / "HELD_OUT").exists()
    report = measure(name, show_lines=False)
    assert report.right_rate >= right
    assert report.wrong <= wrong_pairs
    assert report.handoff_rate >= 0.95


# Third-pass held-out sets (kb, 2026-11-30): written and committed before any change of that pass,
# measured once before and once after it, totals only (misses never printed):
#   acne (acne-treatment clinic)  before 75.7 % right, 1 wrong pair + 1 off-topic answered (2.3 %),
#                                 17/18 handed off; after 75.7 %, 2 wrong pairs + 1 (3.4 %), 17/18
#   hairsalon (women's hair salon) before 76.5 %, 3 wrong pairs + 1 (4.7 %), 17/18;
#                                 after 77.9 %, 2 wrong pairs + 1 (3.5 %), 17/18
# Short of issue 7's targets: floors, not goals.
@pytest.mark.parametrize(
    ("name", "right", "wrong_pairs"), [("acne", 0.77, 1), ("hairsalon", 0.72, 2)]
)
def test_third_pass_held_out_floors(name: str, right: float, wrong_pairs: int) -> None:
    assert (SETS / name / "HELD_OUT").exists()
    pairs = load_qa_file(SETS / name / "faq.csv")
    cases = parse_cases((SETS / name / "questions.jsonl").read_text(encoding="utf-8").splitlines())
    assert 25 <= len(pairs) <= 30 and len(cases) >= 80
    assert sum(case.expect is None for case in cases) >= 18
    assert {case.expect for case in cases} - {None} <= {pair.id for pair in pairs}
    report = measure(name, show_lines=False)
    assert report.right_rate >= right
    assert report.wrong <= wrong_pairs
    assert report.handoff_rate >= 0.94


# Fourth-pass held-out set (kb, 2026-11-30): a body-slimming centre, written and committed before
# any change of that pass, measured at the start and after its changes, totals only:
#   slim  before 65.1 % right, 3 wrong pairs + 1 off-topic answered (4.8 %), 19/20 handed off
#         after  66.3 % right, 3 wrong pairs + 1 off-topic answered (4.8 %), 19/20
# Far short of issue 7's targets on a business unlike the dev sets: floors, not goals.
def test_fourth_pass_held_out_floors() -> None:
    name = "slim"
    assert (SETS / name / "HELD_OUT").exists()
    pairs = load_qa_file(SETS / name / "faq.csv")
    cases = parse_cases((SETS / name / "questions.jsonl").read_text(encoding="utf-8").splitlines())
    assert 25 <= len(pairs) <= 30 and sum(case.expect is not None for case in cases) >= 80
    assert sum(case.expect is None for case in cases) >= 20
    assert {case.expect for case in cases} - {None} <= {pair.id for pair in pairs}
    report = measure(name, show_lines=False)
    assert report.right_rate >= 0.71  # sixth pass (kb): 67.5 -> 73.5 %; learned decision 71.1 %
    assert report.wrong <= 2
    assert report.handoff_rate >= 0.95


# Fifth pass (kb2, 2026-11-30): two dev sets rich in everyday chit-chat, written before its change
# (words only / with the model, right, wrong pairs + off-topic answered):
#   tattoo     before 54.3 % / 56.8 %, 1 + 1;  after 64.2 % / 67.9 %, 1 + 1
#   footsauna  before 66.2 % / 68.8 %, 2 + 0;  after 73.8 % / 76.2 %, 2 + 0
# Their wrong answers are above issue 7's 1 %: floors, not goals. Held-out totals after the change
# (with the model): the four older sets 208 -> 209 of 262 right, slim 55 -> 56 of 83, wrong answers
# and hand-offs unchanged.
@pytest.mark.parametrize(
    ("name", "right", "wrong_pairs", "handoff"),
    [
        ("tattoo", 0.65, 0, 1.0),
        ("footsauna", 0.81, 1, 1.0),
    ],  # kblex: 72.8 / 81.2 %  # sixth pass (kb), was 67.9 / 76.2 %
)
def test_fifth_pass_dev_sets(name: str, right: float, wrong_pairs: int, handoff: float) -> None:
    pairs = load_qa_file(SETS / name / "faq.csv")
    cases = parse_cases((SETS / name / "questions.jsonl").read_text(encoding="utf-8").splitlines())
    assert 25 <= len(pairs) <= 30 and sum(case.expect is not None for case in cases) >= 80
    assert sum(case.expect is None for case in cases) >= 20
    assert {case.expect for case in cases} - {None} <= {pair.id for pair in pairs}
    report = measure(name)
    assert report.right_rate >= right
    assert report.wrong <= wrong_pairs
    assert report.handoff_rate >= handoff


# Sixth pass (kbsets, 2026-11-30): four sets written as customers without reading the answering
# code, committed before they were ever measured, then measured once (`spacrm kb test`, with the
# model), right / wrong pairs + off-topic answered / handed off:
#   dongy   (traditional-medicine clinic, dev)   66.7 %, 6 + 3 (9.0 %), 19/22
#   physio  (physiotherapy & chiropractic, dev)  63.5 %, 3 + 0 (3.2 %), 21/21
#   bridal  (bridal makeup & photo, HELD-OUT)    65.7 %, 5 + 1 (6.7 %), 19/20
#   waxing  (wax & tan studio, HELD-OUT)         59.5 %, 7 + 0 (7.4 %), 20/20
# Far short of issue 7's targets on businesses the code has not seen: floors, not goals.
# Then the sixth pass (kb, 2026-11-30) tuned on the dev sets (dongy and physio among them, read with
# bench/kb_diagnose.py) and measured the held-out ones once at its end, totals only:
#   dongy   66.7 -> 71.8 %, 6 + 3 -> 2 + 3;   physio 63.5 -> 64.9 %, 3 + 0 -> 2 + 0
#   bridal  65.7 -> 68.6 %, 5 + 1 -> 3 + 0, 20/20;   waxing 59.5 -> 56.8 %, 7 + 0 -> 6 + 0
# Its mechanisms: a sure pair the model disputes (it singles out the close second) is handed off;
# a pair singled out by a rare word and first for the model is rescued from 0.15; a pair under 0.5
# leaving out a rare word another pair has is not sure; a near tie is decided by a rare word only
# the first pair has; a one-word concept typed without diacritics that is the spa's own word
# ("mua goi": gói, not gội) names no other business; a phone number with nothing asked is a lead.
# Over the ten dev sets: right 606 -> 619 of 730, wrong pairs 13 -> 5, off-topic answered 4 -> 3.
# Over the eight held-out sets: right 431 -> 438 of 575, wrong pairs 26 -> 18, off-topic
# answered 5 -> 3, handed off 153 -> 155 of 158.
# kblearn (2026-11-30): a learned decision (knowledge/learned.py, bench/kb_learn.py) trained on the
# dev sets leave-one-business-out. Held-out totals (8 sets, measured in three runs, totals only):
# rules 435/575 right, 14 wrong pairs + 3 off-topic answered; learned 445/575, 14 + 2. Per set the
# wrong pairs moved (mebe and waxing +1 each, two fewer in the others): their floors follow.
@pytest.mark.parametrize(
    ("name", "right", "wrong_pairs", "handoff"),
    [
        ("dongy", 0.73, 1, 0.85),  # kblex: 71.8 -> 74.4 %
        ("physio", 0.63, 1, 0.95),
        ("bridal", 0.67, 2, 0.95),
        ("waxing", 0.59, 4, 0.95),
    ],
)
def test_sixth_pass_sets(name: str, right: float, wrong_pairs: int, handoff: float) -> None:
    check_set(name, right, wrong_pairs, handoff, held_out=name in ("bridal", "waxing"), asked=60)


# Seventh pass (kbsetsa, 2026-11-30): three sets written as the spa owner and its customers without
# reading the answering code, committed before they were ever measured, then measured once with
# the model (right / wrong pairs + off-topic answered / handed off):
#   petspa  (pet spa & grooming, dev)             57.4 %, 3 + 1 (3.3 %), 21/22
#   daotao  (beauty academy, dev)                 61.5 %, 4 + 3 (5.9 %), 19/22
#   onsen   (onsen & herbal bath, HELD-OUT)       64.6 %, 5 + 6 (9.3 %), 16/22
# Far short of issue 7's targets on businesses the code has not seen: floors, not goals.
@pytest.mark.parametrize(
    ("name", "right", "wrong_pairs", "handoff"),
    [("petspa", 0.69, 2, 0.95), ("daotao", 0.69, 4, 0.86), ("onsen", 0.65, 5, 0.77)],
)
def test_seventh_pass_sets(name: str, right: float, wrong_pairs: int, handoff: float) -> None:
    check_set(name, right, wrong_pairs, handoff, held_out=name == "onsen", asked=80)


# Session 18 (2026-11-30): the learned decision (spacrm/knowledge/learned.py, retrained with the
# four new dev sets and kblex's lexicon: `python -m bench.kb_learn --write`) sends fewer answers
# on several sets in exchange for fewer wrong ones; the floors above that moved down are its
# figures. Held-out totals (all 10 sets, measured once): rules 567/770 right, 23 wrong pairs + 10
# off-topic answered (3.4 %); learned 562/770, 13 + 7 (2.1 %), 194/201 handed off.
