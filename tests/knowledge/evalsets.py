"""Shared loading and scoring of the retrieval eval sets (question -> expected pair id or None)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from spacrm.knowledge.answering import DEFAULT_THRESHOLD
from spacrm.knowledge.importer import load_qa_file
from spacrm.knowledge.retrieval import Retriever

DATA = Path(__file__).resolve().parent / "data"


def _shared_eval() -> Path:
    """The team's shared eval folder: a sibling of the checkout (/work/shared next to /work/main),
    looked up from here upwards so a deeper worktree finds it too."""
    for parent in Path(__file__).resolve().parents:
        candidate = parent.parent / "shared" / "eval"
        if candidate.is_dir():
            return candidate
    return Path(__file__).resolve().parents[3].parent / "shared" / "eval"


SHARED_EVAL = _shared_eval()


@dataclass
class EvalResult:
    on_topic: int = 0
    top1: int = 0
    answered_right: int = 0
    off_topic: int = 0
    off_topic_answered: list[str] = field(default_factory=list)
    misses: list[str] = field(default_factory=list)

    @property
    def top1_rate(self) -> float:
        return self.top1 / self.on_topic

    @property
    def summary(self) -> str:
        return (
            f"top-1 {self.top1}/{self.on_topic} ({self.top1_rate:.0%}), answered right "
            f"{self.answered_right}/{self.on_topic}, off-topic answered "
            f"{len(self.off_topic_answered)}/{self.off_topic}"
        )


def run_eval(faq: Path, questions: Path, threshold: float = DEFAULT_THRESHOLD) -> EvalResult:
    retriever = Retriever(load_qa_file(faq))
    result = EvalResult()
    for line in questions.read_text(encoding="utf-8").splitlines():
        case = json.loads(line)
        hits = retriever.search(case["text"], k=1)
        best = hits[0] if hits else None
        answered = best.pair.id if best and best.score >= threshold else None
        if case["expect"] is None:
            result.off_topic += 1
            if answered:
                result.off_topic_answered.append(f"{case['text']!r} -> {answered}")
            continue
        result.on_topic += 1
        result.top1 += bool(best and best.pair.id == case["expect"])
        result.answered_right += answered == case["expect"]
        if answered != case["expect"]:
            result.misses.append(f"{case['text']!r}: expected {case['expect']}, got {answered}")
    return result
