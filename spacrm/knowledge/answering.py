"""Answer a customer from the spa's trained Q&A, optionally phrased by an LLM, or hand off.

Never invents: without an LLM the trained answer is sent as written; with one, the LLM only sees
the retrieved pairs and the spa's facts, and a reply quoting a number found in neither is
discarded. Anything uncertain goes to a person.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
import statistics
from typing import Protocol, runtime_checkable

from spacrm.core.textnorm import fold
from spacrm.knowledge import grounding, learned, parts, prompts
from spacrm.knowledge.handoff import HANDOFF_TEXT, asks_for_person
from spacrm.knowledge.qa import Answer
from spacrm.knowledge.retrieval import Assessment, Hit, Retriever
from spacrm.knowledge.semantic import Embedder, SemanticCache, nearest

log = logging.getLogger(__name__)

# Tuned on tests/knowledge (kb_dev + salon + clinic evals): right answers score >= ~0.37 and
# off-topic questions mostly < 0.30; see tests/knowledge/test_eval_sets.py for the figures.
DEFAULT_THRESHOLD = 0.33
# Under the threshold, a pair is still sure when it is `focused` (it explains every content word
# of the question and shares a topic word) and well ahead of the next one: short or differently
# worded questions ("co do an ko") score low without being about something else. Chosen on the
# dev sets (tests/knowledge/data/sets), never on the held-out ones.
FOCUSED_FLOOR = 0.15
FOCUSED_LEAD = 0.7  # the second pair scores at most this share of the first
# Two different pairs scoring almost alike, neither clearly strong, and no word of the question
# that only the first explains (`focused`): which one is meant is a guess, and a wrong answer
# costs more than a hand-off ("ktv ấn mạnh quá" between the technician and the pressure pairs).
NEAR_TIE = 0.85
NEAR_TIE_BELOW = 0.6
# With the offline semantic model (knowledge.meaning): a hand-off between close lexical pairs is
# decided by lexical score + TIE_WEIGHT x (cosine - best cosine) when that puts one of the two
# best lexical pairs TIE_LEAD ahead of every other and the best scored at least TIE_FLOOR. Chosen
# on the dev sets (bench/kb_semantic.py: +2 right, no more wrong there, and +2 right, no more
# wrong on the held-out sets, measured once). The model ranks too poorly alone to do more.
TIE_WEIGHT = 2.0
TIE_LEAD = 0.1
TIE_FLOOR = 0.4
TIE_RANKED = 10  # lexical pairs the fused ranking sees
# Still a hand-off: the pair the model finds closest, measured against the spa's own pairs (how
# far its cosine stands above the others, in standard deviations of this question's cosines over
# all pairs), stands out and is one of the two best lexical pairs, scoring at least RESCUE_FLOOR,
# with no foreign word and no aspect left ambiguous: the words and the meaning agree, so it is
# sent. Relative to the spa's own pairs because e5's cosines are all 0.8-0.93 whatever is asked.
# Chosen on the dev sets only (bench/kb_semantic.py: +5 right, no more wrong or off-topic
# answered); the lead is what matters (1.5-2.6 standing all gave the same).
RESCUE_FLOOR = 0.25
# A hand-off names the pair the learned decision found most likely, when its probability is at
# least OFFER_FLOOR (under the threshold to send): the customer is offered its answer while staff
# come (bot/customer_offer.py), never sent it unconfirmed, and the question is handed off all the
# same. Not for a question with a word the spa never wrote: "ngân hàng mấy giờ mở cửa" would be
# offered the opening hours. Dev leave-one-business-out (session 25, bench/kb_learn.py's rows, L2
# 30): 199 of 276 such offers are the pair meant, 51 another pair, 26 for off-topic questions.
OFFER_FLOOR = 0.6
# ... or at least RESCUE_SINGLED_FLOOR, whatever the model's lead, when it is the best lexical
# pair and a rare word of the question is written in it and not in the second one
# (`Assessment.singled_out`: "có tủ khóa để đồ ko" and the changing-room pair whose answer says
# "tủ khóa"): the words and the meaning each point at it. Sixth pass (kb), chosen on the dev sets.
RESCUE_SINGLED_FLOOR = 0.15
RESCUE_STANDING = 2.0
RESCUE_LEAD = 0.6
RESCUE_RANKED = 2
RESCUE_MIN_PAIRS = 8  # fewer pairs: their spread says nothing
# A pair `sure` sends is held back when the model singles out the second lexical pair instead
# (standing >= RESCUE_STANDING, DISPUTE_LEAD spreads ahead of every other pair) and the words put
# that pair close behind (>= DISPUTE_CLOSE of the first): words and meaning disagree between
# two siblings ("xăm hình nhỏ ở cổ tay giá bn": large vs mini tattoo price; "massage toàn thân giá
# bn": foot vs body price), and a wrong answer costs three hand-offs. Sixth pass (kb), chosen on
# the dev sets: 3 wrong answers fewer, 2 right ones handed off. Only close pairs pay for the
# question's embedding.
DISPUTE_CLOSE = 0.75
# Under this score, a pair that leaves out a rare word of the question written in another pair
# (`Assessment.leaves_out`: "bác sĩ ở cơ sở Gò Vấp tên gì" against the address pair, the doctor
# pair has "bác sĩ") is not sure on its score: only the model may still confirm it. Sixth pass
# (kb), chosen on the dev sets: 2 wrong pairs and 1 off-topic answer fewer, 3 right handed off.
LEAVES_OUT_BELOW = 0.5
DISPUTE_LEAD = 0.3
# A pair about to be sent is handed off when the model is sure another pair is meant: its own
# first pair differs and `Reading.confidence` (standing + 10 x "ours", meaning.py) is at least
# this. Chosen on the dev sets (bench/kb_meaning_decide.py): wrong answers 6+3 -> 2+3 for 3 right
# fewer of 824; held-out totals 18+3 -> 15+4 wrong for 2 right fewer of 575.
VETO = 3.0
DEFAULT_LLM_TIMEOUT = 8.0
CONTEXT_PAIRS = 3
# With an LLM that can confirm, pairs down to this score are shown to it as candidates: it may
# pick a right answer the offline confidence was not sure enough to send.
CANDIDATE_FLOOR = 0.25
FACTS_MATCH = "facts"  # `Answer.match` when the LLM answered from the facts alone


class LLMError(Exception):
    """The LLM could not answer: network, quota, timeout, bad key, blocked content..."""


class LLM(Protocol):
    # A value, not asyncio.timeout(): the adapter must turn expiry into LLMError itself.
    async def generate(self, *, system: str, prompt: str, timeout: float) -> str: ...  # noqa: ASYNC109


@runtime_checkable
class StructuredLLM(Protocol):
    """An LLM that can answer with JSON following a schema (Gemini's structured output)."""

    async def generate_json(
        self,
        *,
        system: str,
        prompt: str,
        schema: dict[str, object],
        timeout: float,  # noqa: ASYNC109 - a value, like LLM.generate
    ) -> str: ...


async def answer(
    question: str,
    retriever: Retriever,
    facts: str = "",
    llm: LLM | None = None,
    *,
    threshold: float = DEFAULT_THRESHOLD,
    timeout: float = DEFAULT_LLM_TIMEOUT,  # noqa: ASYNC109 - passed on to the LLM
    semantic: SemanticCache | None = None,
) -> Answer:
    """`semantic`: the pair-embedding cache; with an LLM that embeds (Gemini), the pairs nearest
    in meaning join the candidates it confirms."""
    assessment = retriever.assess(question, k=CONTEXT_PAIRS)
    hits = assessment.hits
    confidence = hits[0].score if hits else 0.0
    if asks_for_person(question):
        return _handoff(confidence)  # nothing to teach: a person was asked for
    offer = None
    if retriever.meaning is None:
        chosen = by_rules(question, retriever, assessment, threshold)
    else:
        # The question's embedding is CPU work (20-60 ms): off the event loop.
        chosen, offer = await asyncio.to_thread(_choose, question, retriever, assessment, threshold)
    if llm is None:
        return _offline(hits, chosen, offer)
    candidates = [] if assessment.foreign else [h for h in hits if h.score >= CANDIDATE_FLOOR]
    # Words the spa never wrote make shared keywords worthless ("ngân hàng mấy giờ mở cửa"), but
    # a pair close in meaning ("peel" for "thay da sinh học") may still be confirmed.
    if semantic is not None and isinstance(llm, Embedder):
        candidates += await _semantic_candidates(question, retriever, semantic, llm, candidates,
                                                 timeout)  # fmt: skip
    if candidates and isinstance(llm, StructuredLLM):
        try:
            chosen = await _confirm(question, candidates, llm, timeout)
        except LLMError as exc:
            # Unconfirmed: the offline decision stands.
            log.warning("LLM could not confirm the pair, deciding offline: %s", exc)
    if chosen is not None:
        context = [chosen, *(h for h in hits if h is not chosen)]
        reply = await _grounded_reply(question, context, facts, llm, timeout)
        return Answer(reply or chosen.pair.answer, chosen.pair.id, chosen.score, False)
    # Facts (address, hours...) may answer what no pair does, so the LLM gets a chance then too.
    if facts.strip():
        reply = await _grounded_reply(question, hits, facts, llm, timeout)
        if reply is not None:
            return Answer(reply, FACTS_MATCH, confidence, False)
    return _handoff(confidence, hits, offer)


async def _semantic_candidates(
    question: str,
    retriever: Retriever,
    semantic: SemanticCache,
    embedder: Embedder,
    already: list[Hit],
    timeout: float,  # noqa: ASYNC109
) -> list[Hit]:
    """Pairs close in meaning the words missed ("thay da sinh học" for "peel"); scored 0 so only
    a confirmation can make them the answer."""
    try:
        vectors = await semantic.vectors(retriever.pairs, embedder, timeout)
        query = (await embedder.embed([question], query=True, timeout=timeout))[0]
    except Exception as exc:  # API, timeout, a broken cache row: the words alone still work
        log.warning("embeddings unavailable, words only: %s", exc)
        return []
    seen = {hit.pair.id for hit in already}
    found = []
    for pair_id, _similarity in nearest(query, vectors):
        pair = retriever.get(pair_id)
        if pair is not None and pair_id not in seen:
            found.append(Hit(pair, 0.0))
    return found


async def _confirm(
    question: str,
    candidates: list[Hit],
    llm: StructuredLLM,
    timeout: float,  # noqa: ASYNC109
) -> Hit | None:
    """The candidate the LLM says answers the question, None when it says none does. Raises
    LLMError when it cannot tell (error, timeout, malformed JSON)."""
    raw = await llm.generate_json(
        system=prompts.CONFIRM_SYSTEM,
        prompt=prompts.confirm_prompt(question, [hit.pair for hit in candidates]),
        schema=prompts.CONFIRM_SCHEMA,
        timeout=timeout,
    )
    try:
        picked = json.loads(raw).get("pair_id")
    except (ValueError, AttributeError) as exc:
        raise LLMError(f"confirmation is not the JSON asked for: {raw[:80]!r}") from exc
    if picked is None:
        return None
    for hit in candidates:
        if hit.pair.id == picked:
            return hit
    raise LLMError(f"confirmation names no candidate: {picked!r}")


async def _grounded_reply(
    question: str,
    hits: list[Hit],
    facts: str,
    llm: LLM,
    timeout: float,  # noqa: ASYNC109
) -> str | None:
    pairs = [hit.pair for hit in hits]
    try:
        reply = await llm.generate(
            system=prompts.ANSWER_SYSTEM,
            prompt=prompts.answer_prompt(question, pairs, facts),
            timeout=timeout,
        )
    except LLMError as exc:
        log.warning("LLM unavailable, using the trained answer: %s", exc)
        return None
    reply = reply.strip()
    if not reply or prompts.HANDOFF_TOKEN in reply.upper():
        return None
    if grounding.invents_numbers(reply, [pair.answer for pair in pairs] + [facts]):
        log.warning("LLM reply quoted a number not in the sources; discarded")
        return None
    return reply


def answer_offline(
    question: str, retriever: Retriever, *, threshold: float = DEFAULT_THRESHOLD
) -> Answer:
    """`answer` without an LLM, synchronously: what `spacrm kb test` and the eval sets score.
    A handed-off message of two or three questions is answered part by part when each part is
    sure (knowledge.parts), as every channel does."""
    if asks_for_person(question):
        hits = retriever.assess(question, k=CONTEXT_PAIRS).hits
        return _handoff(hits[0].score if hits else 0.0)
    whole = _single(question, retriever, threshold)
    if not whole.handoff or (asked := parts.asking(question, retriever)) is None:
        return whole
    return parts.joined([_single(part, retriever, threshold) for part in asked]) or whole


def _single(question: str, retriever: Retriever, threshold: float) -> Answer:
    assessment = retriever.assess(question, k=CONTEXT_PAIRS)
    return _offline(assessment.hits, *_choose(question, retriever, assessment, threshold))


def by_rules(
    question: str, retriever: Retriever, assessment: Assessment, threshold: float
) -> Hit | None:
    """The hand-written decision: `sure`, then the semantic model's rules when it is installed."""
    chosen = assessment.hits[0] if sure(assessment, threshold) else None
    if retriever.meaning is not None:
        chosen = _decide_by_meaning(question, retriever, assessment, chosen)
    return chosen


def _choose(
    question: str, retriever: Retriever, assessment: Assessment, threshold: float
) -> tuple[Hit | None, Hit | None]:
    """The pair to send (or None) and, when none is sent, the pair to offer ("is this what you
    mean?", or None): `by_rules`, then the learned decision over it when its weights ship
    (knowledge.learned): it reads what the rules decided among its features."""
    chosen = by_rules(question, retriever, assessment, threshold)
    weights = learned.model()
    if weights is None or retriever.meaning is None:
        return chosen, None
    found = learned.best(question, retriever, chosen, weights)
    if found is None:
        return chosen, None
    hit, p = found
    if assessment.foreign:
        # A word the spa never wrote stays a hand-off: the rule the learned decision keeps
        # (bench/kb_learn.py: without it, as many right answers and more off-topic answered).
        # Nor is a pair offered: the word is as likely another business ("ngân hàng mấy giờ mở
        # cửa" would be offered the opening hours).
        return chosen, None
    if p >= weights.threshold:
        return hit, None
    return None, (hit if p >= OFFER_FLOOR else None)


def _close_second(assessment: Assessment) -> bool:
    hits = assessment.hits
    return len(hits) > 1 and hits[1].score >= DISPUTE_CLOSE * hits[0].score


def _decide_by_meaning(
    question: str, retriever: Retriever, assessment: Assessment, chosen: Hit | None
) -> Hit | None:
    """`chosen` (what `sure` decided) held back by a dispute (DISPUTE_LEAD), or the pair the
    model finds when `sure` found none (`_by_meaning`); either handed off by a veto (VETO)."""
    meaning = retriever.meaning
    if meaning is None:
        return chosen
    if chosen is None:
        chosen = _by_meaning(question, retriever, assessment)
    elif _close_second(assessment) and _disputed(assessment, meaning.similarities(question)):
        return None
    if chosen is None:
        return None
    reading = meaning.scores(question)  # the same embedding as above: asked once
    if (
        reading is not None
        and len(reading.similar) >= RESCUE_MIN_PAIRS
        and reading.best != chosen.pair.id
        and reading.confidence >= VETO
    ):
        return None
    return chosen


def _disputed(assessment: Assessment, similar: dict[str, float]) -> bool:
    """See DISPUTE_LEAD."""
    if len(similar) < RESCUE_MIN_PAIRS or not _close_second(assessment):
        return False
    standing, lead, best = _standing(similar)
    return (
        best == assessment.hits[1].pair.id and standing >= RESCUE_STANDING and lead >= DISPUTE_LEAD
    )


def _standing(similar: dict[str, float]) -> tuple[float, float, str]:
    """How far the pair closest in meaning stands above the spa's pairs, and ahead of the next
    one, in standard deviations of this question's cosines; and that pair's id."""
    values = sorted(similar.values(), reverse=True)
    spread = statistics.pstdev(values)
    best = max(similar, key=similar.__getitem__)
    if spread <= 0:
        return 0.0, 0.0, best
    return (values[0] - statistics.fmean(values)) / spread, (values[0] - values[1]) / spread, best


def _by_meaning(question: str, retriever: Retriever, assessment: Assessment) -> Hit | None:
    """The pair to send although `sure` said no, decided with the semantic model: a tie-break
    between close lexical pairs (TIE_WEIGHT), else a rescue (RESCUE_LEAD). None without the
    model, when it fails, or for a question with a foreign word.

    A veto the other way was measured on the dev sets and dropped: a low-scoring pair `sure`
    sends that the model does not see standing out (standing < 1.5) was as often right (opening
    hours asked as "thứ 7 làm tới mấy giờ": e5-small links it poorly) as wrong."""
    meaning = retriever.meaning
    if meaning is None or assessment.foreign or not assessment.hits:
        return None
    similar = meaning.similarities(question)
    if not similar:
        return None
    return _tie_break(question, retriever, similar) or _rescue(assessment, similar)


def _rescue(assessment: Assessment, similar: dict[str, float]) -> Hit | None:
    """See RESCUE_LEAD."""
    if assessment.ambiguous or len(similar) < RESCUE_MIN_PAIRS:
        return None
    standing, lead, best = _standing(similar)
    if standing < RESCUE_STANDING:
        return None
    first = assessment.hits[0]
    if first.pair.id == best and assessment.singled_out and first.score >= RESCUE_SINGLED_FLOOR:
        return first
    if lead < RESCUE_LEAD:
        return None
    return next(
        (
            hit
            for hit in assessment.hits[:RESCUE_RANKED]
            if hit.pair.id == best and hit.score >= RESCUE_FLOOR
        ),
        None,
    )


def _tie_break(question: str, retriever: Retriever, similar: dict[str, float]) -> Hit | None:
    """The pair to send when meaning separates two close lexical pairs (see TIE_WEIGHT). None
    for a question about something else."""
    assessment = retriever.assess(question, k=TIE_RANKED)
    hits = assessment.hits
    if assessment.foreign or len(hits) < 2 or hits[0].score < TIE_FLOOR:
        return None
    best = max(similar.values())
    lexical = {hit.pair.id: hit.score for hit in hits}
    fused = sorted((lexical.get(p, 0.0) + TIE_WEIGHT * (s - best), p) for p, s in similar.items())
    (second, _), (first, pick) = fused[-2], fused[-1]
    if first - second < TIE_LEAD:
        return None
    return next((hit for hit in hits[:2] if hit.pair.id == pick), None)


def sure(assessment: Assessment, threshold: float = DEFAULT_THRESHOLD) -> bool:
    """The best pair may be sent without a person (the offline decision)."""
    hits = assessment.hits
    if not hits or assessment.foreign or assessment.ambiguous:
        return False
    best = hits[0].score
    second = hits[1].score if len(hits) > 1 else 0.0
    # (A second pair scoring above the first was put behind it by the aspect asked: decided.)
    tie = NEAR_TIE * best <= second <= best and not (
        assessment.focused or assessment.settled or assessment.singled_out
    )
    if best < NEAR_TIE_BELOW and tie:
        return False
    if assessment.leaves_out and best < LEAVES_OUT_BELOW:
        return False
    if best >= threshold:
        return True
    return assessment.focused and best >= FOCUSED_FLOOR and second <= FOCUSED_LEAD * best


def _offline(hits: list[Hit], chosen: Hit | None, offer: Hit | None = None) -> Answer:
    if chosen is not None:
        return Answer(chosen.pair.answer, chosen.pair.id, chosen.score, False)
    return _handoff(hits[0].score if hits else 0.0, hits, offer)


def _handoff(confidence: float, hits: list[Hit] | None = None, offer: Hit | None = None) -> Answer:
    closest = offer.pair.id if offer else hits[0].pair.id if hits else None
    return Answer(HANDOFF_TEXT, None, confidence, True, closest, offer.pair.id if offer else None)


_NUMBERING = re.compile(r"^\s*(?:[-*•+]|\(?\d+[.):]|[a-zA-Z][.)])\s*")


async def suggest_variants(
    question: str,
    llm: LLM,
    n: int = 5,
    *,
    timeout: float = DEFAULT_LLM_TIMEOUT,  # noqa: ASYNC109 - passed on to the LLM
) -> list[str]:
    """Other ways customers may ask `question`, to help the owner train the bot.

    Raises LLMError when the LLM is unavailable (the caller tells the owner to try later).
    """
    reply = await llm.generate(
        system=prompts.VARIANTS_SYSTEM, prompt=prompts.variants_prompt(question, n), timeout=timeout
    )
    seen = {fold(question)}
    variants: list[str] = []
    for line in reply.splitlines():
        text = _NUMBERING.sub("", line).strip().strip("\"'“”").strip()
        key = fold(text)
        if text and key not in seen and prompts.HANDOFF_TOKEN not in text:
            seen.add(key)
            variants.append(text)
    return variants[:n]
