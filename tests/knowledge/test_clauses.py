"""Everyday talk around a question is context, not another business (`clauses`, issue 7)."""

from __future__ import annotations

from pathlib import Path

from spacrm.knowledge.answering import answer_offline
from spacrm.knowledge.importer import load_qa_file
from spacrm.knowledge.qa import QAPair
from spacrm.knowledge.retrieval import Retriever

SETS = Path(__file__).resolve().parent / "data" / "sets"
PAIRS = [
    QAPair("gio", "Tiệm mở cửa mấy giờ?", "Dạ tiệm mở cửa 10h00–24h00 mỗi ngày ạ."),
    QAPair("foot-gia", "Massage chân giá bao nhiêu?", "Dạ massage chân 60 phút 180.000đ ạ."),
    QAPair("body-gia", "Massage body giá bao nhiêu?", "Dạ massage body 60 phút 280.000đ ạ."),
    QAPair("xong-hoi", "Xông hơi giá bao nhiêu?", "Dạ xông hơi 120.000đ mỗi lượt ạ."),
    QAPair("gui-xe", "Có chỗ gửi xe không?", "Dạ có giữ xe máy miễn phí ạ."),
    QAPair(
        "thanh-toan",
        "Thanh toán bằng cách nào?",
        "Dạ tiệm nhận tiền mặt, chuyển khoản, quẹt thẻ; trả góp 0% qua thẻ tín dụng ạ.",
    ),
]


def _match(question: str) -> str | None:
    return answer_offline(question, Retriever(PAIRS)).match


def test_talk_about_the_customer_before_the_question_is_context() -> None:
    # "bán hàng" and "mỏi" are nowhere in the spa's Q&A: without the clause rule, handed off.
    assert _match("chị đứng bán hàng cả ngày mỏi quá, massage chân bên em giá sao") == "foot-gia"
    assert _match("hôm trước đi nhậu với công ty, massage body bao nhiêu tiền") == "body-gia"


def test_another_business_in_the_asking_clause_still_hands_off() -> None:
    assert _match("ngân hàng mấy giờ mở cửa") is None
    assert _match("chị ơi, ngân hàng mấy giờ mở cửa") is None
    assert _match("nhà e gần chợ, ngân hàng mấy giờ mở cửa") is None


def test_a_telling_clause_needs_the_spas_topic_in_the_asking_one() -> None:
    # The asking clause names no topic of the spa ("mấy giờ", "bn tiền" only ask for a kind of
    # answer), and the telling clause shares one word with it at most: still another business.
    assert _match("mình cần mở tài khoản ngân hàng, mấy giờ mở cửa") is None
    assert _match("e muon mua iphone tra gop, bn tien") is None
    assert _match("e muốn mua iphone, bên mình giá sao") is None


def test_where_the_customer_is_and_how_they_feel_are_context() -> None:
    # "Thủ Đức" after "em ở" is where the customer comes from; "xấu quá" a quality, not a business.
    pairs = [*PAIRS, QAPair("dia-chi", "Tiệm ở đâu?", "Dạ tiệm ở 15 Cộng Hòa, Tân Bình ạ.")]
    retriever = Retriever(pairs)
    assert answer_offline("tiem o dau vay, e o thu duc", retriever).match == "dia-chi"
    assert answer_offline("chân chị nhức quá massage chân giá sao", retriever).match == "foot-gia"
    # The place is context, the business asked about is not.
    assert answer_offline("e o thu duc, sua xe o dau", retriever).match is None
    assert answer_offline("e o thu duc, ngan hang may gio mo cua", retriever).match is None


def test_a_trap_wrapped_in_chit_chat_scores_as_if_asked_bare() -> None:
    # The telling clause names nothing of the spa: its everyday words ("làm", "ở đây") must not
    # lift a massage pair's match for a question about buying a massage chair.
    retriever = Retriever(load_qa_file(SETS / "footsauna" / "faq.csv"))
    bare = "ban co ban ghe massage ko"
    for question in (
        bare,
        "e đi làm về mệt quá, " + bare,
        "hôm trước bạn e làm ở đây khen lắm, " + bare,
    ):
        assert answer_offline(question, retriever).match is None
