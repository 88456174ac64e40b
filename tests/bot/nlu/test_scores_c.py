"""Set C (staffqa): the spa's operations typed as staff type them on Telegram/Zalo — no diacritics,
"ko/dc/bn/ck/tm/kh/c/a/e/ktv", amounts "1tr2/850k/1.500.000/3 củ", dates "t7 nay/mai 3h chiều/20/12",
refunds and stock-outs (no intent: must not write), and read-only questions ("c Lan con no bn").

heldout_c.jsonl (116 lines) was written before reading the parser and committed before any change;
measured once before (intent 91.4%, exact 87.1%, 4/38 reads written) and once after the fixes
(intent 96.6%, exact 92.2%, 0/38). Its misses are never printed: it is not to be tuned on.
dev_c.jsonl (55 lines) was tuned on: 89.1% exact, 3/18 reads written before; 100% after.
"""

from __future__ import annotations

from tests.bot.nlu.test_scores import _cases, _score

HELDOUT_C_FLOOR = 0.90  # reached 0.922
DEV_C_FLOOR = 0.97  # reached 1.000


def test_set_c_is_large_and_distinct() -> None:
    heldout, dev = _cases("heldout_c.jsonl"), _cases("dev_c.jsonl")
    assert len(heldout) >= 100 and len(dev) >= 50
    others = {
        c["text"] for n in ("dev.jsonl", "heldout.jsonl", "heldout_b.jsonl") for c in _cases(n)
    }
    texts_h, texts_d = {c["text"] for c in heldout}, {c["text"] for c in dev}
    assert not texts_h & texts_d and not (texts_h | texts_d) & others


def test_heldout_c_stays_above_its_floor_and_never_writes_a_read() -> None:
    accuracy, read_to_write, _ = _score("heldout_c.jsonl")
    assert read_to_write == 0
    assert accuracy >= HELDOUT_C_FLOOR, f"{accuracy:.3f} < {HELDOUT_C_FLOOR}"


def test_dev_c_stays_at_its_figure() -> None:
    accuracy, read_to_write, misses = _score("dev_c.jsonl")
    assert read_to_write == 0, "\n".join(misses)
    assert accuracy >= DEV_C_FLOOR, f"{accuracy:.3f} < {DEV_C_FLOOR}:\n" + "\n".join(misses)
