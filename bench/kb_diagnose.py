"""Where the customer bot's misses on the DEV answering sets come from (issue 7, sixth pass).

For every in-scope question answered wrong or handed off, and every hand-off question answered,
prints the three best lexical pairs with their scores, the pair the semantic model finds
closest (its standing among the spa's pairs), the decision and the rule that made it:

    complaint / person        handed off before any ranking
    foreign                   a word the spa never wrote (listed)
    ambiguous                 aspects.choose could not pick among close pairs
    near-tie                  sure(): two close pairs, neither strong, nothing only the first explains
    low                       sure(): under the threshold and not focused (or not far enough ahead)
    sure                      sent by sure()
    dispute                   sure() would send it, the model singles out the close second pair
    tie-break / rescue        sent by the semantic model (answering._tie_break / _rescue)

Only the DEV sets: held-out sets are measured by totals in tests/knowledge/test_quality_sets.py,
their lines never printed.

    PYTHONPATH=. .venv/bin/python bench/kb_diagnose.py [set ...] [--all]

`--all` also prints the right answers (to see their margins).
"""

from __future__ import annotations

import os
import statistics
import sys
from collections import Counter
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")

from spacrm.intents.customer import detect
from spacrm.intents.customer.decide import decide
from spacrm.knowledge import answering
from spacrm.knowledge.evaluation import parse_cases
from spacrm.knowledge.handoff import asks_for_person
from spacrm.knowledge.importer import load_qa_file
from spacrm.knowledge.retrieval import Retriever

DATA = Path(__file__).resolve().parent.parent / "tests" / "knowledge" / "data"
DEV = (
    "dental", "clinic", "gym", "nailspa", "massage", "barber", "tattoo", "footsauna",
    "dongy", "physio",
)  # fmt: skip


def _files(name: str) -> tuple[Path, Path] | None:
    folder = DATA / "sets" / name
    if folder.is_dir():
        if (folder / "HELD_OUT").exists():
            raise SystemExit(f"{name} is held out: its lines are never printed")
        return folder / "faq.csv", folder / "questions.jsonl"
    if (DATA / f"{name}_faq.csv").exists():
        return DATA / f"{name}_faq.csv", DATA / f"{name}_questions.jsonl"
    return None


def _rule(text: str, retriever: Retriever) -> str:
    """Which rule of the offline decision decided `text` (mirrors decide / answer_offline)."""
    if detect.is_complaint(text):
        return "complaint"
    if asks_for_person(text):
        return "person"
    assessment = retriever.assess(text, k=answering.CONTEXT_PAIRS)
    hits = assessment.hits
    if not hits:
        return "no-hit"
    if assessment.foreign:
        return "foreign " + ",".join(assessment.foreign)
    meaning = retriever.meaning
    similar = meaning.similarities(text) if meaning else {}
    if answering.sure(assessment):
        if answering._disputed(assessment, similar):
            return "dispute"
        return "sure" + (" (focused)" if hits[0].score < answering.DEFAULT_THRESHOLD else "")
    if similar and answering._tie_break(text, retriever, similar):
        return "tie-break"
    if similar and answering._rescue(assessment, similar):
        return "rescue"
    if assessment.ambiguous:
        return "ambiguous"
    best = hits[0].score
    second = hits[1].score if len(hits) > 1 else 0.0
    tie = answering.NEAR_TIE * best <= second <= best
    if best < answering.NEAR_TIE_BELOW and tie and not (assessment.focused or assessment.settled):
        return "near-tie"
    return f"low (focused={assessment.focused})"


def _standing(similar: dict[str, float]) -> tuple[str, float, float]:
    values = sorted(similar.values(), reverse=True)
    spread = statistics.pstdev(values) or 1.0
    best = max(similar, key=similar.__getitem__)
    return (
        best,
        (values[0] - statistics.fmean(values)) / spread,
        (values[0] - values[1]) / spread,
    )


def diagnose(name: str, *, show_all: bool) -> Counter[str]:
    files = _files(name)
    if files is None:
        return Counter()
    faq, questions = files
    retriever = Retriever(load_qa_file(faq), semantic=True)
    cases = parse_cases(questions.read_text(encoding="utf-8").splitlines())
    tally: Counter[str] = Counter()
    print(f"\n=== {name}")
    for case in cases:
        got = decide(case.text, retriever)
        if case.expect is None:
            outcome = "ok-handoff" if got.handoff else "OFF-ANSWERED"
        elif got.match == case.expect:
            outcome = "right"
        elif got.handoff:
            outcome = "HANDOFF"
        else:
            outcome = "WRONG"
        rule = _rule(case.text, retriever)
        tally[outcome] += 1
        if outcome in ("HANDOFF", "WRONG", "OFF-ANSWERED"):
            tally[f"{outcome} by {rule.split()[0]}"] += 1
        if outcome in ("right", "ok-handoff") and not show_all:
            continue
        assessment = retriever.assess(case.text, k=3)
        top = ", ".join(f"{h.pair.id} {h.score:.2f}" for h in assessment.hits)
        rank = next(
            (i + 1 for i, h in enumerate(retriever.search(case.text, k=10))
             if h.pair.id == case.expect),
            None,
        )  # fmt: skip
        line = f"  {outcome:12} {case.text!r} expect={case.expect} got={got.match} [{rule}]"
        line += f"\n               lexical: {top} | expected at rank {rank}"
        line += f" | focused={assessment.focused} singled={assessment.singled_out}"
        if retriever.meaning is not None:
            similar = retriever.meaning.similarities(case.text)
            if similar:
                best, standing, lead = _standing(similar)
                line += f"\n               semantic: {best} standing {standing:.1f} lead {lead:.2f}"
        print(line)
    right = tally["right"]
    in_scope = right + tally["HANDOFF"] + tally["WRONG"]
    print(
        f"  -> right {right}/{in_scope}, wrong {tally['WRONG']}, handoff "
        f"{tally['HANDOFF']}, off answered {tally['OFF-ANSWERED']}"
    )
    return tally


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    total: Counter[str] = Counter()
    for name in args or DEV:
        total += diagnose(name, show_all="--all" in sys.argv)
    print("\nTotals:")
    for key, count in sorted(total.items()):
        print(f"  {key:30} {count}")


if __name__ == "__main__":
    main()
