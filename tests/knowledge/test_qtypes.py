"""Question-type compatibility: a price question is never answered by a pair without a price."""

from __future__ import annotations

import pytest

from spacrm.knowledge import qtypes
from spacrm.knowledge.analysis import analyze
from spacrm.knowledge.answering import DEFAULT_THRESHOLD, answer
from spacrm.knowledge.qa import QAPair
from spacrm.knowledge.retrieval import Retriever
from spacrm.knowledge.smalltalk import small_talk

P, D, T, L, YN = qtypes.PRICE, qtypes.DURATION, qtypes.TIME, qtypes.PLACE, qtypes.YES_NO


def _asked(text: str) -> frozenset[str]:
    return qtypes.asked(analyze(text).question_kinds, text)


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        ("giá massage body bao nhiêu", {P}),
        ("massage bn tiền", {P}),
        ("chi phí triệt lông", {P}),
        ("gội đầu nhiêu", {P}),
        ("soi da có mất phí không", {P, YN}),
        ("massage bao lâu", {D}),
        ("làm móng mất mấy phút", {D}),
        ("trị mụn bao nhiêu buổi", {D}),
        ("mấy giờ mở cửa", {T}),
        ("chủ nhật có làm không", {T, YN}),
        ("spa ở đâu", {L}),
        ("có chỗ gửi xe ko", {YN}),
        ("bé mấy tuổi làm được", set()),
        ("bầu có làm được không", {YN}),
    ],
)
def test_asked_kinds(text: str, kinds: set[str]) -> None:
    assert _asked(text) == kinds


@pytest.mark.parametrize(
    ("answer_text", "kinds"),
    [
        ("Dạ gói 60 phút và 90 phút ạ.", {D}),
        ("Dạ 199.000đ/buổi ạ.", {P}),
        ("Dạ 199k ạ", {P}),
        ("Dạ gói 10 buổi 1tr5 ạ", {P}),
        ("Dạ soi da hoàn toàn miễn phí ạ.", {P}),
        ("Dạ liệu trình 6–10 buổi ạ", {D}),
        ("Dạ mở cửa 9h00–20h00 ạ", {T}),
        ("Dạ spa ở số 12 Nguyễn Văn Bảo, quận 3 ạ", {L}),
        ("Dạ mẹ bầu dùng được gội đầu ạ.", set()),
    ],
)
def test_given_kinds_from_the_answer(answer_text: str, kinds: set[str]) -> None:
    assert qtypes.given(frozenset(), answer_text) == kinds


def test_compatibility() -> None:
    assert not qtypes.compatible(frozenset({P}), frozenset({D}))
    assert qtypes.compatible(frozenset({P, D}), frozenset({D}))
    assert qtypes.compatible(frozenset({YN}), frozenset())  # yes/no: any pair may answer
    assert qtypes.compatible(frozenset(), frozenset())
    assert not qtypes.compatible(frozenset({L, YN}), frozenset({P}))


PAIRS = [
    QAPair(
        "massage-lau", "Massage body mất bao lâu?", "Dạ massage body có gói 60 phút và 90 phút ạ."
    ),
    QAPair("cat-toc-gia", "Cắt tóc nữ giá bao nhiêu?", "Dạ cắt tóc nữ 120.000đ ạ."),
    QAPair("goi-dau", "Có gội đầu dưỡng sinh không?", "Dạ có gội dưỡng sinh 60 phút, 150k ạ."),
    QAPair("dia-chi", "Spa ở đâu?", "Dạ spa ở 12 Lê Lợi, quận 1 ạ."),
]


@pytest.mark.parametrize(
    "text",
    [
        "giá massage body bao nhiêu",  # the only massage pair gives a duration
        "massage body bn tiền",
        "cắt tóc nữ mất bao lâu",  # the only haircut pair gives a price
        "cắt tóc nữ mấy giờ",
        "cắt tóc nữ ở đâu",
    ],
)
async def test_pair_of_another_kind_hands_off(text: str) -> None:
    retriever = Retriever(PAIRS)
    hits = retriever.search(text, k=1)
    assert not hits or hits[0].score < DEFAULT_THRESHOLD
    result = await answer(text, retriever)
    assert result.handoff and result.match is None


@pytest.mark.parametrize(
    ("text", "expect"),
    [
        ("massage body bao lâu", "massage-lau"),
        ("cắt tóc nữ bn", "cat-toc-gia"),
        ("gội dưỡng sinh bao nhiêu tiền", "goi-dau"),  # a yes/no pair whose answer has the price
        ("gội dưỡng sinh mất bao lâu", "goi-dau"),  # ... and the duration
        ("có massage body ko", "massage-lau"),  # yes/no fits any pair
    ],
)
async def test_pair_giving_the_kind_answers(text: str, expect: str) -> None:
    result = await answer(text, Retriever(PAIRS))
    assert result.match == expect and not result.handoff


def test_incompatible_pair_never_clears_the_default_threshold() -> None:
    # Even an exact repetition of the pair's own question with a price word added.
    hits = Retriever(PAIRS[:1]).search("Massage body mất bao lâu giá bao nhiêu tiền", k=1)
    assert hits[0].pair.id == "massage-lau"  # asks both: the duration is an answer
    hits = Retriever(PAIRS[:1]).search("Massage body giá bao nhiêu", k=1)
    assert hits[0].score < DEFAULT_THRESHOLD


def test_service_of_the_same_family_is_another_service() -> None:
    pairs = [QAPair("uon", "Uốn tóc giá bao nhiêu?", "Dạ uốn tóc từ 450k ạ.")]
    assert Retriever(pairs).search("duỗi tóc bao nhiêu tiền")[0].score < DEFAULT_THRESHOLD
    assert Retriever(pairs).search("uốn mi giá bao nhiêu")[0].score < DEFAULT_THRESHOLD
    assert Retriever(pairs).search("uon toc bn")[0].score >= DEFAULT_THRESHOLD


def test_small_talk_is_not_a_question() -> None:
    assert small_talk("chào shop") is not None
    assert small_talk("chào shop, giá gội đầu bao nhiêu") is None
