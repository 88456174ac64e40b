"""How customers of any business write (issue 7, kblex): chat abbreviations, spelling variants,
everyday synonyms and English questions all reach the same words and concepts as the business's
Vietnamese Q&A, and the Q&A pair that answers them."""

from __future__ import annotations

import pytest

from spacrm.knowledge.analysis import analyze
from spacrm.knowledge.qa import QAPair
from spacrm.knowledge.retrieval import Retriever


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("cho e xin stk", ("so", "tai", "khoan")),  # abbreviation
        ("ktx bao nhieu 1 thang", ("ky", "tuc", "xa", "1", "thang")),
        ("hoc pmu het bn", ("hoc", "phun", "xam")),
        ("tmv nằm đường nào q3 v ạ", ("nam", "quan", "3")),  # district
        ("e muốn đăng kí khóa học", ("ky", "khoa", "hoc")),  # kí = ký
        ("shop qua rước bé được ko", ("qua", "don", "be")),  # rước = đón
        ("kcn anessa bao nhiêu", ("kem", "chong", "nang", "anessa")),
    ],
)
def test_abbreviations_and_variants_are_written_out(text: str, words: tuple[str, ...]) -> None:
    assert analyze(text).words == words


def test_a_word_typed_with_diacritics_is_not_read_as_slang() -> None:
    # "hồng" (pink) folds to "hong", which typed plain is "không"; "bột" is not "bớt" (a discount).
    assert analyze("nhuộm màu hồng").words == ("nhuom", "mau", "hong")
    assert "promo" in analyze("có bớt ko").concepts
    assert "promo" not in analyze("đắp bột").concepts
    assert "pain" in analyze("có châm chích không").concepts
    assert "vaccination" in analyze("bé chưa chích ngừa").concepts


@pytest.mark.parametrize(
    ("text", "concept"),
    [
        ("có ship toàn quốc ko", "delivery"),
        ("hsd xem ở đâu", "expiry"),
        ("mua về ko thích đổi trả được không", "returns"),
        ("bán sỉ cho ctv không", "wholesale"),
        ("chích ngừa đủ chưa", "vaccination"),
        ("sưng bầm mấy ngày", "recovery"),
        ("nghỉ giữa chừng bảo lưu được không", "pause"),
        ("nâng ngực có gây mê toàn thân không", "anesthesia"),
        ("kẹt xe tới trễ 30p", "reschedule"),
        ("chia ra trả mỗi tháng được ko", "installment"),
    ],
)
def test_everyday_synonyms_say_the_concept(text: str, concept: str) -> None:
    assert concept in analyze(text).concepts


def test_general_anaesthesia_is_not_a_full_body_massage() -> None:
    assert "massage" not in analyze("gây mê toàn thân").concepts


@pytest.mark.parametrize(
    ("text", "concepts"),
    [
        ("how much is the nail course", {"price", "nail"}),
        ("what time do you open", {"hours"}),
        ("where is the clinic located", {"where"}),
        ("can I pay in installments", {"installment"}),
        ("is it general anesthesia or local?", {"anesthesia"}),
    ],
)
def test_an_english_question_is_read_in_vietnamese(text: str, concepts: set[str]) -> None:
    assert concepts <= analyze(text).concepts


def test_vietnamese_without_diacritics_is_not_taken_for_english() -> None:
    # "co the an do an o day ko" has English-looking words ("the", "an", "do") but no word that
    # no Vietnamese syllable is spelled like.
    assert analyze("co the an do an o day ko").words == ("the", "an", "an", "o")


PAIRS = [
    QAPair("gio", "Cửa hàng mở cửa mấy giờ?", "Dạ 9h00–21h00 tất cả các ngày ạ."),
    QAPair("dia-chi", "Cửa hàng ở đâu?", "Dạ 12 Lê Lợi, quận 1 ạ."),
    QAPair("giao", "Bao lâu thì nhận được hàng?", "Dạ nội thành 1–2 ngày, tỉnh 3–5 ngày ạ."),
    QAPair("gia-kcn", "Kem chống nắng giá bao nhiêu?", "Dạ 350.000đ/50ml ạ."),
    QAPair("tk", "Thanh toán thế nào?", "Dạ tiền mặt hoặc chuyển khoản Vietcombank ạ."),
]


@pytest.mark.parametrize(
    ("text", "expect"),
    [
        ("what time do you open", "gio"),
        ("where is the shop located?", "dia-chi"),
        ("how long does delivery take", "giao"),
        ("sunscreen price?", "gia-kcn"),
        ("kcn giá nhiu", "gia-kcn"),
        ("ship về tỉnh mấy ngày", "giao"),
        ("cho e xin stk", "tk"),
    ],
)
def test_the_customer_s_way_of_writing_finds_the_pair(text: str, expect: str) -> None:
    assessment = Retriever(PAIRS).assess(text)
    assert assessment.hits and assessment.hits[0].pair.id == expect
    assert not assessment.foreign
