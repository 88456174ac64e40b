"""A learned offline decision over the hand-written one (issue 7, kblearn).

For a question, the candidates are the union of the best lexical pairs (`Retriever.assess`) and
the pairs closest in meaning (`Meaning.scores`), raw and through the question map
(`meaning.adapter`). Each candidate is described by what the code already computes - the lexical
score and its parts (`Retriever.explain`), its rank and margin, the model's cosines, standing and
margin, the same read through the question map, the question's "ours" against other businesses,
the model's latent terms (`Meaning.latents`: token-level pieces of the question a pair holds or
lacks), and whether the hand-written rules (`answering`) would send it - and a conditional logit
over the candidates and one more choice, "none of them" (a softmax of their linear scores and a
learned score of none), trained across businesses (bench/kb_learn.py, leave-one-business-out on
the dev sets), gives the probability that each is the pair meant. The candidates compete: two
close pairs share the probability a lone one would get (session 22: with one logistic
probability per candidate, each judged alone, dev CV answered 2442 right of 3452, 27 + 14 wrong;
with the softmax 2512, 24 + 16). The most probable candidate is sent when its probability
reaches the threshold chosen by the same cross-validation with a wrong answer counted three
hand-offs; otherwise the question is handed off.

Only with the semantic model (its features are half of the evidence): without it, or without the
weights file, `answering` decides with its rules alone. The hard rules (a complaint, a request
for a person, a phone lead) are applied before this module is asked.

The weights ship as WEIGHTS_FILE, keyed by the dev sets they were trained on and the feature
names (`training_key`); tests/knowledge/test_learned.py checks the file is current:
`python -m bench.kb_learn --write` trains and writes it again.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import os
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from spacrm.knowledge.meaning import Latents, Meaning, Reading
from spacrm.knowledge.retrieval import Assessment, Explained, Hit, Retriever

log = logging.getLogger(__name__)

SWITCH = "SPACRM_LEARNED"  # "0": the hand-written rules alone
WEIGHTS_FILE = Path(__file__).with_name("learned_kb.json")
LEXICAL_K = 5  # the best lexical pairs that are candidates
MEANING_K = 5  # the pairs closest in meaning that are candidates

FEATURES = (
    "lex", "lex_rank", "lex_first", "lex_gap", "lex_ratio",
    "cover", "cover_question", "cover_answer", "pair_cover", "trigram",
    "on_topic", "kind_ok", "other_kind", "other_service", "other_customer", "left_out",
    "focused", "singled",
    "cos", "z", "z_gap", "emb_first", "emb_rank", "asked_max", "asked_mean", "asked_gap",
    "ours", "confidence", "standing", "lead",
    "foreign", "ambiguous", "rules_sent", "rules_handoff",
    "lex_x_z", "both_first",
    "sp_cos", "sp_z", "sp_first", "sp_unc", "sp_gap",
    "ad_cos", "ad_z", "ad_first", "ad_gap",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Candidate:
    pair_id: str
    hit: Hit
    features: tuple[float, ...]


def candidates(
    question: str,
    retriever: Retriever,
    reading: Reading,
    meaning: Meaning,
    rules: str | None,
) -> list[Candidate]:
    """The candidates of `question` with their features (FEATURES). `rules`: the pair the
    hand-written decision sends, None for a hand-off."""
    assessment = retriever.assess(question, k=LEXICAL_K)
    similar = reading.similar
    if len(similar) < 2:
        return []  # one pair: no standing, no margin to read
    adapted = reading.adapted
    if adapted is None:
        return []  # no question map for this model: the evidence the weights expect is missing
    by_meaning = sorted(similar, key=similar.__getitem__, reverse=True)
    by_map = sorted(adapted, key=adapted.__getitem__, reverse=True)
    ids = list(
        dict.fromkeys(
            [h.pair.id for h in assessment.hits] + by_meaning[:MEANING_K] + by_map[:MEANING_K]
        )
    )
    if not ids:
        return []
    latents = meaning.latents(reading)
    if latents is None:
        return []  # no latent terms: half the evidence missing, the rules decide
    explained = retriever.explain(question, ids)
    asked = meaning.asked_cosines(reading)
    mean, spread = _spread(list(similar.values()))
    mapped = _spread(list(adapted.values()))
    lex_rank = {h.pair.id: r for r, h in enumerate(assessment.hits)}
    emb_rank = {p: r for r, p in enumerate(by_meaning)}
    lexical = {p: _lex(explained.get(p)) for p in ids}
    top_lex = max(lexical.values())
    out = []
    for pid in ids:
        pair = retriever.get(pid)
        if pair is None:
            continue
        out.append(
            Candidate(
                pid,
                Hit(pair, lexical[pid]),
                _features(
                    pid,
                    ids,
                    assessment,
                    explained.get(pid),
                    lexical,
                    top_lex,
                    lex_rank,
                    emb_rank,
                    similar,
                    by_meaning,
                    mean,
                    spread,
                    asked,
                    reading,
                    rules,
                )
                + _latent_features(pid, latents)
                + _mapped_features(pid, adapted, by_map, *mapped),
            )
        )
    return out


def _spread(values: list[float]) -> tuple[float, float]:
    """Mean and standard deviation (1.0 when none) of a question's scores over the spa's pairs."""
    mean = math.fsum(values) / len(values)
    return mean, math.sqrt(math.fsum((v - mean) ** 2 for v in values) / len(values)) or 1.0


def _latent_features(pid: str, latents: Latents) -> tuple[float, ...]:
    cosine = latents.cosine[pid]
    other = latents.cosine[latents.second if latents.first == pid else latents.first]
    return (
        cosine,
        (cosine - latents.mean) / latents.spread,
        float(latents.first == pid),
        latents.uncovered(pid),
        (cosine - other) / latents.spread,
    )


def _mapped_features(
    pid: str, adapted: dict[str, float], order: list[str], mean: float, spread: float
) -> tuple[float, ...]:
    """What the mapped question (meaning.adapter) says of `pid`: its cosine, its standing among
    the spa's pairs (z), whether it is the closest, its margin over the closest other pair."""
    other = adapted[order[1] if order[0] == pid else order[0]]
    return (
        adapted[pid],
        (adapted[pid] - mean) / spread,
        float(order[0] == pid),
        (adapted[pid] - other) / spread,
    )


