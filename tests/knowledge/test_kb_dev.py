"""The shared dev set: every question gets its expected pair, off-topic ones a handoff."""

from __future__ import annotations

import json

import pytest

from spacrm.knowledge.answering import answer
from spacrm.knowledge.importer import load_qa_file
from spacrm.knowledge.retrieval import Retriever
from tests.knowledge.evalsets import SHARED_EVAL

FAQ = SHARED_EVAL / "kb_dev.csv"
QUESTIONS = SHARED_EVAL / "kb_dev_questions.jsonl"

pytestmark = pytest.mark.skipif(not FAQ.exists(), reason="shared eval set not present")


def _cases() -> list[tuple[str, str | None]]:
    if not QUESTIONS.exists():
        return []
    rows = [json.loads(line) for line in QUESTIONS.read_text(encoding="utf-8").splitlines()]
    return [(row["text"], row["expect"]) for row in rows]


@pytest.fixture(scope="module")
def retriever() -> Retriever:
    return Retriever(load_qa_file(FAQ))


@pytest.mark.parametrize(("text", "expect"), _cases())
async def test_kb_dev_question(retriever: Retriever, text: str, expect: str | None) -> None:
    result = await answer(text, retriever)
    assert result.match == expect, f"{text!r}: confidence {result.confidence}"
    assert result.handoff == (expect is None)
