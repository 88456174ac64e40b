"""What is asked about a service - its price, how long it takes, what to avoid afterwards - and
the last word on which of the best pairs answers it, or that none can be chosen safely.

The retriever's scores weigh every word; the service noun ("massage body") is usually the rarest
and so the heaviest, while the aspect words ("kéo dài bao lâu") are shared by many pairs and weigh
little. A spa has several pairs per service (price, duration, aftercare, warranty), so two pairs
about the right service score close and the noun picks one at random. A wrong answer costs more
than a hand-off (issue 7 counts it three times), so among the pairs scoring close to the best:

* the aspect asked decides: the pair written for it wins over one written for another aspect
  ("massage body kéo dài bao lâu" -> the duration pair, not the price pair);
* when the aspect asked is said by none of them, or the question asks none and they are about
  different aspects (a bare "bọc sứ"), nothing decides: the question goes to a person;
* an aspect asked that the chosen pair neither was written for nor states in its answer
  ("phun xong kiêng gì" against a price pair) is not answered by it whatever its score.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from spacrm.core.textnorm import fold_words
from spacrm.knowledge import lexicon, qtypes
from spacrm.knowledge.analysis import MAX_ANALYSED_CHARS, Analysis
from spacrm.knowledge.index import IndexedPair

# Lexicon concepts naming what is asked about a service -> the aspect (fee/price are one).
ASPECTS = {
    "price": "price",
    "fee": "price",
    "duration": "duration",
    "durability": "durability",
    "aftercare": "aftercare",
    "warranty": "warranty",
    "pain": "pain",
    "safety": "safety",
    "deposit": "deposit",
}
# What the qtypes answer detectors find in an answer, as aspects.
_GIVEN = {qtypes.PRICE: "price", qtypes.DURATION: "duration"}
# Aspects also said of other things ("bị đau lưng" is a condition, not "does it hurt"): they pick
# among close pairs but never make the best pair unable to answer.
LOOSE = frozenset({"pain", "safety"})
_ASPECT_CONCEPTS = frozenset(ASPECTS)
# A word in fewer than about a fifth of the pairs names a thing (BM25 IDF, as `retrieval`).
NAMING_IDF = 1.5
_NONE: frozenset[str] = frozenset()
# "có đau không", "đau lắm ko": pain asked as such, not a condition named ("bị đau lưng").
_ASKS_PAIN = re.compile(r"\bdau (?:khong|ko|k|hong|hok|lam|nhieu|ha|hem)\b")
# A pair scoring at least this share of the best one is "as good" as far as words can tell.
CLOSE = 0.8
# The best pair cannot answer the aspect asked at all: a pair written for it is taken from further
# down (its words matched less, but the best pair's answer would be no answer).
FAR = 0.6
# Without an aspect asked, only a near tie between pairs about different aspects is ambiguous: a
# bare service name usually means the pair the owner wrote first about it.
TIE = 0.9


def of(concepts: frozenset[str]) -> frozenset[str]:
    return frozenset(ASPECTS[c] for c in concepts if c in ASPECTS)


def written_for(doc: IndexedPair) -> frozenset[str]:
    """The aspects the owner wrote the pair's question (and variants) for."""
    return of(doc.concepts)


def covered(doc: IndexedPair) -> frozenset[str]:
    """The aspects the pair can answer: those it was written for plus those its answer states."""
    return (
        written_for(doc)
        | of(doc.answer_concepts)
        | frozenset(_GIVEN[k] for k in doc.gives if k in _GIVEN)
    )


@dataclass(frozen=True, slots=True)
class Choice:
    order: list[int]  # positions in the ranked docs, the chosen one first
    ambiguous: bool  # no pair can be chosen safely: hand off (or let an LLM confirm)


def choose(
    question: str,
    query: Analysis,
    docs: list[IndexedPair],
    scores: list[float],
    idf: Callable[[str], float],
) -> Choice:
    """`docs` ranked best first with their `scores`, for `question` analysed as `query`;
    `idf` weighs a feature (rare words name things, common ones are the business's own)."""
    asked = of(query.concepts)
    loose = LOOSE if not _ASKS_PAIN.search(fold_words(question[:MAX_ANALYSED_CHARS])) else _NONE
    order = list(range(len(docs)))
    if not docs or scores[0] <= 0:
        return Choice(order, False)
    top = docs[0]
    if asked & written_for(top):
        return Choice(order, False)
    # Pairs as good as the best one on words, minus those naming something the question does not
    # ("Massage body làm bao lâu?" for "massage thái làm bao lâu"): the aspect fits, the service
    # does not.
    window = CLOSE if asked & covered(top) or not asked else FAR
    rivals = [
        i
        for i in order[1:]
        if scores[i] >= window * scores[0] and not _names_more(docs[i], query, idf)
    ]
    if asked:
        meant = [i for i in rivals if asked & written_for(docs[i])]
        if meant:
            first = meant[0]
            return Choice([first, *(i for i in order if i != first)], False)
        if _uncovered(asked - loose, top):
            return Choice(order, True)
        # Answered by the best pair's answer only: a close pair written for another aspect
        # may be meant as well.
        return Choice(order, any(written_for(docs[i]) != written_for(top) for i in rivals))
    kinds = {written_for(docs[i]) for i in rivals if scores[i] >= TIE * scores[0]}
    return Choice(order, bool(kinds) and all(kinds) and written_for(top) not in kinds
                  and bool(written_for(top)))  # fmt: skip


def _uncovered(asked: frozenset[str], doc: IndexedPair) -> bool:
    return bool(asked) and not asked & covered(doc)


def _names_more(doc: IndexedPair, query: Analysis, idf: Callable[[str], float]) -> bool:
    """Every phrasing of the pair names a rare word the question does not say, not even through
    a concept other than a service family; aspect words ("giữ") are not things named."""
    said = set(query.words)
    for phrasing in doc.phrasings:
        missing = [
            word
            for word in phrasing.words
            if word not in said
            and not word[0].isdigit()
            and word not in lexicon.GENERIC_WORDS
            and word not in lexicon.UNITS
            and idf("w:" + word) >= NAMING_IDF
            and not phrasing.explained_by.get("w:" + word, frozenset()) & _ASPECT_CONCEPTS
            and not (
                phrasing.explained_by.get("w:" + word, frozenset())
                & query.concepts - lexicon.FAMILY_CONCEPTS
            )
        ]
        if not missing:
            return False
    return True
