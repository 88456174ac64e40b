"""Diacritics put back on a question typed without them, from the spa's own text (issue 7,
knowledge/accents.py): what the semantic model reads instead of the bare syllables."""

from __future__ import annotations

from pathlib import Path

from spacrm.knowledge.accents import Restorer
from spacrm.knowledge.importer import load_qa_file

DENTAL = Path(__file__).resolve().parent / "data" / "sets" / "dental" / "faq.csv"


def _dental() -> Restorer:
    pairs = load_qa_file(DENTAL)
    return Restorer([text for p in pairs for text in (p.question, *p.variants, p.answer)])


def test_a_chat_typed_question_gets_the_spas_spelling() -> None:
    restorer = _dental()
    assert restorer.restore("tay trang rang gia bn") == "tẩy trắng răng giá bao nhiêu"
    assert restorer.restore("e muon cao voi gia sao").startswith("em muốn cạo vôi giá")
    assert restorer.restore("co cho de o to ko") == "có chỗ để ô tô không"


def test_typed_diacritics_and_unknown_words_stay() -> None:
    restorer = _dental()
    assert restorer.restore("Cạo vôi mất bao lâu?") == "cạo vôi mất bao lâu"
    assert restorer.restore("mua iphone o dau") == "mua iphone ở đâu"


def test_neighbours_choose_between_spellings() -> None:
    # "mo" is "mỡ" next to "bụng" and "mở" next to "cửa" in this spa's text.
    restorer = Restorer(["Giảm mỡ bụng giá bao nhiêu?", "Spa mở cửa lúc 9h", "mỡ bụng, mỡ đùi"])
    assert restorer.restore("giam mo bung bn") == "giảm mỡ bụng bao nhiêu"
    assert restorer.restore("may gio mo cua") == "mấy giờ mở cửa"
    assert restorer.restore("") == ""


def test_a_long_message_keeps_its_tail_as_typed() -> None:
    restorer = _dental()
    long = " ".join(["cao voi"] * 40)  # 80 words: the first 60 are restored
    restored = restorer.restore(long).split()
    assert len(restored) == 80
    assert restored[:2] == ["cạo", "vôi"] and restored[-2:] == ["cao", "voi"]
