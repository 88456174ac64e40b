"""Grounded answering through the real GeminiLLM talking to FakeGemini over loopback."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable

import pytest

from spacrm.adapters.gemini.client import GeminiLLM
from spacrm.intents.customer.decide import decide
from spacrm.knowledge.answering import FACTS_MATCH, answer, suggest_variants
from spacrm.knowledge.handoff import HANDOFF_TEXT
from spacrm.knowledge.qa import QAPair
from spacrm.knowledge.retrieval import Retriever
from tests.fakes.gemini import FakeGemini

PAIRS = [
    QAPair("gia-triet", "Triệt lông nách giá bao nhiêu?", "Dạ triệt lông nách 199.000đ/buổi ạ."),
    QAPair("gio", "Spa mở cửa mấy giờ?", "Dạ spa mở cửa từ 9h00 đến 20h00 ạ."),
    QAPair("dia-chi", "Spa ở đâu?", "Dạ spa ở số 12 Nguyễn Văn Bảo ạ."),
]
PRICE_QUESTION = "triệt nách bn tiền"


@pytest.fixture(scope="module")
def retriever() -> Retriever:
    return Retriever(PAIRS)


@pytest.fixture
async def fake() -> AsyncIterator[FakeGemini]:
    async with FakeGemini(api_key="k") as server:
        yield server


@pytest.fixture
def llm(fake: FakeGemini) -> GeminiLLM:
    return GeminiLLM("k", "gemini-test", fake.base_url)


async def test_without_llm_sends_the_trained_answer(retriever: Retriever) -> None:
    result = await answer(PRICE_QUESTION, retriever)
    assert (result.match, result.handoff) == ("gia-triet", False)
    assert result.text == PAIRS[0].answer and 0 < result.confidence <= 1


async def test_llm_answer_is_grounded_in_retrieved_pairs(
    retriever: Retriever, fake: FakeGemini, llm: GeminiLLM
) -> None:
    fake.queue_text("Dạ chị ơi, triệt lông nách bên em 199.000đ một buổi ạ.")
    result = await answer(PRICE_QUESTION, retriever, facts="Spa Hoa Sen", llm=llm)
    assert result.text == "Dạ chị ơi, triệt lông nách bên em 199.000đ một buổi ạ."
    assert (result.match, result.handoff) == ("gia-triet", False)
    sent = fake.requests[-1]
    assert "Hỏi: Triệt lông nách giá bao nhiêu?" in sent.prompt
    assert "Đáp: Dạ triệt lông nách 199.000đ/buổi ạ." in sent.prompt
    assert "Spa Hoa Sen" in sent.prompt and PRICE_QUESTION in sent.prompt
    assert "HANDOFF" in sent.system and "Dạ" in sent.system


async def test_default_fake_reply_echoes_context(retriever: Retriever, llm: GeminiLLM) -> None:
    result = await answer(PRICE_QUESTION, retriever, llm=llm)
    assert result.text == PAIRS[0].answer.removeprefix("Đáp:").strip()


@pytest.mark.parametrize(
    ("script", "why"),
    [
        (lambda f: f.queue_text("HANDOFF"), "LLM says the texts do not answer"),
        (lambda f: f.queue_text("   "), "empty reply"),
        (lambda f: f.queue_error(500, "boom"), "server error"),
        (lambda f: f.queue_text("Dạ 199.000đ ạ", delay=2), "timeout"),
        (lambda f: f.queue_text("Dạ triệt nách chỉ 99.000đ thôi ạ"), "invented price"),
        (lambda f: f.queue_text("Dạ giảm 50% cho chị ạ"), "invented discount"),
    ],
)
async def test_falls_back_to_the_trained_answer(
    retriever: Retriever, fake: FakeGemini, llm: GeminiLLM, script: object, why: str
) -> None:
    script(fake)  # type: ignore[operator]
    result = await answer(PRICE_QUESTION, retriever, llm=llm, timeout=0.5)
    assert result.text == PAIRS[0].answer, why
    assert (result.match, result.handoff) == ("gia-triet", False)


async def test_wrong_api_key_falls_back(retriever: Retriever, fake: FakeGemini) -> None:
    bad = GeminiLLM("not-the-key", "gemini-test", fake.base_url)
    result = await answer(PRICE_QUESTION, retriever, llm=bad)
    assert result.text == PAIRS[0].answer
    assert fake.requests[-1].headers["x-goog-api-key"] == "not-the-key"


async def test_off_topic_hands_off_without_asking_the_llm(
    retriever: Retriever, fake: FakeGemini, llm: GeminiLLM
) -> None:
    result = await answer("kể chuyện cười đi", retriever, llm=llm)
    assert (result.text, result.match, result.handoff) == (HANDOFF_TEXT, None, True)
    assert fake.requests == []


async def test_facts_can_answer_what_no_pair_does(
    retriever: Retriever, fake: FakeGemini, llm: GeminiLLM
) -> None:
    fake.queue_text("Dạ hotline của spa là 0909 123 456 ạ.")
    result = await answer("cho xin hotline", retriever, facts="Hotline: 0909 123 456", llm=llm)
    assert (result.match, result.handoff) == (FACTS_MATCH, False)
    fake.queue_text("HANDOFF")
    result = await answer("kể chuyện cười đi", retriever, facts="Hotline: 0909 123 456", llm=llm)
    assert (result.match, result.handoff) == (None, True)


@pytest.mark.parametrize(
    "text",
    [
        "cho gặp nhân viên",
        "mình muốn nói chuyện với người thật",
        "cho gặp quản lý",
        "có tư vấn viên không",
        "admin ơi",
        "ad oi",
        "giá triệt nách bn, cho gặp nhân viên tư vấn",
    ],
)
async def test_asking_for_a_person_hands_off(retriever: Retriever, text: str) -> None:
    result = await answer(text, retriever)
    assert result.handoff and result.match is None and result.text == HANDOFF_TEXT


@pytest.mark.parametrize(
    "text", ["", "   ", "😀😍👍", "[sticker]", "?!!", "x" * 20_000, "giá " * 5_000]
)
async def test_odd_input_does_not_crash(retriever: Retriever, text: str) -> None:
    result = await answer(text, retriever)
    assert (result.match is None) == result.handoff
    assert 0 <= result.confidence <= 1


async def test_bare_price_question_is_not_guessed(retriever: Retriever) -> None:
    assert (await answer("bao nhiêu tiền vậy", retriever)).handoff


async def test_suggest_variants_cleans_the_list(fake: FakeGemini, llm: GeminiLLM) -> None:
    fake.queue_text(
        "1. Triệt nách bao nhiêu tiền?\n2) triet long nach gia bn\n- Triệt nách bao nhiêu tiền?\n"
        '\n• Triệt lông nách giá bao nhiêu?\n* "giá triệt nách sao"'
    )
    variants = await suggest_variants("Triệt lông nách giá bao nhiêu?", llm, n=5)
    assert variants == [
        "Triệt nách bao nhiêu tiền?",
        "triet long nach gia bn",
        "giá triệt nách sao",
    ]
    assert "Triệt lông nách giá bao nhiêu?" in fake.requests[-1].prompt


# -- structured confirmation (issue 7): Gemini says which retrieved pair answers, if any ----------


async def test_gemini_confirms_a_pair_the_offline_confidence_was_unsure_of(
    retriever: Retriever, fake: FakeGemini, llm: GeminiLLM
) -> None:
    assert (await answer("bao nhiêu tiền vậy", retriever)).handoff  # offline: not sure
    fake.queue_json({"pair_id": "gia-triet"})
    result = await answer("bao nhiêu tiền vậy", retriever, llm=llm)
    assert (result.match, result.handoff) == ("gia-triet", False)
    confirm = fake.requests[0]
    assert confirm.structured and "Mã: gia-triet" in confirm.prompt
    assert confirm.json["generationConfig"]["responseSchema"]["required"] == ["pair_id"]
    assert fake.answer_requests[-1].prompt.count("Đáp: Dạ triệt lông nách") == 1


async def test_gemini_saying_no_pair_answers_hands_off(
    retriever: Retriever, fake: FakeGemini, llm: GeminiLLM
) -> None:
    fake.queue_json({"pair_id": None})
    result = await answer(PRICE_QUESTION, retriever, llm=llm)
    assert (result.match, result.handoff, result.text) == (None, True, HANDOFF_TEXT)
    assert fake.answer_requests == []  # nothing worded for a pair it rejected


@pytest.mark.parametrize(
    "script",
    [
        lambda f: f.queue_json_error(500),
        lambda f: f.queue_json("not json at all"),
        lambda f: f.queue_json({"pair_id": "dia-chi-khac"}),  # names no candidate
        lambda f: f.queue_json(["gia-triet"]),
    ],
)
async def test_unusable_confirmation_falls_back_to_the_offline_decision(
    retriever: Retriever, fake: FakeGemini, llm: GeminiLLM, script: Callable[[FakeGemini], None]
) -> None:
    script(fake)
    result = await answer(PRICE_QUESTION, retriever, llm=llm)
    assert (result.match, result.handoff) == ("gia-triet", False)
    unsure = await answer("bao nhiêu tiền vậy", retriever, llm=llm)  # default: confirms
    assert unsure.match == "gia-triet"


def test_a_phone_with_nothing_asked_is_a_lead_for_a_person() -> None:
    retriever = Retriever(
        [
            QAPair("gio", "Mấy giờ mở cửa?", "Dạ 9h-21h ạ."),
            QAPair("goi", "Gọi lại cho khách?", "Dạ vâng ạ."),
        ]
    )
    assert decide("goi lai cho e so 0903123456 nha", retriever).handoff
    # The question next to a number is still answered (as the engine does).
    assert decide("0903123456, mấy giờ mở cửa vậy shop", retriever).match == "gio"


def test_a_one_word_concept_typed_bare_that_the_spa_wrote_is_its_own_word() -> None:
    # "goi" is "gói" (the package the spa sells) as well as "gội" (a hair wash it never offers).
    retriever = Retriever(
        [
            QAPair("goi", "Có gói nhiều buổi không?", "Dạ gói 10 buổi 4.000.000đ ạ."),
            QAPair("gio", "Mấy giờ mở cửa?", "Dạ 9h-21h ạ."),
        ]
    )
    assert not retriever.assess("mua goi 10 buoi co re hon ko").foreign
    # Said with its diacritics, the hair wash is still another business.
    assert retriever.assess("có gội đầu không").foreign
