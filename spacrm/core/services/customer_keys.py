"""One customer per identifier, enforced by the database (issue 13 #3).

`sync` runs inside the transaction that creates (or re-indexes) the lead — search.index_record
calls it for every lead, so creates, edits and the demo seed all keep the keys: the unique (kind, value) index of
`customer_key` lets exactly one of several concurrent creators commit; the others get KeyTaken,
which the create path turns into the usual "already exists" answer.
"""

from __future__ import annotations

from tortoise.exceptions import IntegrityError

from spacrm.core.errors import DomainError, ErrorCode
from spacrm.core.models import CustomerKey


class KeyTaken(DomainError):
    """Another lead already holds one of these identifiers (it won a race with this writer). A
    DomainError ("already exists"), so any write path that re-indexes a lead answers clearly;
    create_lead refines it into the visible/hidden duplicate answer."""

    def __init__(self, kind: str) -> None:
        super().__init__(ErrorCode.DUPLICATE_HIDDEN)
        self.kind = kind


async def sync(
    lead_id: int, values: dict[str, str | None], *, before: dict[str, str | None]
) -> None:
    """Make the lead's keys its current normalised identifiers (`values`: phone, email,
    tax_code, citizen_id); raises KeyTaken when another lead holds one. Call it inside the
    writing transaction and let KeyTaken roll that back.

    `before` is what the lead had until now: a value it already had is never claimed anew, so a
    lead that shares an identifier from before migration 0006 (the newer of two duplicates, see
    there) can still be edited; only a new value must be free."""
    held = {k.kind: k for k in await CustomerKey.filter(lead_id=lead_id)}
    for kind, key in held.items():
        if values.get(kind) != key.value:
            await key.delete()
    kind = ""
    try:
        for kind, value in values.items():
            if not value or (kind in held and held[kind].value == value):
                continue
            if kind not in held and before.get(kind) == value:
                continue  # a legacy duplicate kept as it was
            await CustomerKey.create(kind=kind, value=value, lead_id=lead_id)
    except IntegrityError as exc:
        raise KeyTaken(kind) from exc


async def release(lead_id: int) -> None:
    """Free a lead's identifiers (when the lead itself is deleted)."""
    await CustomerKey.filter(lead_id=lead_id).delete()
