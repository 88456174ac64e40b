"""How should the customer bot's decision use `Meaning.scores`? (issue 7, kbsem)

For every question of the FAQ sets: what `decide` does today (with knowledge/meaning.py as it is
in this checkout), the lexical hits, and the model's `Reading`. Then rules on top, scored like
`spacrm kb test` (right, wrong pair, off-topic answered) with the utility right - 3 x (wrong +
off-topic answered), thresholds chosen on the dev sets only; the held-out sets (a HELD_OUT file in
their folder) are reported by totals only, never a line.

- rescue T: a hand-off (not a complaint or a request for a person, no foreign word) whose pair
  closest in meaning is one of the two best lexical pairs, with `confidence` >= T: send it;
- veto T: an answer whose pair is not the model's first while the model is sure of its own
  (`confidence` >= T): hand off;
- not ours O: an answer while the question is closer to another business than to the spa
  (`ours` < O): hand off.

    OMP_NUM_THREADS=1 PYTHONPATH=. .venv/bin/python bench/kb_meaning_decide.py [--held-out]
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import time
from collections.abc import Callable
from dataclasses import dataclass

os.environ.setdefault("OMP_NUM_THREADS", "1")

from bench.kb_meaning import DEV
from bench.kb_sets import files, held_out, score, show, utility
from spacrm.intents.customer import detect
from spacrm.intents.customer.decide import decide
from spacrm.knowledge.handoff import asks_for_person
from spacrm.knowledge.importer import load_qa_file
from spacrm.knowledge.meaning import Reading
from spacrm.knowledge.retrieval import Retriever

RESCUES = (2.5, 3.0, 3.5, 4.0, 4.5, 99.0)
VETOES = (2.5, 2.75, 3.0, 3.5, 4.0, 99.0)
OURS = (-0.05, -0.03, -0.02, -0.01, 0.0, -99.0)


@dataclass
class Row:
    expect: str | None
    decided: str | None
    person: bool
    foreign: bool
    lexical: list[str]
    reading: Reading


def rows(name: str) -> list[Row]:
    faq, questions = files(name)
    retriever = Retriever(load_qa_file(faq), semantic=True)
    assert retriever.meaning is not None
    out = []
    for line in questions.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        case = json.loads(line)
        text = case["text"]
        assessment = retriever.assess(text, k=3)
        reading = retriever.meaning.scores(text)
        assert reading is not None
        out.append(
            Row(
                case.get("expect"),
                decide(text, retriever).match,
                asks_for_person(text) or detect.is_complaint(text),
                bool(assessment.foreign),
                [hit.pair.id for hit in assessment.hits],
                reading,
            )
        )
    return out


Rule = Callable[[Row], str | None]


def rule(rescue: float, veto: float, ours: float) -> Rule:
    def decided(row: Row) -> str | None:
        r = row.reading
        if row.decided is None:
            if row.person or row.foreign or r.confidence < rescue:
                return None
            return r.best if r.best in row.lexical[:2] else None
        if r.best != row.decided and r.confidence >= veto:
            return None
        if r.ours < ours:
            return None
        return row.decided

    return decided


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--held-out", action="store_true", help="also print held-out totals")
    args = parser.parse_args()
    started = time.perf_counter()
    dev = [r for n in DEV for r in rows(n)]

    def on_dev(decided: Rule) -> int:
        return utility(score(dev, decided))

    rescue = max(RESCUES, key=lambda t: on_dev(rule(t, 99.0, -99.0)))
    veto = max(VETOES, key=lambda t: on_dev(rule(rescue, t, -99.0)))
    ours = max(OURS, key=lambda o: on_dev(rule(rescue, veto, o)))
    print(f"chosen on dev: rescue {rescue}, veto {veto}, not ours {ours}")
    groups = {"dev": dev}
    if args.held_out:
        groups["held-out (totals only)"] = [r for n in held_out() for r in rows(n)]
    line = functools.partial(show, width=34, overall=True)
    for label, rs in groups.items():
        print(label)
        line("decide today", score(rs, rule(99.0, 99.0, -99.0)))
        for t in RESCUES[:-1]:
            line(f"+ rescue {t}", score(rs, rule(t, 99.0, -99.0)))
        for t in VETOES[:-1]:
            line(f"+ rescue {rescue} + veto {t}", score(rs, rule(rescue, t, -99.0)))
        for o in OURS[:-1]:
            line(f"+ rescue {rescue} veto {veto} ours {o}", score(rs, rule(rescue, veto, o)))
    print(f"{time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
