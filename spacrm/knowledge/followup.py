"""Follow-up questions: a message too vague alone, read with the conversation's last topic.

A receptionist hears "còn gói 10 buổi?" right after "triệt nách bn" as the armpit package, "bao
lâu thì hết" after the acne price as "how long does the acne treatment take", and "còn massage
mặt thì sao" after the body-massage price as the face-massage price. The bot keeps what it last
understood (`Topic`: the question of the pair it answered, or the service being booked) and, for
a message that

* names no subject of its own ("gói 10 buổi thì sao", "giá bn", "có đau ko"), reads the topic's
  subject with it ("triệt lông nách gói 10 buổi thì sao"), plus what the topic asked when the
  message asks nothing itself ("... giá");
* names a subject but asks nothing ("còn massage mặt thì sao", "còn body?"), reads it with what
  the topic asked ("massage mặt ... giá");

and sends that reading through the same offline decision as any question (`answering.answer`).
Never for a message with a word the spa never wrote (another business: `Assessment.foreign`),
and the caller keeps complaints, emergencies and requests for a person out of it altogether.
Which reading wins (`choose`) errs towards a person: a wrong pair costs more than a hand-off.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacrm.knowledge import lexicon
from spacrm.knowledge.analysis import concept_spans, tokens
from spacrm.knowledge.handoff import HANDOFF_TEXT
from spacrm.knowledge.qa import Answer
from spacrm.knowledge.retrieval import Retriever

# Concepts that are detail, not something asked ("buổi", "hết"): "gói 10 buổi thì sao" asks
# nothing of its own, the topic's question ("giá") is carried.
_DETAIL = frozenset({"session", "cure", lexicon.FILLER})
# "thì sao", "thế nào": the follow-up itself, not a kind of answer wanted.
_OPEN = frozenset({"how"})
SUBJECT = "subject"  # `Reading.carried`: the topic's subject was added to the message
ASKS = "asks"  # only what the topic asked was added


@dataclass(frozen=True, slots=True)
class Topic:
    """What the conversation was last about: a subject ("triệt lông nách", "" for a pair about
    the spa itself such as its hours) and the question concepts asked about it ("price")."""

    subject: str
    asks: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Reading:
    text: str  # the message read with its topic
    carried: str  # SUBJECT or ASKS
    asks: frozenset[str] = frozenset()  # what the message itself asks ("pain", "duration")


@dataclass(frozen=True, slots=True)
class _Parts:
    subject: list[str]  # words (as typed) naming what it is about
    asks: set[str]  # question and other concepts asked (price, pain, aftercare...)


def _parts(text: str) -> _Parts:
    pairs = tokens(text)
    typed = [t for t, _ in pairs]
    words = [f for _, f in pairs]
    # A unit next to a number is a count ("gói 10 buổi", typed "goi 10 buoi" it also reads as
    # "gội", a hair wash): detail, never the subject.
    counts = {
        i
        for i, word in enumerate(words)
        if word in lexicon.UNITS
        and any(0 <= j < len(words) and words[j][:1].isdigit() for j in (i - 1, i + 1))
    }
    subject: list[str] = []
    asks: set[str] = set()
    spanned: set[int] = set()
    for span, found in concept_spans(typed, words):
        spanned.update(span)
        if all(i in counts for i in span):
            continue
        asked = found & (lexicon.QUESTION_CONCEPTS | lexicon.SOFT_CONCEPTS)
        if asked or lexicon.FILLER in found:
            asks |= asked - _DETAIL - _OPEN
            if found - lexicon.QUESTION_CONCEPTS - lexicon.SOFT_CONCEPTS - {lexicon.FILLER}:
                subject += typed[span.start : span.stop]  # "chủ nhật": hours and a day
            continue
        subject += typed[span.start : span.stop]
    for i, word in enumerate(words):
        if (
            i in spanned
            or i in counts
            or word[:1].isdigit()
            or word in lexicon.FOLDED_STOPWORDS
            or word in lexicon.GENERIC_WORDS
            or word in lexicon.UNITS
        ):
            continue
        subject.append(typed[i])
    return _Parts(subject, asks)


def topic_of(text: str) -> Topic:
    """The topic a pair's question (or a service's name) leaves: its subject and what it asks
    ("Sau phun môi cần kiêng gì?": "phun môi", aftercare)."""
    pairs = tokens(text)
    typed = [t for t, _ in pairs]
    words = [f for _, f in pairs]
    asks: set[str] = set()
    left = set(range(len(words)))
    named: set[int] = set()  # inside a phrase naming something: kept whole ("vui lòng" is filler,
    # so "lông" alone is, but not in "triệt lông")
    for span, found in concept_spans(typed, words):
        asked = found & (lexicon.QUESTION_CONCEPTS | lexicon.SOFT_CONCEPTS) - _DETAIL
        if asked or lexicon.FILLER in found:
            asks |= asked
            left -= set(span)
        else:
            named.update(span)
    subject = [
        typed[i] for i in sorted(left) if i in named or words[i] not in lexicon.FOLDED_STOPWORDS
    ]
    return Topic(" ".join(subject), tuple(sorted(asks - _OPEN)))


def _phrase(concept: str) -> str:
    """How a question concept is said (the lexicon's first phrase: "giá", "bao lâu")."""
    return lexicon.CONCEPTS[concept][0]


def reading(message: str, topic: Topic, retriever: Retriever) -> Reading | None:
    """The message read with the topic, or None when it is not a follow-up (see the module)."""
    if retriever.assess(message, k=1).foreign:
        return None  # about something the spa never wrote: context must not make it ours
    parts = _parts(message)
    if parts.subject:
        if parts.asks or not topic.asks:
            return None  # a question of its own
        full = _completed(parts.subject, topic, retriever)
        return Reading(
            " ".join([*([full] if full else []), message, *map(_phrase, topic.asks)]), ASKS
        )
    asked = [] if parts.asks else [_phrase(concept) for concept in topic.asks]
    if not topic.subject and not asked:
        return None
    text = " ".join([topic.subject, message, *asked]).strip()
    return Reading(text, SUBJECT, frozenset(parts.asks))


def _completed(subject: list[str], topic: Topic, retriever: Retriever) -> str | None:
    """ "chân" after "triệt lông tay": "triệt lông chân", the topic's subject with its last words
    replaced by what the message names, when a pair's question or variant writes that phrase
    (so the service's family is kept, never invented)."""
    head = topic.subject.split()
    if len(subject) > 2 or len(head) < 2:
        return None
    for cut in range(len(head) - 1, 0, -1):
        candidate = " ".join([*head[:cut], *subject])
        if retriever.writes(candidate):
            return candidate
    return None


def choose(alone: Answer, read: Answer, how: Reading, retriever: Retriever) -> Answer:
    """The answer to send: the message alone, or read with its topic.

    Its own subject named (ASKS carried): the message alone when it is answered. No subject
    (SUBJECT carried): the reading, answer or hand-off (whatever the message alone matched, it
    matched on words that name nothing), unless alone it matched a pair about the spa itself
    (its hours: the pair's question names no subject either, so the message says all it asks),
    or the reading found nothing and alone it matched a pair written for what is asked."""
    if read.match is not None and not retriever.says(read.match, how.asks):
        # The topic brought the pair, but it says nothing of what the message asks ("có đau
        # ko" after the price of a service: no pair speaks of pain): a person answers.
        read = Answer(HANDOFF_TEXT, None, read.confidence, True, read.match)
    if alone.match is not None:
        if how.carried == ASKS:
            return alone
        pair = retriever.get(alone.match)
        own = topic_of(pair.question) if pair is not None else None
        if own is not None and not own.subject:
            return alone
        if own is not None and read.match is None and how.asks and how.asks <= set(own.asks):
            # "spa ở đâu" after a price: nothing speaks of the service's whereabouts, the pair
            # written for what is asked (the address) answers.
            return alone
    return read
