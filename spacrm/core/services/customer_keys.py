"""One customer per identifier, enforced by the database (issue 13 #3).

`sync` runs inside the transaction that creates (or re-indexes) the lead — search.index_record
calls it for every lead, so creates, edits and the demo seed all keep the keys: the unique (kind, value) index of
`customer_key` lets exactly one of several concurrent creators commit; the others get KeyTaken,
which the create path turns into the usual "already exists" answer.
"""

from __future__ import annotations

from tortoise.exceptions import IntegrityError

from spacrm.core.models import CustomerKey


class KeyTaken(Exception):
    """Another lead already holds one of these identifiers (it won a race with this creator)."""


async def sync(
    lead_id: int,
    *,
    phone: str | None,
    email: str | None,
    tax_code: str | None,
    citizen_id: str | None,
) -> None:
    """Make the lead's keys its current normalised identifiers; raises KeyTaken when another lead
    holds one. Call it inside the writing transaction and let KeyTaken roll that back."""
    wanted = {
        k: v
        for k, v in {
            "phone": phone, "email": email, "tax_code": tax_code, "citizen_id": citizen_id
        }.items()
        if v
    }  # fmt: skip
    held = {k.kind: k for k in await CustomerKey.filter(lead_id=lead_id)}
    for kind, key in held.items():
        if wanted.get(kind) != key.value:
            await key.delete()
    try:
        for kind, value in wanted.items():
            if kind not in held or held[kind].value != value:
                await CustomerKey.create(kind=kind, value=value, lead_id=lead_id)
    except IntegrityError as exc:
        raise KeyTaken(kind) from exc


async def release(lead_id: int) -> None:
    """Free a lead's identifiers (when the lead itself is deleted)."""
    await CustomerKey.filter(lead_id=lead_id).delete()
