"""Gapless document numbers per type and year (DESIGN §2): HD2026-000123, PT2026-000001, PC…

Call `next_number` inside the transaction that creates the document: the counter row stays
locked (SELECT … FOR UPDATE on PostgreSQL; SQLite lets one writer in at a time) until that
transaction ends, so a rolled-back document gives its number back and none is used twice.
"""

from __future__ import annotations

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from spacrm.core.models import DocCounter
from spacrm.core.settings import get_settings

DIGITS = 6


def vnd(amount: int) -> str:
    """Money as users read it (UX.md): "1.500.000 ₫" — for error and notice parameters."""
    return f"{amount:,}".replace(",", ".") + " ₫"


def prefix_for(kind: str) -> str:
    settings = get_settings()
    return {
        "order": settings.order_prefix,
        "receipt": settings.receipt_prefix,
        "payment": settings.payment_prefix,
    }.get(kind, "CT")


def format_number(kind: str, year: int, seq: int) -> str:
    return f"{prefix_for(kind)}{year}-{seq:0{DIGITS}d}"


async def next_number(kind: str, year: int) -> tuple[str, int]:
    """(number, seq) for a new document of `kind` in `year`. Must run inside a transaction."""
    row = await DocCounter.filter(kind=kind, year=year).select_for_update().first()
    if row is None:
        try:
            async with in_transaction():  # a savepoint: losing the race to create is harmless
                await DocCounter.create(kind=kind, year=year, last_seq=0)
        except IntegrityError:
            pass
        row = await DocCounter.filter(kind=kind, year=year).select_for_update().get()
    row.last_seq += 1
    await DocCounter.filter(id=row.id).update(last_seq=row.last_seq)
    return format_number(kind, year, row.last_seq), row.last_seq
