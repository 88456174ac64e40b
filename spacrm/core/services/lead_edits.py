"""Changing a lead after it was added (#6): one field at a time, reassigning it to another
employee, and taking back a lead just added by mistake. Every change returns what it replaced,
so the chat can offer "Hoàn tác"."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from tortoise.transactions import in_transaction

from spacrm.core.actors import Actor
from spacrm.core.errors import DomainError, ErrorCode
from spacrm.core.models import (
    Account,
    Activity,
    Complaint,
    Contact,
    Lead,
    Opportunity,
    SearchEntry,
    User,
)
from spacrm.core.permissions import Ownership, can_see, get_visible, scope_filter
from spacrm.core.services import customer_keys
from spacrm.core.services.leads import MAX_NAME, validate_identifiers
from spacrm.core.services.search import find_duplicates, index_record, name_matches, name_words
from spacrm.core.textnorm import fold, nfc

EDITABLE = ("name", "phone", "email", "address", "company", "source", "needs", "value", "birthday")
MAX_TEXT = 500
_BIRTHDAY = re.compile(r"^(\d{4}|-)-(\d{2})-(\d{2})$")  # "1990-03-08" or "--03-08" (no year)
_TYPED_DAY = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})(?:[/.\-](\d{4}))?$")  # typed "8/3/1990"


@dataclass(frozen=True, slots=True)
class Edited:
    lead: Lead
    field: str
    old: Any  # what the field held (JSON-able), for undo


def _birthday(value: str) -> str:
    original = value
    typed = _TYPED_DAY.match(value.strip())
    if typed:  # the answer typed to "what is the new birthday?"
        day, month, year = typed.groups()
        value = f"{year or '-'}-{int(month):02d}-{int(day):02d}"
    match = _BIRTHDAY.match(value.strip())
    if match:
        year = 2000 if match.group(1) == "-" else int(match.group(1))  # 2000: 29/02 is valid
        try:
            day = date(year, int(match.group(2)), int(match.group(3)))
        except ValueError:
            day = None
        if day is not None and year >= 1900:
            return value.strip()
    raise DomainError(ErrorCode.INVALID_VALUE, field="birthday", value=original)


def _clean(field: str, value: Any) -> Any:
    """The new value as stored, or DomainError when it is not valid for the field."""
    if field == "value":
        amount = int(value) if isinstance(value, int) or str(value).isdigit() else -1
        if amount < 0:
            raise DomainError(ErrorCode.INVALID_VALUE, field=field, value=str(value))
        return amount
    text = nfc(str(value or "")).strip()
    if field == "name":
        if not fold(text).strip():
            raise DomainError(ErrorCode.NAME_REQUIRED)
        if len(text) > MAX_NAME:
            raise DomainError(ErrorCode.INVALID_VALUE, field=field, value=text[:20] + "…")
        return text
    if not text:
        raise DomainError(ErrorCode.INVALID_VALUE, field=field, value=str(value))
    if field == "phone":
        return validate_identifiers(phone=text, email=None, tax_code=None, citizen_id=None).phone
    if field == "email":
        return validate_identifiers(phone=None, email=text, tax_code=None, citizen_id=None).email
    if field == "birthday":
        return _birthday(text)
    if field == "source":
        return fold(text)[:40]
    return text[:MAX_TEXT]


async def _check_unique(actor: Actor, lead: Lead, field: str, value: str) -> None:
    """Same rule as a new lead: a phone/email someone else in the company has is refused."""
    dupes = await find_duplicates(
        phone=value if field == "phone" else None,
        email=value if field == "email" else None,
        tax_code=None,
        citizen_id=None,
    )
    own = {("lead", lead.id), ("contact", lead.contact_id)}
    others = [d for d in dupes if (d.kind, d.ref_id) not in own]
    visible = [d for d in others if can_see(actor, d)]
    if visible:
        raise DomainError(
            ErrorCode.DUPLICATE_VISIBLE, kind=visible[0].kind, ref_id=visible[0].ref_id
        )
    mate = next((d for d in others if actor.team_id and d.team_id == actor.team_id), None)
    owner = await User.get_or_none(id=mate.owner_id) if mate else None
    if owner is not None:  # a colleague's customer: say whose (as for a new lead)
        raise DomainError(ErrorCode.DUPLICATE_HIDDEN, owner=owner.full_name)
    if others:
        raise DomainError(ErrorCode.DUPLICATE_HIDDEN)


async def edit_lead(
    actor: Actor, *, lead_id: int, field: str, value: Any, expected_version: int | None = None
) -> Edited:
    if field not in EDITABLE:
        raise DomainError(ErrorCode.INVALID_VALUE, field="field", value=field)
    # None clears an optional field (undo of a first phone, email, birthday…).
    new = None if value is None and field not in ("name", "value") else _clean(field, value)
    async with in_transaction():
        lead = await get_visible(Lead, actor, lead_id)
        if expected_version is not None and lead.version != expected_version:
            raise DomainError(ErrorCode.STALE)
        old = getattr(lead, field)
        if field in ("phone", "email") and new and new != old:
            await _check_unique(actor, lead, field, new)
        setattr(lead, field, new)
        if field == "name":
            lead.name_key = fold(str(new))
        lead.version += 1
        await lead.save()
        if field in ("name", "phone", "email"):
            await index_record(
                "lead", lead.id, name=lead.name, phone=lead.phone, email=lead.email,
                tax_code=lead.tax_code, citizen_id=lead.citizen_id, owner=Ownership.of(lead),
            )  # fmt: skip
    return Edited(lead, field, old)


async def assignable_users(actor: Actor, name: str) -> list[User]:
    """Active employees `actor` manages whose name matches (every typed word starts a word)."""
    if not actor.is_manager:
        return []
    scope = {("id" if k == "owner_id" else k): v for k, v in scope_filter(actor).items()}
    words = name_words(name)
    users = await User.filter(active=True, **scope).order_by("id")
    hits = [u for u in users if words and name_matches(fold(u.full_name), words)]
    whole = [u for u in hits if all(w in fold(u.full_name).split() for w in words)]
    return whole or hits


@dataclass(frozen=True, slots=True)
class Reassigned:
    lead: Lead
    previous_owner_id: int
    owner_name: str


async def reassign_lead(actor: Actor, *, lead_id: int, owner_id: int) -> Reassigned:
    """Give the lead (and what hangs on it: its customer, open plans, deals, cases) to another
    employee the actor manages. Staff cannot hand their customers to others."""
    if not actor.is_manager:
        raise DomainError(ErrorCode.FORBIDDEN)
    async with in_transaction():
        lead = await get_visible(Lead, actor, lead_id)
        user = await User.get_or_none(id=owner_id, active=True)
        if user is None:
            raise DomainError(ErrorCode.NOT_FOUND)
        owner = Ownership(user.id, user.team_id, user.branch_id, user.region_id)
        if not can_see(actor, owner):
            raise DomainError(ErrorCode.NOT_FOUND)  # not someone this actor manages
        previous = lead.owner_id
        if previous == user.id:
            return Reassigned(lead, previous, user.full_name)
        columns = owner.columns()
        for key, val in columns.items():
            setattr(lead, key, val)
        lead.version += 1
        await lead.save()
        await SearchEntry.filter(kind="lead", ref_id=lead.id).update(**columns)
        if lead.contact_id:
            await Contact.filter(id=lead.contact_id).update(**columns)
            await SearchEntry.filter(kind="contact", ref_id=lead.contact_id).update(**columns)
        if lead.account_id:
            await Account.filter(id=lead.account_id).update(**columns)
            await SearchEntry.filter(kind="account", ref_id=lead.account_id).update(**columns)
        await Activity.filter(lead_id=lead.id, status="planned").update(**columns)
        await Opportunity.filter(lead_id=lead.id).update(**columns)
        await Complaint.filter(lead_id=lead.id, status__in=["new", "in_progress"]).update(**columns)
    return Reassigned(lead, previous, user.full_name)


async def discard_new_lead(actor: Actor, *, lead_id: int) -> Lead:
    """Take back a lead added by mistake ("hoàn tác" right after adding it): only while nothing
    hangs on it yet (no activity, deal, case, not converted); otherwise the change is STALE."""
    async with in_transaction():
        lead = await get_visible(Lead, actor, lead_id)
        busy = (
            lead.contact_id is not None
            or await Activity.filter(lead_id=lead.id).exists()
            or await Opportunity.filter(lead_id=lead.id).exists()
            or await Complaint.filter(lead_id=lead.id).exists()
        )
        if busy:
            raise DomainError(ErrorCode.STALE)
        await SearchEntry.filter(kind="lead", ref_id=lead.id).delete()
        # Its phone, email… are free again: re-adding the customer must not meet this lead.
        await customer_keys.release(lead.id)
        await lead.delete()
    return lead
