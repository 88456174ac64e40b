"""Follow-ups read with the conversation's last topic (knowledge.followup), on the demo chain's
FAQ, words only: which messages are read in context, how, and which reading is sent."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

import pytest

from spacrm.knowledge import followup
from spacrm.knowledge.answering import answer_offline
from spacrm.knowledge.importer import load_qa_file
from spacrm.knowledge.qa import QAPair
from spacrm.knowledge.retrieval import Retriever

FAQ = Path(str(files("spacrm.core.seed").joinpath("faq_lotus.csv")))


@pytest.fixture(scope="module")
def retriever() -> Retriever:
    return Retriever([QAPair(p.id, p.question, p.answer, p.variants) for p in load_qa_file(FAQ)])


def _after(retriever: Retriever, first: str, then: str) -> str | None:
    """The pair sent for `then` right after `first` was answered (None: handed off)."""
    before = answer_offline(first, retriever)
    assert before.match is not None, first
    pair = retriever.get(before.match)
    assert pair is not None
    topic = followup.topic_of(pair.question)
    alone = answer_offline(then, retriever)
    how = followup.reading(then, topic, retriever)
    if how is None:
        return alone.match
    return followup.choose(alone, answer_offline(how.text, retriever), how, retriever).match


def test_topic_of_a_pair_question() -> None:
    assert followup.topic_of("Triệt lông nách giá bao nhiêu?") == followup.Topic(
        "triệt lông nách", ("price",)
    )
    assert followup.topic_of("Spa mở cửa mấy giờ?") == followup.Topic("", ("hours",))


def test_a_message_naming_no_subject_takes_the_topic(retriever: Retriever) -> None:
    topic = followup.Topic("triệt lông nách", ("price",))
    how = followup.reading("con goi 10 buoi thi sao", topic, retriever)
    assert how == followup.Reading("triệt lông nách con goi 10 buoi thi sao giá", followup.SUBJECT)
    # It asks something of its own: only the subject is carried.
    how = followup.reading("bao lau thi het", topic, retriever)
    assert how == followup.Reading(
        "triệt lông nách bao lau thi het", followup.SUBJECT, frozenset({"duration"})
    )


def test_a_subject_asking_nothing_takes_what_the_topic_asked(retriever: Retriever) -> None:
    topic = followup.Topic("massage body", ("price",))
    how = followup.reading("con massage mat thi sao", topic, retriever)
    assert how == followup.Reading("con massage mat thi sao giá", followup.ASKS)


def test_complete_or_foreign_messages_are_read_alone(retriever: Retriever) -> None:
    topic = followup.Topic("triệt lông nách", ("price",))
    assert followup.reading("gui xe o dau vay", topic, retriever) is None
    assert followup.reading("ngan hang may gio mo cua", topic, retriever) is None
    assert followup.reading("cho vay tien dc ko", topic, retriever) is None


@pytest.mark.parametrize(
    ("first", "then", "sent"),
    [
        ("triet nach bn", "con goi 10 buoi thi sao", "gia-triet-nach"),
        ("massage body gia sao", "con massage mat thi sao", "gia-massage-mat"),
        ("triet nach bn", "ngan hang may gio mo cua vay", None),
        ("gui xe o dau", "may gio dong cua vay", "gio-mo-cua"),
        ("triet nach bn", "spa o dau vay", "dia-chi"),
        ("peel da bn", "ba bau lam dc ko", "bau-lam-duoc-khong"),
        # The topic brings a pair that says nothing of what is asked: a person answers.
        ("tri mun gia bn", "bao lau thi het vay", None),
        ("triet long chan gia bn", "co dau ko shop", None),
    ],
)
def test_follow_ups(retriever: Retriever, first: str, then: str, sent: str | None) -> None:
    assert _after(retriever, first, then) == sent


def test_a_named_part_keeps_the_topics_service_family() -> None:
    # "còn chân thì sao" after the arm hair-removal price: the leg price, because the FAQ writes
    # "triệt lông chân"; a part the FAQ never writes with that service is not invented.
    retriever = Retriever(load_qa_file(FAQ))
    topic = followup.topic_of("Triệt lông tay giá bao nhiêu?")
    how = followup.reading("con chan thi sao", topic, retriever)
    assert how is not None and how.text.startswith("triệt lông chan")
    other = followup.reading("con lung thi sao", topic, retriever)
    assert other is None or not other.text.startswith("triệt lông")
