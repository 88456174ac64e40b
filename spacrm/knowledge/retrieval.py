"""Find the trained Q&A pairs that answer a customer's question, with a calibrated confidence.

Offline and fast: an inverted index over folded words, word bigrams and lexicon concepts
(BM25-style IDF), plus character trigrams for typos. The score of a pair blends:

* query coverage - how much of the question's information (IDF mass) the pair explains; words the
  spa never trained (off-topic questions) keep it low;
* pair coverage - how much of the best-matching phrasing the question mentions, so a bare "giá?"
  is not a confident match for "triệt lông nách giá bao nhiêu";
* trigram similarity - rescues misspellings the word features miss;
* a penalty when the pair's question asks for another kind of answer (a price vs a duration),
  and a heavy one when the pair cannot give the kind asked at all (`qtypes`): a price question
  is handed off rather than answered with a duration.

The best pairs are then handed to `aspects.choose`: among pairs scoring close, the one written
for what is asked (price, duration, aftercare...) comes first, or nothing is sure enough to send.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from spacrm.core.textnorm import fold
from spacrm.knowledge import aspects, clauses, lexicon, qtypes
from spacrm.knowledge.analysis import Analysis, analyze, tokens
from spacrm.knowledge.index import Index, IndexedPair
from spacrm.knowledge.meaning import Meaning
from spacrm.knowledge.qa import QAPair

ANSWER_FIELD_WEIGHT = 0.35  # a word found only in the answer is weaker evidence
QUERY_COVERAGE_SHARE = 0.6  # exponent of the geometric blend of the two coverages
TRIGRAM_SHARE = 0.15
OTHER_KIND_PENALTY = 0.75
# The pair gives none of the kinds asked (no price for "bao nhiêu tiền"): scores are <= 1, so such
# a pair stays under the default threshold (0.36) however well its topic matches, and the
# question goes to a person rather than being answered with a duration.
KIND_MISMATCH_PENALTY = 0.35
OTHER_CUSTOMER_PENALTY = 0.7
# The question names a service ("duỗi tóc") and the pair only other ones of its family ("uốn
# tóc"): their shared words ("tóc", "giá") say nothing about the service asked.
OTHER_SERVICE_PENALTY = 0.55  # pregnant / child / male customers asked about, or answered for
# A word the spa never wrote anywhere (question or answer) is a sign the customer is asking about
# something else ("sửa xe máy" is not "gửi xe máy"), so it weighs more in what must be explained.
UNKNOWN_WORD_FACTOR = 2.0
RERANKED = 30  # pairs scored in full; the rest cannot beat them on coverage alone
# Words standing for a shared concept but not written the same: a synonym ("mát xa" for
# "massage") or a sibling in the same family ("nhuộm" for "cắt tóc"), so only partly matched.
EXPLAINED_CREDIT = 0.5
# Only a family in common: "duỗi" against "uốn" are both hair services but different ones, so a
# price for one is no answer for the other. Generic words of a family ("làm móng" = "nail") are
# synonym concepts in the lexicon and keep EXPLAINED_CREDIT.
FAMILY_CREDIT = 0.15
_NONE: frozenset[str] = frozenset()
# Concepts too generic to say what the question is about ("opening hours" and "address" do).
_QUESTION_FEATURES = frozenset(f"k:{c}" for c in ("price", "duration", "how", "definition"))
OFF_TOPIC_PENALTY = 0.5
_SPECIFIC_KINDS = frozenset(qtypes.CONCEPT_KINDS)
ANSWER_SUPPORT = 0.8
LEFT_OUT_PENALTY = 0.85
LEFT_OUT_MIN_IDF = 1.5
SURE_REPAIR_LENGTH = 5
FOCUSED_LOOSE_WORDS = 2  # a typo repair of a shorter word does not make it "ours"


@dataclass(frozen=True, slots=True)
class Hit:
    pair: QAPair
    score: float  # 0..1, calibrated so `answering.DEFAULT_THRESHOLD` separates right from wrong


@dataclass(frozen=True, slots=True)
class Assessment:
    hits: list[Hit]
    # Content words of the question found nowhere in the spa's Q&A, nor in everyday chat, nor
    # standing for a concept the Q&A has: the question is (also) about something else.
    foreign: tuple[str, ...]
    # The best pairs score close and are about different aspects (price, duration, aftercare...)
    # with nothing in the question to choose: no pair is safe to send (`aspects.choose`).
    ambiguous: bool = False
    # The best pair explains every content word of the question and shares at least one topic
    # word with its own question (not only "giá", "ở đâu" or a typo repair): a low score then
    # only says the question is short or worded differently, not that it is about something else.
    focused: bool = False
    # The best pair is for the kind of customer asked about (pregnant, child, man) and the next
    # one is not: a near tie between them is decided.
    settled: bool = False
    # A rare content word of the question is written in the best pair (its question, variants or
    # answer) and not in the second one: the words single it out, however low its score.
    singled_out: bool = False
    # The best pair leaves out a rare word of the question that another pair has.
    leaves_out: bool = False


def _known_next_to(index: Index, words: tuple[str, ...], position: int) -> bool:
    word = words[position]
    before = f"b:{words[position - 1]}_{word}" if position else ""
    after = f"b:{word}_{words[position + 1]}" if position + 1 < len(words) else ""
    return before in index.known_features or after in index.known_features


def build_index(pairs: Sequence[QAPair]) -> Index:
    """The search index of a set of pairs. A pure function: no database, no shared state, safe
    to run in a worker thread; the result is only read afterwards (`Retriever.use_index`)."""
    return Index(pairs)


def foreign_words(index: Index, query: Analysis) -> tuple[str, ...]:
    """ "Is this about our business" decided apart from "which pair": a shared keyword ("mở
    cửa", "trả góp", a district) is not enough when the question also names what the spa never
    wrote about ("ngân hàng", "iphone", "sửa xe", a service it does not offer)."""
    foreign: list[str] = []
    repaired = {fixed: raw for raw, fixed in query.corrected}
    for position, (word, typed) in enumerate(
        zip(query.words, query.typed or query.words, strict=False)
    ):
        if word[0].isdigit() or word in lexicon.GENERIC_WORDS or word in lexicon.UNITS:
            continue
        raw = repaired.get(word)
        if raw is not None and len(raw) < SURE_REPAIR_LENGTH and raw not in lexicon.GENERIC_WORDS:
            # "ngan" (ngân) one letter from "ngay": short repairs are as likely another word,
            # even when the word they were repaired into stands for a concept ("giay" -> "giam").
            foreign.append(raw)
            continue
        if query.explained_by.get("w:" + word, _NONE) & (
            index.all_concepts | lexicon.SOFT_CONCEPTS
        ):
            continue
        if word not in index.vocabulary:
            foreign.append(word)
        elif (
            typed != word
            and typed not in lexicon.ACCENTED_GENERIC
            and word in index.spelled_words
            and typed not in index.spellings
            and not _known_next_to(index, query.words, position)
        ):
            # "sửa" where the spa only wrote "sữa" - unless its neighbour says it is the spa's
            # word with a diacritic typo ("cắt tọc": "cat toc" is trained).
            foreign.append(typed)
    # A topic the spa's Q&A never mentions, said with words of the lexicon ("cho vay", "triệt
    # lông" at a dental clinic).
    for concept in query.concepts - index.all_concepts - lexicon.SOFT_CONCEPTS:
        if concept not in lexicon.QUESTION_CONCEPTS and not _own_words_folded(
            index, query, concept
        ):
            foreign.append("k:" + concept)
    return tuple(dict.fromkeys(foreign))


def _own_words_folded(index: Index, query: Analysis, concept: str) -> bool:
    """The words saying `concept` were typed without diacritics and are all words the spa wrote:
    "mua gói" typed "mua goi" is the spa's package ("gói"), not a hair wash ("gội") it never
    mentions; "mì gói" typed "mi goi" is its noodles, not eyelashes ("mi")."""
    carriers = [
        typed
        for word, typed in zip(query.words, query.typed or query.words, strict=False)
        if concept in query.explained_by.get("w:" + word, _NONE)
    ]
    # One word saying it alone: a phrase ("vay tiền", "cho vay") says the concept whatever the
    # diacritics.
    return (
        len(carriers) == 1
        and carriers[0].isascii()
        and carriers[0] in index.vocabulary
        and carriers[0] in lexicon.ONE_WORD_PHRASES.get(concept, _NONE)
    )


class Retriever:
    """Search over a spa's trained pairs. Build once; any change rebuilds the index."""

    def __init__(self, pairs: Iterable[QAPair] = (), *, semantic: bool = False) -> None:
        """`semantic`: also embed the pairs with the offline semantic model when it is installed
        (`meaning`, seconds for thousands of pairs: build off the event loop)."""
        self._pairs: dict[str, QAPair] = {}
        self._semantic = semantic
        self.meaning: Meaning | None = None
        self._written = ""  # `writes`: the pairs' folded questions and variants, per index
        self._written_for: Index | None = None
        self.replace(pairs)

    @property
    def pairs(self) -> tuple[QAPair, ...]:
        return tuple(self._pairs.values())

    def get(self, pair_id: str) -> QAPair | None:
        return self._pairs.get(pair_id)

    def replace(self, pairs: Iterable[QAPair]) -> None:
        """Swap in a whole new training set (a re-import)."""
        self._pairs = {pair.id: pair for pair in pairs}
        self._rebuild()

    def upsert(self, pair: QAPair) -> None:
        self._pairs[pair.id] = pair
        self._rebuild()

    def remove(self, pair_id: str) -> bool:
        removed = self._pairs.pop(pair_id, None) is not None
        if removed:
            self._rebuild()
        return removed

    def _rebuild(self) -> None:
        self._index = build_index(list(self._pairs.values()))
        if self._semantic:
            self.meaning = Meaning.build(list(self._pairs.values()))

    def use_index(self, index: Index) -> None:
        """Swap in an index built elsewhere (`build_index` in a worker thread): one assignment,
        so a search running meanwhile reads the old index or the new one, never half of each."""
        self._pairs = {doc.pair.id: doc.pair for doc in index.docs}
        self._index = index
        if self._semantic:
            self.meaning = Meaning.build(list(self._pairs.values()))

    def writes(self, phrase: str) -> bool:
        """Whether a pair's question or one of its variants writes `phrase` (folded, whole
        words). The folded texts are made once per index, not once per message."""
        index = self._index
        if self._written_for is not index:
            self._written = "\n".join(
                " " + " ".join(f for _, f in tokens(text)) + " "
                for doc in index.docs
                for text in (doc.pair.question, *doc.pair.variants)
            )
            self._written_for = index
        return " " + " ".join(f for _, f in tokens(phrase)) + " " in self._written

    def says(self, pair_id: str, concepts: frozenset[str]) -> bool:
        """Whether the pair's question or answer says every one of `concepts` ("pain", "price").
        Stricter than the kinds of answer it `gives` (a "450.000 ₫/buổi" reads as a duration
        there): a pair brought by the conversation's topic must speak to what was asked."""
        doc = next((d for d in self._index.docs if d.pair.id == pair_id), None)
        return doc is not None and concepts <= doc.concepts | doc.answer_concepts

    def search(self, question: str, k: int = 3) -> list[Hit]:
        """The best `k` pairs for `question`, best first; pairs sharing nothing are left out."""
        return self.assess(question, k).hits

    def assess(self, question: str, k: int = 3) -> Assessment:
        """`search` plus the words of `question` the spa never wrote about (see `foreign_words`)."""
        index = self._index
        if not index.docs or k <= 0:
            return Assessment([], ())
        question, query, foreign = _read(index, question)
        ranked = self._search(index, query, k)
        docs = [index.docs[d] for d, _ in ranked]
        choice = aspects.choose(question, query, docs, [s for _, s in ranked], index.idf_of)
        hits = [Hit(index.docs[ranked[i][0]].pair, ranked[i][1]) for i in choice.order]
        top = [index.docs[ranked[i][0]] for i in choice.order[:2]]
        focused = bool(top) and _focused(query, top[0])
        who = query.concepts & lexicon.CONSTRAINT_CONCEPTS
        settled = len(top) == 2 and bool(who & top[0].concepts - top[1].concepts)
        singled = bool(top) and _singled_out(index, query, top[0], top[1:])
        # A pair the aspect asked brought up from further down ("nhổ răng khôn xong kiêng gì":
        # the aftercare pair, without "khôn") was chosen for what it lacks the words of.
        leaves = (
            bool(top) and choice.order[0] == 0 and _leaves_out_a_trained_word(index, query, top[0])
        )
        return Assessment(hits, foreign, choice.ambiguous, focused, settled, singled, leaves)

    def explain(self, question: str, pair_ids: Sequence[str]) -> dict[str, Explained]:
        """How each pair of `pair_ids` scores for `question`, part by part, read as `assess`
        reads it: the features of the learned decision (knowledge.learned)."""
        index = self._index
        positions = {doc.pair.id: d for d, doc in enumerate(index.docs)}
        wanted = [positions[p] for p in pair_ids if p in positions]
        if not wanted:
            return {}
        _, query, _ = _read(index, question)
        weights, total = _weights(index, query)
        out: dict[str, Explained] = {}
        for d in wanted:
            doc = index.docs[d]
            others = [index.docs[o] for o in wanted if o != d]
            parts = _parts(index, d, query, weights, total) if total > 0 else None
            out[doc.pair.id] = Explained(
                parts, _focused(query, doc), _singled_out(index, query, doc, others)
            )
        return out

    def _search(self, index: Index, query: Analysis, k: int) -> list[tuple[int, float]]:
        """The best `k` (doc position, score) pairs, best first, with a score above 0."""
        weights, total = _weights(index, query)
        if total <= 0:
            return []
        coverage = _query_coverage(index, weights, total)
        shortlist = heapq.nlargest(RERANKED, coverage.items(), key=lambda item: item[1])
        scored = [(d, _score(index, d, query, weights, total)) for d, _ in shortlist]
        scored.sort(key=lambda item: item[1], reverse=True)
        return [item for item in scored[:k] if item[1] > 0]


def _read(index: Index, question: str) -> tuple[str, Analysis, tuple[str, ...]]:
    """`question` as read (without context clauses), its analysis and its foreign words."""
    query = analyze(question, index.correct)
    foreign = foreign_words(index, query)
    unknown = frozenset(fold(word) for word in foreign if not word.startswith("k:"))
    if unknown:
        # Words the spa never wrote in a clause that only tells about the customer are
        # context, not another business (`clauses`): the question is read without them.
        told = clauses.drop_context_words(question, unknown, index.vocabulary, index.correct)
        if told != question:
            question = told
            query = analyze(question, index.correct)
            foreign = foreign_words(index, query)
    return question, query, foreign


def _weights(index: Index, query: Analysis) -> tuple[dict[str, float], float]:
    weights = {f: kind * index.idf_of(f) for f, kind in query.features.items()}
    for feature in weights:
        if feature[0] == "w" and feature not in index.known_features:
            weights[feature] *= UNKNOWN_WORD_FACTOR
    # A bigram or an as-typed spelling nobody trained is not new information (its words
    # already count), so only known ones enter the total the coverage is measured against.
    total = sum(w for f, w in weights.items() if f[0] not in "ba" or f in index.known_features)
    return weights, total


def _query_coverage(index: Index, weights: dict[str, float], total: float) -> dict[int, float]:
    found: dict[int, float] = {}
    for feature, weight in weights.items():
        for d in index.question_postings.get(feature, ()):
            found[d] = found.get(d, 0.0) + weight
        answer_weight = weight * ANSWER_FIELD_WEIGHT
        for d in index.answer_postings.get(feature, ()):
            found[d] = found.get(d, 0.0) + answer_weight
    return {d: min(1.0, value / total) for d, value in found.items()}


@dataclass(frozen=True, slots=True)
class Parts:
    """What a pair's score is made of (`_parts`): the learned decision (knowledge.learned) reads
    them as features; `score` is the pair's `Hit.score`."""

    score: float
    cover: float  # query coverage: share of the question's weight the pair explains
    cover_question: float  # ... by its question and variants alone
    cover_answer: float  # ... found only in its answer text
    pair_cover: float  # share of the best phrasing the question mentions
    trigram: float
    on_topic: bool
    kind_ok: bool  # it can give the kind of answer asked (qtypes)
    other_kind: bool
    other_service: bool
    other_customer: bool
    left_out: bool  # `_leaves_out_a_trained_word`


@dataclass(frozen=True, slots=True)
class Explained:
    """`Retriever.explain` for one pair: its score's parts (None when the question has no word
    to weigh), whether it is `focused` and whether a rare word of the question is written in it
    and in none of the other pairs asked about (`singled_out`)."""

    parts: Parts | None
    focused: bool
    singled: bool


def _score(index: Index, d: int, query: Analysis, weights: dict[str, float], total: float) -> float:
    return _parts(index, d, query, weights, total).score


def _parts(index: Index, d: int, query: Analysis, weights: dict[str, float], total: float) -> Parts:
    doc = index.docs[d]
    found = 0.0
    in_question = 0.0
    in_answer = 0.0  # weight found only in the answer text
    answer_found = 0.0
    on_topic = False
    for feature, weight in weights.items():
        if feature in doc.question_features:
            found += weight
            in_question += weight
            on_topic = on_topic or feature not in _QUESTION_FEATURES
        elif common := query.explained_by.get(feature, _NONE) & doc.concepts:
            found += weight * _credit(common)
            in_question += weight * _credit(common)
            on_topic = True
        elif feature in doc.answer_features:
            found += weight * ANSWER_FIELD_WEIGHT
            answer_found += weight
            if feature[0] in "wb" and feature[2:] not in lexicon.UNITS:
                in_answer += weight  # "5 triệu" is found in every price answer
            on_topic = on_topic or (feature[0] in "wb" and feature not in _QUESTION_FEATURES)
    cover = min(1.0, found / total)
    pair_cover = 0.0
    trigram = 0.0
    for phrasing, own_weights, own in zip(
        doc.phrasings, index.phrasing_weights[d], index.phrasing_mass[d], strict=True
    ):
        shared = sum(
            weight
            if feature in weights
            else weight * _credit(phrasing.explained_by.get(feature, _NONE) & query.concepts)
            for feature, weight in own_weights.items()
        )
        if own > 0:
            pair_cover = max(pair_cover, shared / own)
        trigram = max(trigram, _dice(query.trigrams, phrasing.trigrams))
    # "có gây tê không" is answered by a pair whose answer says "gây tê", though its question
    # ("làm răng có đau không") shares no word: the answer text stands in for the question.
    pair_cover = max(pair_cover, ANSWER_SUPPORT * in_answer / total)
    # float(): a float power is typed Any (it can be complex for negative bases; ours are >= 0).
    lexical = float(
        cover**QUERY_COVERAGE_SHARE * min(1.0, pair_cover) ** (1 - QUERY_COVERAGE_SHARE)
    )
    # Trigrams only ever help: they rescue typos, they must not drag down a synonym match.
    score = max(lexical, (1 - TRIGRAM_SHARE) * lexical + TRIGRAM_SHARE * trigram)
    if not on_topic and doc.question_features - _QUESTION_FEATURES:
        # Only "how much?" in common with "how much is hair removal?": which service is unknown.
        score *= OFF_TOPIC_PENALTY
    asked = query.question_kinds
    kind_ok = qtypes.compatible(qtypes.asked(asked), doc.gives)
    other_kind = False
    if not kind_ok:
        score *= KIND_MISMATCH_PENALTY
    elif asked and doc.question_kinds & _SPECIFIC_KINDS and not asked & doc.question_kinds:
        # The pair was written for another specific kind ("giá?" vs "bao lâu?"); a pair asking
        # "thế nào" whose answer gives the kind asked is not "another kind".
        score *= OTHER_KIND_PENALTY
        other_kind = True
    other_service = bool(
        query.services
        and doc.services
        and not query.services & (doc.services | doc.answer_services)
    ) or _other_service(query.concepts & lexicon.SERVICE_CONCEPTS, doc)
    if other_service:
        score *= OTHER_SERVICE_PENALTY
    other_customer = bool((query.concepts ^ doc.concepts) & lexicon.CONSTRAINT_CONCEPTS)
    if other_customer:
        score *= OTHER_CUSTOMER_PENALTY
    left_out = _leaves_out_a_trained_word(index, query, doc)
    if left_out:
        score *= LEFT_OUT_PENALTY
    return Parts(
        round(min(1.0, score), 4),
        cover,
        min(1.0, in_question / total),
        min(1.0, answer_found / total),
        min(1.0, pair_cover),
        trigram,
        on_topic,
        kind_ok,
        other_kind,
        other_service,
        other_customer,
        left_out,
    )


def _leaves_out_a_trained_word(index: Index, query: Analysis, doc: IndexedPair) -> bool:
    """The question names something the spa wrote about elsewhere ("chấn thương" in the health
    pair) that this pair never mentions: another pair is probably meant, or both are."""
    for word in query.words:
        feature = "w:" + word
        if (
            word[0].isdigit()
            or word in lexicon.GENERIC_WORDS
            or word in lexicon.UNITS
            or feature not in index.known_features
            or feature in doc.question_features
            or feature in doc.answer_features
            or query.explained_by.get(feature, _NONE)
        ):
            continue
        if index.idf_of(feature) >= LEFT_OUT_MIN_IDF:
            return True
    return False


def _singled_out(
    index: Index, query: Analysis, doc: IndexedPair, others: Sequence[IndexedPair]
) -> bool:
    """`Assessment.singled_out` for `doc` against the next pair."""
    for word in query.words:
        feature = "w:" + word
        if (
            word[0].isdigit()
            or word in lexicon.GENERIC_WORDS
            or word in lexicon.UNITS
            or index.idf_of(feature) < LEFT_OUT_MIN_IDF
            or query.explained_by.get(feature, _NONE) & lexicon.QUESTION_CONCEPTS
        ):
            continue
        mine = feature in doc.question_features or feature in doc.answer_features
        if mine and not any(
            feature in other.question_features or feature in other.answer_features
            for other in others
        ):
            return True
    return False


def _focused(query: Analysis, doc: IndexedPair) -> bool:
    """`Assessment.focused` for this pair."""
    if not qtypes.compatible(qtypes.asked(query.question_kinds), doc.gives):
        return False  # it cannot give what is asked (a price for "mấy giờ")
    repaired = {fixed for _, fixed in query.corrected}
    topic = False
    loose = 0  # everyday words the pair does not have: a few are chat, more are another topic
    for word in query.words:
        feature = "w:" + word
        if word[0].isdigit() or word in lexicon.UNITS:
            continue
        if word in lexicon.GENERIC_WORDS:
            common = query.explained_by.get(feature, _NONE) & doc.concepts
            if common - lexicon.SOFT_CONCEPTS - lexicon.QUESTION_CONCEPTS:
                topic = True  # "ô tô" (parking): everyday syllables, a topic together
            elif feature not in doc.question_features and feature not in doc.answer_features:
                loose += 1
            continue
        if feature in doc.question_features:
            topic = topic or word not in repaired
        elif feature in doc.answer_features:
            continue
        elif common := query.explained_by.get(feature, _NONE) & (
            doc.concepts | doc.answer_concepts
        ):
            shared = common & doc.concepts - lexicon.SOFT_CONCEPTS - lexicon.QUESTION_CONCEPTS
            topic = topic or bool(shared)
        else:
            return False  # a content word this pair never mentions
    return topic and loose <= FOCUSED_LOOSE_WORDS


def _other_service(asked: frozenset[str], doc: IndexedPair) -> bool:
    """ "wax xong kiêng gì" against "nối mi xong kiêng gì": the aftercare words match, the service
    (another lexicon service concept) does not."""
    return bool(
        asked
        and doc.service_concepts
        and not asked & (doc.service_concepts | doc.answer_service_concepts)
    )


def _credit(shared: frozenset[str]) -> float:
    """How much of a word counts when the other side only has a concept it stands for."""
    if not shared:
        return 0.0
    return EXPLAINED_CREDIT if shared - lexicon.FAMILY_CONCEPTS else FAMILY_CREDIT


def _dice(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    return 2 * len(a & b) / (len(a) + len(b))
