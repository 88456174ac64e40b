"""Would a learned abstention beat the customer bot's hand-written "sure" rule? (issue 7)

A logistic regression on what the retriever knows about its best pair (score, the runner-up's
share of it, `focused`, `settled`, question length) predicts "the best pair is the right one",
trained on the dev sets only and cross-validated by business (each business is scored by a model
that never saw it). It is compared with `answering.sure` on the same questions, counting a wrong
answer three times a hand-off (utility = right - 3 x wrong). Questions a person, a complaint or a
word the spa never wrote decide on their own are left out: both sides hand those off.

    PYTHONPATH=. .venv/bin/python bench/kb_abstention.py

Measured 2026-11-30 (kb): the rule's utility 535 (547 right, 4 wrong) against 497-508 for the model
at thresholds 0.5-0.9 (best: 520 right, 4 wrong): not used. The held-out sets are never read here.
"""

from __future__ import annotations

import math
from pathlib import Path

from spacrm.intents.customer import detect
from spacrm.knowledge.analysis import analyze
from spacrm.knowledge.answering import sure
from spacrm.knowledge.evaluation import parse_cases
from spacrm.knowledge.handoff import asks_for_person
from spacrm.knowledge.importer import load_qa_file
from spacrm.knowledge.retrieval import Retriever

DATA = Path(__file__).resolve().parent.parent / "tests" / "knowledge" / "data"
DEV = ("dental", "gym", "nailspa", "massage", "barber", "dayspa", "clinic", "salon", "hairspa")

Row = tuple[str, list[float], int, bool]  # business, features, best pair right, rule sends it


def _files(name: str) -> tuple[Path, Path]:
    folder = DATA / "sets" / name
    if folder.is_dir():
        return folder / "faq.csv", folder / "questions.jsonl"
    return DATA / f"{name}_faq.csv", DATA / f"{name}_questions.jsonl"


def rows() -> list[Row]:
    out: list[Row] = []
    for name in DEV:
        faq, questions = _files(name)
        retriever = Retriever(load_qa_file(faq))
        for case in parse_cases(questions.read_text(encoding="utf-8").splitlines()):
            if detect.is_complaint(case.text) or asks_for_person(case.text):
                continue
            a = retriever.assess(case.text, k=3)
            if not a.hits or a.foreign or a.ambiguous:
                continue
            best = a.hits[0].score
            second = a.hits[1].score if len(a.hits) > 1 else 0.0
            features = [
                best, second / best if best else 1.0, float(a.focused), float(a.settled),
                math.log1p(len(analyze(case.text).words)), best * float(a.focused),
            ]  # fmt: skip
            right = int(case.expect is not None and a.hits[0].pair.id == case.expect)
            out.append((name, features, right, sure(a)))
    return out


def _fit(xs: list[list[float]], ys: list[int], steps: int = 3000, rate: float = 0.5) -> list[float]:
    """Plain gradient descent on standardised features, a little L2; weights[0] is the bias."""
    n = len(xs[0])
    means = [sum(x[i] for x in xs) / len(xs) for i in range(n)]
    sds = [
        max(1e-9, math.sqrt(sum((x[i] - means[i]) ** 2 for x in xs) / len(xs))) for i in range(n)
    ]
    zs = [[1.0] + [(x[i] - means[i]) / sds[i] for i in range(n)] for x in xs]
    w = [0.0] * (n + 1)
    for _ in range(steps):
        grad = [0.0] * (n + 1)
        for z, y in zip(zs, ys, strict=True):
            p = 1 / (1 + math.exp(-sum(a * b for a, b in zip(w, z, strict=True))))
            for i in range(n + 1):
                grad[i] += (p - y) * z[i]
        w = [w[i] - rate * (grad[i] / len(zs) + (0.01 * w[i] if i else 0)) for i in range(n + 1)]
    return [w[0] - sum(w[i + 1] * means[i] / sds[i] for i in range(n))] + [
        w[i + 1] / sds[i] for i in range(n)
    ]


def main() -> None:
    data = rows()
    probability: list[float] = [0.0] * len(data)
    for business in DEV:
        train = [r for r in data if r[0] != business]
        w = _fit([r[1] for r in train], [r[2] for r in train])
        for i, r in enumerate(data):
            if r[0] == business:
                z = w[0] + sum(a * b for a, b in zip(w[1:], r[1], strict=True))
                probability[i] = 1 / (1 + math.exp(-z))
    right = sum(1 for r in data if r[3] and r[2])
    wrong = sum(1 for r in data if r[3] and not r[2])
    print(f"{len(data)} questions; rule: right {right}, wrong {wrong}, utility {right - 3 * wrong}")
    for threshold in (0.5, 0.6, 0.7, 0.8, 0.85, 0.9):
        sent = [r for r, p in zip(data, probability, strict=True) if p >= threshold]
        right = sum(r[2] for r in sent)
        wrong = len(sent) - right
        print(f"model >= {threshold}: right {right}, wrong {wrong}, utility {right - 3 * wrong}")


if __name__ == "__main__":
    main()
