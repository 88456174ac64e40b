"""Group the customer questions the bot could not answer by similarity (`spacrm kb unanswered`):
"wifi pass la gi" and "cho e xin mat khau wifi" are one thing to teach, shown once with a count.

Pure and deterministic: greedy single pass, each question joins the group whose first question it
resembles most (weighted overlap of words, bigrams and lexicon concepts), else starts a new one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from spacrm.knowledge.analysis import analyze

SIMILAR = 0.5


@dataclass(frozen=True, slots=True)
class Group:
    ids: tuple[int, ...]  # first one is the representative
    texts: tuple[str, ...]

    @property
    def count(self) -> int:
        return len(self.ids)


def _similarity(a: dict[str, float], b: dict[str, float]) -> float:
    shared = sum(min(a[f], b[f]) for f in a.keys() & b.keys())
    union = sum(a.values()) + sum(b.values()) - shared
    return shared / union if union else 0.0


def group_questions(items: Sequence[tuple[int, str]], threshold: float = SIMILAR) -> list[Group]:
    """Groups of (id, text), biggest first (then oldest first)."""
    heads: list[dict[str, float]] = []
    members: list[list[tuple[int, str]]] = []
    for item_id, text in items:
        features = {f: w for f, w in analyze(text).features.items() if f[0] in "wbk"}
        best, best_score = -1, threshold
        for position, head in enumerate(heads):
            score = _similarity(features, head)
            if score >= best_score:
                best, best_score = position, score
        if best < 0:
            heads.append(features)
            members.append([(item_id, text)])
        else:
            members[best].append((item_id, text))
    groups = [Group(tuple(i for i, _ in m), tuple(t for _, t in m)) for m in members]
    groups.sort(key=lambda g: (-g.count, g.ids[0]))
    return groups
