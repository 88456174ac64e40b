"""Score the customer chatbot on a set of question -> expected-pair lines (`spacrm kb test`).

A spa checks its own training before going live: each line is a question a customer may type and
the id of the pair that must answer it, or nothing when the bot must hand off (off-topic, a request
for a person, a complaint). The figures are those of issue 7: answered right, answered with a
WRONG pair (worse than a hand-off), and hand-offs done when they were due.

Accepted line formats: JSON lines `{"text": ..., "expect": id-or-null}`, or plain text
`question | id` / `question<TAB>id` with an empty id or `-` meaning "must hand off".
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from spacrm.knowledge.qa import Answer

HANDOFF_MARKS = frozenset({"", "-", "none", "null", "handoff", "chuyen"})


@dataclass(frozen=True, slots=True)
class Case:
    text: str
    expect: str | None  # None: must be handed off
    line: int


class CaseFileError(ValueError):
    def __init__(self, line: int, reason: str) -> None:
        super().__init__(f"line {line}: {reason}")
        self.line = line
        self.reason = reason


def parse_cases(lines: Iterable[str]) -> list[Case]:
    cases: list[Case] = []
    for number, raw in enumerate(lines, start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("{"):
            try:
                row = json.loads(line)
                text, expect = str(row["text"]), row.get("expect")
            except (ValueError, KeyError, TypeError) as exc:
                raise CaseFileError(number, "bad JSON line") from exc
        else:
            sep = "\t" if "\t" in line else "|"
            if sep not in line:
                raise CaseFileError(number, "expected `question | id` (or a tab before the id)")
            text, expect = (part.strip() for part in line.rsplit(sep, 1))
        expect = None if expect is None or str(expect).strip().lower() in HANDOFF_MARKS else expect
        if not text.strip():
            raise CaseFileError(number, "empty question")
        cases.append(Case(text.strip(), None if expect is None else str(expect).strip(), number))
    return cases


@dataclass
class Report:
    in_scope: int = 0
    right: int = 0
    wrong: int = 0  # answered with another pair than expected (in scope)
    handoff_due: int = 0
    handoff_done: int = 0
    # Hand-offs that offered a pair's answer meanwhile (`Answer.suggested`), and how many of those
    # offers were the pair meant: not answers (she confirms first), counted apart.
    offered: int = 0
    offered_right: int = 0
    # The lines themselves stay out of the repr: a failed assertion on a held-out set's figures
    # must not print its questions.
    wrong_lines: list[str] = field(default_factory=list, repr=False)  # wrong or off answered
    missed_lines: list[str] = field(default_factory=list, repr=False)  # in scope, handed off
    # The same as (question, expected id or None, answered id or None), for translated output.
    wrong_cases: list[tuple[str, str | None, str | None]] = field(default_factory=list, repr=False)
    missed_cases: list[tuple[str, str | None, str | None]] = field(default_factory=list, repr=False)

    @property
    def right_rate(self) -> float:
        return self.right / self.in_scope if self.in_scope else 1.0

    @property
    def wrong_rate(self) -> float:
        """Wrong answers among all answers that had to be right or a hand-off: in scope answered
        with another pair, plus off-topic questions answered at all."""
        total = self.in_scope + self.handoff_due
        answered_off = self.handoff_due - self.handoff_done
        return (self.wrong + answered_off) / total if total else 0.0

    @property
    def handoff_rate(self) -> float:
        return self.handoff_done / self.handoff_due if self.handoff_due else 1.0

    def add(self, case: Case, got: Answer) -> None:
        if got.handoff and got.suggested:
            self.offered += 1
            self.offered_right += got.suggested == case.expect
        if case.expect is None:
            self.handoff_due += 1
            if got.handoff:
                self.handoff_done += 1
            else:
                self.wrong_lines.append(f"{case.text!r}: must hand off, answered {got.match}")
                self.wrong_cases.append((case.text, None, got.match))
            return
        self.in_scope += 1
        if got.match == case.expect:
            self.right += 1
        elif got.handoff:
            self.missed_lines.append(f"{case.text!r}: expected {case.expect}, handed off")
            self.missed_cases.append((case.text, case.expect, None))
        else:
            self.wrong += 1
            self.wrong_lines.append(f"{case.text!r}: expected {case.expect}, got {got.match}")
            self.wrong_cases.append((case.text, case.expect, got.match))


def score(cases: Iterable[Case], ask: Callable[[str], Answer]) -> Report:
    report = Report()
    for case in cases:
        report.add(case, ask(case.text))
    return report