def _lex(explained: Explained | None) -> float:
    return explained.parts.score if explained is not None and explained.parts else 0.0


def _features(
    pid: str,
    ids: Sequence[str],
    assessment: Assessment,
    explained: Explained | None,
    lexical: dict[str, float],
    top_lex: float,
    lex_rank: dict[str, int],
    emb_rank: dict[str, int],
    similar: dict[str, float],
    by_meaning: list[str],
    mean: float,
    spread: float,
    asked: dict[str, tuple[float, float]],
    reading: Reading,
    rules: str | None,
) -> tuple[float, ...]:
    parts = explained.parts if explained is not None else None
    lex = lexical[pid]
    other_lex = max((lexical[o] for o in ids if o != pid), default=0.0)
    rank = lex_rank.get(pid)
    erank = emb_rank[pid]
    z = (similar[pid] - mean) / spread
    other_sim = similar[by_meaning[1] if by_meaning[0] == pid else by_meaning[0]]
    best_asked, mean_asked = asked.get(pid, (0.0, 0.0))
    other_asked = max((asked.get(o, (0.0, 0.0))[0] for o in ids if o != pid), default=0.0)
    lex_first = float(rank == 0)
    emb_first = float(erank == 0)
    return (
        lex,
        0.0 if rank is None else 1.0 / (1 + rank),
        lex_first,
        lex - other_lex,
        lex / top_lex if top_lex > 0 else 0.0,
        parts.cover if parts else 0.0,
        parts.cover_question if parts else 0.0,
        parts.cover_answer if parts else 0.0,
        parts.pair_cover if parts else 0.0,
        parts.trigram if parts else 0.0,
        float(bool(parts and parts.on_topic)),
        float(bool(parts and parts.kind_ok)),
        float(bool(parts and parts.other_kind)),
        float(bool(parts and parts.other_service)),
        float(bool(parts and parts.other_customer)),
        float(bool(parts and parts.left_out)),
        float(bool(explained and explained.focused)),
        float(bool(explained and explained.singled)),
        reading.cosine[pid],
        z,
        (similar[pid] - other_sim) / spread,
        emb_first,
        1.0 / (1 + erank),
        best_asked,
        mean_asked,
        best_asked - other_asked,
        reading.ours,
        reading.confidence,
        reading.standing,
        reading.lead,
        float(bool(assessment.foreign)),
        float(assessment.ambiguous),
        float(rules == pid),
        float(rules is None),
        lex * z,
        lex_first * emb_first,
    )


