"""The inverted index behind `Retriever`: built once from the trained pairs, read-only after.

Every pair has a question field (its question and variants) and an answer field. IDF comes from
the question field, where customers' words are expected to appear; the answer field only adds
weaker evidence ("chủ nhật có làm không" is answered by an opening-hours pair whose *answer*
says "kể cả chủ nhật").
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from spacrm.core.textnorm import fold
from spacrm.knowledge import lexicon, qtypes
from spacrm.knowledge.analysis import Analysis, analyze
from spacrm.knowledge.qa import QAPair

MIN_TYPO_LENGTH = 4  # shorter words have too many one-letter neighbours to guess safely


@dataclass(frozen=True, slots=True)
class IndexedPair:
    pair: QAPair
    phrasings: tuple[Analysis, ...]
    question_features: frozenset[str]
    answer_features: frozenset[str]  # answer-only: minus what the question field already has
    question_kinds: frozenset[str]
    concepts: frozenset[str]  # of the question field
    gives: frozenset[str]  # qtypes kinds of answer it can give (price, duration, ...)
    services: frozenset[str]  # specific services its question field names
    # Services its answer names too ("đắp bột 300k, úp móng giả 200k"): a question about one of
    # them is not about "another service".
    answer_services: frozenset[str]
    service_concepts: frozenset[str]  # lexicon service concepts of the question field
    answer_service_concepts: frozenset[str]


class Index:
    def __init__(self, pairs: Sequence[QAPair]) -> None:
        self.docs: list[IndexedPair] = []
        self.question_postings: dict[str, list[int]] = {}
        self.answer_postings: dict[str, list[int]] = {}
        doc_freq: Counter[str] = Counter()
        word_freq: Counter[str] = Counter()
        all_concepts: set[str] = set()
        spellings: set[str] = set()
        for position, pair in enumerate(pairs):
            phrasings = tuple(analyze(text) for text in pair.phrasings)
            answer = analyze(pair.answer)
            question_features = frozenset(f for p in phrasings for f in p.features)
            answer_features = frozenset(answer.features) - question_features
            kinds = frozenset(k for p in phrasings for k in p.question_kinds)
            concepts = frozenset(c for p in phrasings for c in p.concepts)
            gives = qtypes.given(kinds, pair.answer)
            self.docs.append(
                IndexedPair(
                    pair,
                    phrasings,
                    question_features,
                    answer_features,
                    kinds,
                    concepts,
                    gives,
                    frozenset(s for p in phrasings for s in p.services),
                    answer.services,
                    concepts & lexicon.SERVICE_CONCEPTS,
                    answer.concepts & lexicon.SERVICE_CONCEPTS,
                )
            )
            doc_freq.update(question_features)
            for feature in question_features:
                self.question_postings.setdefault(feature, []).append(position)
            for feature in answer_features:
                self.answer_postings.setdefault(feature, []).append(position)
            word_freq.update(w for p in (*phrasings, answer) for w in p.words)
            all_concepts |= concepts | answer.concepts
            spellings.update(t for p in (*phrasings, answer) for t in p.typed if not t.isascii())
        count = len(self.docs)
        # BM25's IDF; a feature no pair has gets the rarest possible weight, so a question full of
        # words the spa never trained (an off-topic question) keeps a low confidence.
        self.unseen_idf = math.log(1 + (count + 0.5) / 0.5)
        self.idf = {f: math.log(1 + (count - df + 0.5) / (df + 0.5)) for f, df in doc_freq.items()}
        self.known_features = frozenset(self.question_postings) | frozenset(self.answer_postings)
        # Each phrasing's weighted features and their sum, for "how much of it was asked".
        self.phrasing_weights = [
            tuple(
                {f: kind * self.idf_of(f) for f, kind in phrasing.features.items()}
                for phrasing in doc.phrasings
            )
            for doc in self.docs
        ]
        self.phrasing_mass = [
            tuple(sum(weights.values()) for weights in doc) for doc in self.phrasing_weights
        ]
        self._word_freq = word_freq
        # What the spa wrote about anywhere: "is this question about our business at all".
        self.vocabulary = frozenset(word_freq)
        self.all_concepts = frozenset(all_concepts)
        # Words as the spa spelled them: "sửa" (repair) is not the "sữa" (milk) it wrote about.
        self.spellings = frozenset(spellings)
        self.spelled_words = frozenset(fold(s) for s in spellings)
        self._neighbours = _deletion_index(w for w in word_freq if len(w) >= MIN_TYPO_LENGTH)

    def idf_of(self, feature: str) -> float:
        return self.idf.get(feature, self.unseen_idf)

    def correct(self, word: str) -> str | None:
        """The trained word one edit away from an unknown `word` (typo), the most frequent one."""
        if word in self._word_freq or not word.isalpha():
            return None
        candidates: set[str] = set()
        for key in (word, *_deletions(word)):
            candidates.update(self._neighbours.get(key, ()))
        # Same first letter: first-letter typos are rare and guessing them mostly invents matches
        # ("xăng" -> "sáng").
        candidates = {c for c in candidates if c[0] == word[0] and abs(len(c) - len(word)) <= 1}
        if not candidates:
            return None
        return max(sorted(candidates), key=lambda c: self._word_freq[c])


def _deletions(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


def _deletion_index(words: Iterable[str]) -> dict[str, list[str]]:
    """SymSpell-style: two words within one edit share a one-deletion variant (or contain it)."""
    neighbours: dict[str, list[str]] = {}
    for word in words:
        for key in (word, *_deletions(word)):
            neighbours.setdefault(key, []).append(word)
    return neighbours
