"""Set D (staffd): front-desk and technician chat as typed on Telegram/Zalo — no diacritics,
"c/a/e/kh/ck/tm/the/qr", amounts "2tr3/850k/1.750.000d/2 cu", corrections in the same message
("ck 2tr, a nham 2tr5", "t6, a nham t7"), questions phrased like writes ("c Lan ck 1tr5 roi a?",
"kh Lan chot chua?"), names not in the CRM, every intent of DESIGN §6 incl. the operations ones.

Both files were written before reading the parser and committed before any change.
heldout_d.jsonl (89 lines) is never tuned on (totals only): before intent 97.8%, exact 89.9%,
0/31 reads written; after intent 97.8%, exact 95.5%, 0/31.
dev_d.jsonl (125 lines) was tuned on: before 92.0% exact (97.6% intent), 0/44; after 100%.
"""

from __future__ import annotations

import pytest

from spacrm.bot.nlu import parse
from tests.bot.nlu.test_scores import NOW, _cases, _score

HELDOUT_D_FLOOR = 0.93  # reached 0.955
DEV_D_FLOOR = 0.97  # reached 1.000


def test_set_d_is_large_and_distinct() -> None:
    heldout, dev = _cases("heldout_d.jsonl"), _cases("dev_d.jsonl")
    assert len(heldout) >= 80 and len(dev) >= 100
    others = {
        c["text"]
        for n in ("dev.jsonl", "heldout.jsonl", "heldout_b.jsonl", "dev_c.jsonl", "heldout_c.jsonl")
        for c in _cases(n)
    }
    texts_h, texts_d = {c["text"] for c in heldout}, {c["text"] for c in dev}
    assert not texts_h & texts_d and not (texts_h | texts_d) & others


def test_heldout_d_stays_above_its_floor_and_never_writes_a_read() -> None:
    accuracy, read_to_write, _ = _score("heldout_d.jsonl")
    assert read_to_write == 0
    assert accuracy >= HELDOUT_D_FLOOR, f"{accuracy:.3f} < {HELDOUT_D_FLOOR}"


def test_dev_d_stays_at_its_figure() -> None:
    accuracy, read_to_write, misses = _score("dev_d.jsonl")
    assert read_to_write == 0, "\n".join(misses)
    assert accuracy >= DEV_D_FLOOR, f"{accuracy:.3f} < {DEV_D_FLOOR}:\n" + "\n".join(misses)


@pytest.mark.parametrize(
    ("text", "method"),
    [
        ("thu c Hoa 2tr3 the", "card"),
        ("c Hoa 2tr3 the", "card"),
        ("c Hoa tra the 2tr3", "card"),
        ("chị Hoa trả thẻ 2tr3", "card"),
        ("c Hoa quet the 2tr3", "card"),
        ("c Hoa tm 2tr3", "cash"),
        ("c Hoa tien mat 2tr3", "cash"),
        ("c Hoa ck 2tr3", "transfer"),
        ("c Hoa chuyen khoan 2tr3", "transfer"),
        ("c Hoa 2tr3 qua qr", "transfer"),
        ("c Hoa co the ck 2tr3", "transfer"),  # "có thể": no card
    ],
)
def test_method_words_fill_the_method(text: str, method: str) -> None:
    got = parse(text, now=NOW)
    assert (got.intent, got.slots.get("amount"), got.slots.get("method")) == (
        "record_payment",
        2_300_000,
        method,
    )


@pytest.mark.parametrize(
    "text",
    ["c Hoa 2tr3", "c Hoa co the tra 2tr3 mai", "ban the thanh vien cho c Hoa 2tr3"],
)
def test_the_is_no_card_where_it_is_another_word(text: str) -> None:
    assert parse(text, now=NOW).slots.get("method") is None


@pytest.mark.parametrize(
    ("text", "slot", "value"),
    [
        ("c Thoa ck 2tr, a nham 2tr5", "amount", 2_500_000),
        ("c Thoa ck 500k nham roi 600k", "amount", 600_000),
        ("c Thoa ck 500k, a lon 600k", "amount", 600_000),
        ("dat lich c Thoa 8h toi mai, a nham 9h", "time", "21:00"),
        ("huy lich c Thoa t6 a nham t7", "date", "2026-11-28"),
        ("c Lan ko den, nham c Hoa", "customer", "Hoa"),
        ("c Thoa ck 2tr ck", "amount", 2_000_000),  # no marker: nothing moves
    ],
)
def test_a_value_corrected_in_the_message_replaces_the_slip(
    text: str, slot: str, value: object
) -> None:
    assert parse(text, now=NOW).slots[slot] == value


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("ban c Lan goi triet nach 5tr 10 buoi", 5_000_000),  # not 5.1 million
        ("c Hanh mua goi goi dau 10 buoi 1tr8, tm", 1_800_000),  # the comma ends the amount
        ("c Lan ck 1 trieu 2", 1_200_000),
    ],
)
def test_amounts_next_to_counts_and_commas(text: str, amount: int) -> None:
    assert parse(text, now=NOW).slots["amount"] == amount
