"""What one unit of use (a staff chat turn, a console action) created or changed, for the CRM
usage log (#33).

One mechanism for every service: the ORM's post-save and post-delete signals of every model note
the record in the tracker of the current turn (a context variable, so concurrent turns never mix),
and the caller (the engine, the console) reads the counts when the turn ends. Services need not
report anything, and a new model is counted from its first save. Rows that are bookkeeping, not
records people work on (dialog state, outbox, search index, counters, the usage log itself…), are
left out by name. Writes made with queryset `update()`/`bulk_create()` send no signal: they are
the follow-up writes of a change already counted (the order's lines, a course's counter).

A turn that ends in a refusal rolled its transaction back: the caller discards what it noted.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from tortoise import Tortoise
from tortoise.models import Model
from tortoise.signals import Signals

# Models whose rows are machinery, not records a person creates or changes.
UNTRACKED = frozenset({
    "DialogState", "OutboxMessage", "ProcessedEvent", "SentMessageRef", "TaxCodeCache",
    "ConsoleSession", "SearchEntry", "CustomerKey", "RateEvent", "ChatPresence", "InboundUpdate",
    "DocCounter", "UsageEvent", "UsageChange", "ReportSend", "QAEmbedding", "ImportChange",
    "AppointmentReminder", "LinkCode", "PrintJob", "StaffReplyTarget",
})  # fmt: skip
_CAMEL = re.compile(r"(?<!^)(?=[A-Z])")


def kind_of(model: type[Model]) -> str:
    """The record kind users read in the report: StockMove → "stock_move"."""
    return _CAMEL.sub("_", model.__name__).lower()


@dataclass(slots=True)
class Changes:
    """The records noted in one turn: created ones, and existing ones changed (or deleted)."""

    created: dict[str, set[int]] = field(default_factory=dict)
    changed: dict[str, set[int]] = field(default_factory=dict)
    first: tuple[str, int] | None = None  # the first record touched: the turn's main record

    def note(self, kind: str, record_id: int, created: bool) -> None:
        if self.first is None:
            self.first = (kind, record_id)
        if created:
            self.created.setdefault(kind, set()).add(record_id)
        elif record_id not in self.created.get(kind, ()):  # made, then completed: one creation
            self.changed.setdefault(kind, set()).add(record_id)

    def counts(self) -> dict[str, tuple[int, int]]:
        """kind → (created, changed)."""
        kinds = sorted(set(self.created) | set(self.changed))
        return {k: (len(self.created.get(k, ())), len(self.changed.get(k, ()))) for k in kinds}

    def discard(self) -> None:
        self.created.clear()
        self.changed.clear()
        self.first = None

    def __bool__(self) -> bool:
        return bool(self.created or self.changed)


_current: ContextVar[Changes | None] = ContextVar("spacrm_changes", default=None)


@contextmanager
def tracking() -> Iterator[Changes]:
    """Note every record saved or deleted inside the block (in this task and the tasks it
    starts), and hand the notes back."""
    changes = Changes()
    token = _current.set(changes)
    try:
        yield changes
    finally:
        _current.reset(token)


def _record_id(instance: Model) -> int | None:
    pk = getattr(instance, "pk", None)
    return pk if isinstance(pk, int) else None


async def _saved(sender: type[Model], instance: Model, created: bool, *_: Any) -> None:
    changes = _current.get()
    rid = _record_id(instance)
    if changes is not None and rid is not None:
        changes.note(kind_of(sender), rid, created)


async def _deleted(sender: type[Model], instance: Model, *_: Any) -> None:
    changes = _current.get()
    rid = _record_id(instance)
    if changes is not None and rid is not None:
        changes.note(kind_of(sender), rid, False)


def watch_models() -> None:
    """Listen to every model of the app but the untracked ones (after Tortoise.init; calling it
    again adds nothing)."""
    apps = Tortoise.apps
    for model in apps["models"].values() if apps is not None and "models" in apps else ():
        if model.__name__ in UNTRACKED:
            continue
        model.register_listener(Signals.post_save, _saved)
        model.register_listener(Signals.post_delete, _deleted)
