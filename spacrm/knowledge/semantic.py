"""Embedding retrieval with an LLM provider (Gemini): more candidates for the confirmation step.

Pair vectors are cached by a `VectorStore` (the database, in core) keyed by the embedding model
and a hash of the pair's text, so they are recomputed only when a pair changes; the latest set is
also kept in memory per retriever build. Semantic candidates are never answered on their own: they
only join the pairs the LLM is asked to confirm (answering._confirm). Any failure - no embedding
support, an API error, a timeout - leaves the offline path as it is.
"""

from __future__ import annotations

import hashlib
import logging
import math
from collections.abc import Sequence
from typing import Protocol, runtime_checkable

from spacrm.knowledge.qa import QAPair

log = logging.getLogger(__name__)

BATCH = 100  # texts per embedding request
NEAREST = 3
MIN_SIMILARITY = 0.5  # cosine under which a pair is no candidate at all


@runtime_checkable
class Embedder(Protocol):
    embedding_model: str

    async def embed(  # a value, like LLM.generate
        self,
        texts: list[str],
        *,
        query: bool,
        timeout: float,  # noqa: ASYNC109
    ) -> list[list[float]]: ...


class VectorStore(Protocol):
    async def load(self, model: str) -> dict[str, tuple[str, list[float]]]: ...  # id -> (hash, v)

    async def save(self, model: str, rows: dict[str, tuple[str, list[float]]]) -> None: ...


def pair_text(pair: QAPair) -> str:
    """What is embedded for a pair: its question, variants and answer (all a customer may echo)."""
    return "\n".join((pair.question, *pair.variants, pair.answer))


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:32]


class SemanticCache:
    """The pair vectors of one retriever build, loaded from the store or computed once."""

    def __init__(self, store: VectorStore) -> None:
        self.store = store
        self._key: tuple[str, tuple[tuple[str, str], ...]] | None = None
        self._vectors: dict[str, list[float]] = {}

    async def vectors(
        self,
        pairs: Sequence[QAPair],
        embedder: Embedder,
        timeout: float,  # noqa: ASYNC109
    ) -> dict[str, list[float]]:
        hashes = tuple((p.id, text_hash(pair_text(p))) for p in pairs)
        key = (embedder.embedding_model, hashes)
        if key == self._key:
            return self._vectors
        model = embedder.embedding_model
        cached = await self.store.load(model)
        vectors = {
            pid: cached[pid][1] for pid, h in hashes if pid in cached and cached[pid][0] == h
        }
        missing = [p for p in pairs if p.id not in vectors]
        new: dict[str, tuple[str, list[float]]] = {}
        for start in range(0, len(missing), BATCH):
            chunk = missing[start : start + BATCH]
            embedded = await embedder.embed(
                [pair_text(p) for p in chunk], query=False, timeout=timeout
            )
            if len(embedded) != len(chunk):
                raise ValueError("embedding count differs from the texts sent")
            for pair, vector in zip(chunk, embedded, strict=True):
                new[pair.id] = (text_hash(pair_text(pair)), vector)
                vectors[pair.id] = vector
        if new:
            await self.store.save(model, new)
        self._key, self._vectors = key, vectors
        return vectors


def nearest(
    query: Sequence[float], vectors: dict[str, list[float]], k: int = NEAREST
) -> list[tuple[str, float]]:
    """The `k` pair ids most similar to `query` (cosine), best first, above MIN_SIMILARITY."""
    scored = [(pid, _cosine(query, vector)) for pid, vector in vectors.items()]
    scored = [item for item in scored if item[1] >= MIN_SIMILARITY]
    scored.sort(key=lambda item: item[1], reverse=True)
    return scored[:k]


def _cosine(a: Sequence[float], b: Sequence[float]) -> float:
    if len(a) != len(b):
        return 0.0
    dot = sum(x * y for x, y in zip(a, b, strict=True))
    norm = math.sqrt(sum(x * x for x in a)) * math.sqrt(sum(y * y for y in b))
    return dot / norm if norm else 0.0
