"""Several questions in one message (knowledge.parts), on the bundled spa FAQ, through the offline
decision `spacrm kb test` scores (the engine's channels share it: tests/customer c04, c40)."""

from __future__ import annotations

from pathlib import Path

import pytest

from spacrm.intents.customer.decide import decide
from spacrm.knowledge import meaning, parts
from spacrm.knowledge.importer import load_qa_file
from spacrm.knowledge.retrieval import Retriever

FAQ = Path(__file__).resolve().parent.parent / "customer" / "data" / "kb_spa.csv"


@pytest.fixture(scope="module")
def retriever() -> Retriever:
    return Retriever(load_qa_file(FAQ), semantic=meaning.available())


@pytest.mark.parametrize(
    ("part", "asks"),
    [
        ("spa mở cửa mấy giờ", True),
        ("spa mo cua may gio", True),
        ("gui xe o dau", True),
        ("có chỗ gửi xe ko ạ", True),
        ("giá massage body?", True),
        ("gia goi 10 buoi bn", True),
        # They name a time, a price, a pain: nothing is asked.
        ("cuối tuần cả nhà đi", False),
        ("e muốn mua nhiều buổi cho rẻ", False),
        ("e bi dau lung", False),
        ("cho hỏi ngân hàng bên cạnh", False),
    ],
)
def test_a_part_asks_by_its_question_words(part: str, asks: bool) -> None:
    assert parts.asks(part) is asks


def test_two_questions_are_answered_each_from_its_pair(retriever: Retriever) -> None:
    # Two pairs fit the whole and the decision trusts neither for it: each part is answered.
    text = "spa mở cửa mấy giờ, có chỗ gửi xe ko ạ"
    got = decide(text, retriever)
    assert not got.handoff and got.match == "gio-mo-cua"
    assert "20h00" in got.text and "gửi xe" in got.text


@pytest.mark.parametrize(
    "text",
    [
        # A part that tells gives the others their subject: the bank's hours, not the spa's.
        "cho hỏi ngân hàng bên cạnh, mấy giờ mở cửa, có chỗ gửi xe ko",
        # Context, then one question: the whole decides, never the asking part alone.
        "cuối tuần cả nhà đi đông lắm, mấy giờ mở cửa",
    ],
)
def test_a_telling_part_keeps_the_whole_decision(retriever: Retriever, text: str) -> None:
    assert parts.asking(text, retriever) is None