@dataclass(frozen=True)
class Model:
    """Weights over standardized FEATURES (a candidate's score), the score of "none of the
    candidates" (`none`), and the threshold to send."""

    names: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    weights: tuple[float, ...]
    none: float
    threshold: float
    key: str = ""

    def score(self, features: Sequence[float]) -> float:
        return math.fsum(
            w * (x - m) / s
            for w, x, m, s in zip(self.weights, features, self.mean, self.scale, strict=True)
        )

    def probabilities(self, candidates: Sequence[Sequence[float]]) -> list[float]:
        """Per candidate, the probability that it is the pair meant (the rest: none of them)."""
        scores = [self.score(c) for c in candidates]
        top = max([self.none, *scores])
        weights = [math.exp(s - top) for s in scores]
        total = math.fsum(weights) + math.exp(self.none - top)
        return [w / total for w in weights]

    def to_json(self) -> str:
        return json.dumps(
            {
                "key": self.key,
                "names": list(self.names),
                "mean": list(self.mean),
                "scale": list(self.scale),
                "weights": list(self.weights),
                "none": self.none,
                "threshold": self.threshold,
            },
            indent=1,
        )


# Dev files outside the sets' folders (the first skin-clinic set, tests/knowledge/data).
LEGACY_DEV = ("clinic",)


def dev_files(data: Path) -> list[tuple[str, Path, Path]]:
    """(name, faq, questions) of every dev set under `data` (tests/knowledge/data): each folder of
    `sets` without a HELD_OUT file, and LEGACY_DEV. What the weights are trained on."""
    found = [
        (p.name, p / "faq.csv", p / "questions.jsonl")
        for p in sorted((data / "sets").iterdir())
        if (p / "faq.csv").is_file() and not (p / "HELD_OUT").exists()
    ]
    found += [
        (n, data / f"{n}_faq.csv", data / f"{n}_questions.jsonl")
        for n in LEGACY_DEV
        if (data / f"{n}_faq.csv").is_file()
    ]
    return found


def training_key(files: Sequence[tuple[str, Path, Path]]) -> str:
    """What the weights were trained on: the dev sets' files and the feature names."""
    digest = hashlib.sha256("\n".join(FEATURES).encode())
    for name, faq, questions in sorted(files):
        digest.update(name.encode())
        digest.update(faq.read_bytes())
        digest.update(questions.read_bytes())
    return digest.hexdigest()[:32]


@cache
def model() -> Model | None:
    """The shipped weights, None when switched off or missing (the rules decide)."""
    if os.environ.get(SWITCH, "1") == "0":
        return None
    try:
        raw = json.loads(WEIGHTS_FILE.read_text(encoding="utf-8"))
        loaded = Model(
            tuple(raw["names"]),
            tuple(raw["mean"]),
            tuple(raw["scale"]),
            tuple(raw["weights"]),
            float(raw["none"]),
            float(raw["threshold"]),
            str(raw.get("key", "")),
        )
    except (OSError, ValueError, KeyError, TypeError):
        log.info("no learned weights: the hand-written rules decide")
        return None
    if loaded.names != FEATURES:
        log.warning("learned weights for other features: the hand-written rules decide")
        return None
    return loaded


def choose(question: str, retriever: Retriever, rules: Hit | None, weights: Model) -> Hit | None:
    """The pair to send, or None to hand off; `rules` when the model cannot read the question."""
    found = best(question, retriever, rules, weights)
    if found is None:
        return rules
    hit, p = found
    return hit if p >= weights.threshold else None


def best(
    question: str, retriever: Retriever, rules: Hit | None, weights: Model
) -> tuple[Hit, float] | None:
    """The most probable candidate and its probability, None when the model cannot read the
    question (no semantic model, no candidates)."""
    meaning = retriever.meaning
    if meaning is None:
        return None
    reading = meaning.scores(question)
    if reading is None or not reading.similar:
        return None
    found = candidates(
        question, retriever, reading, meaning, None if rules is None else rules.pair.id
    )
    if not found:
        return None
    chances = weights.probabilities([c.features for c in found])
    top, p = max(zip(found, chances, strict=True), key=lambda item: item[1])
    return top.hit, p
