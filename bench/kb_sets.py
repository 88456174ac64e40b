"""What the knowledge-base benches share (kb_meaning.py, kb_meaning_decide.py, kb_semantic.py):
where the FAQ sets are, which are held out, and how a decision rule is scored, like
`spacrm kb test`: right, wrong pair, off-topic answered."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Protocol, TypeVar

DATA = Path(__file__).resolve().parent.parent / "tests" / "knowledge" / "data"


def held_out() -> list[str]:
    """The held-out sets (a HELD_OUT file in their folder): report their totals only."""
    return sorted(p.parent.name for p in (DATA / "sets").glob("*/HELD_OUT"))


def files(name: str) -> tuple[Path, Path]:
    """A set's FAQ (csv) and its customer questions (jsonl)."""
    folder = DATA / "sets" / name
    if folder.is_dir():
        return folder / "faq.csv", folder / "questions.jsonl"
    return DATA / f"{name}_faq.csv", DATA / f"{name}_questions.jsonl"


class Expected(Protocol):
    @property
    def expect(self) -> str | None: ...  # the right pair, None for off-topic


R = TypeVar("R", bound=Expected)
Figures = tuple[int, int, int, int, int]  # right, wrong pair, off-topic answered, in scope, off


def score(rows: Sequence[R], rule: Callable[[R], str | None]) -> Figures:
    """What `rule` (the pair sent, or None: handed off) gets right and wrong over `rows`."""
    right = wrong = off = in_scope = due = 0
    for row in rows:
        sent = rule(row)
        if row.expect is None:
            due += 1
            off += sent is not None
        else:
            in_scope += 1
            right += sent == row.expect
            wrong += sent is not None and sent != row.expect
    return right, wrong, off, in_scope, due


def utility(figures: Figures) -> int:
    """Right answers less three times the wrong ones (a wrong answer costs more than a hand-off)."""
    right, wrong, off, _, _ = figures
    return right - 3 * (wrong + off)


def show(label: str, figures: Figures, *, width: int = 26, overall: bool = False) -> None:
    """One line of figures; `overall` adds the share of all questions answered wrong."""
    right, wrong, off, in_scope, due = figures
    line = (
        f"  {label:<{width}} right {right}/{in_scope} ({right / in_scope:.1%}), wrong pairs "
        f"{wrong}, off-topic answered {off}/{due}"
    )
    if overall:
        line += f" (wrong {(wrong + off) / (in_scope + due):.1%})"
    print(line)
