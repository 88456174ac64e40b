"""Leads (#2, #22): create with duplicate checks, move through the pipeline, list, convert."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date

from tortoise.transactions import in_transaction

from spacrm.core import clock
from spacrm.core.actors import Actor
from spacrm.core.errors import DomainError, ErrorCode
from spacrm.core.models import Account, Contact, Lead, User
from spacrm.core.permissions import Ownership, can_see, get_visible, scoped
from spacrm.core.ports import ports
from spacrm.core.services import customer_keys
from spacrm.core.services.lead_fields import MAX_NAME as MAX_NAME
from spacrm.core.services.lead_fields import Identifiers as Identifiers
from spacrm.core.services.lead_fields import validate_identifiers as validate_identifiers
from spacrm.core.services.search import find_duplicates, index_record
from spacrm.core.services.users import ownership_for
from spacrm.core.stages import CONVERTED_STAGES, LEAD_STAGES
from spacrm.core.textnorm import fold, nfc

log = logging.getLogger(__name__)


async def check_duplicates(actor: Actor, ids: Identifiers) -> None:
    """Raise when a record with the same identifier exists anywhere in the company.

    A duplicate the actor may see is named; one they may not see is only reported as existing,
    except to a colleague of the same team, who is told whose customer it is (not the record)."""
    dupes = await find_duplicates(
        phone=ids.phone, email=ids.email, tax_code=ids.tax_code, citizen_id=ids.citizen_id
    )
    visible = [d for d in dupes if can_see(actor, d)]
    if visible:
        d = visible[0]
        raise DomainError(ErrorCode.DUPLICATE_VISIBLE, kind=d.kind, ref_id=d.ref_id)
    if dupes:
        mate = next((d for d in dupes if actor.team_id and d.team_id == actor.team_id), None)
        if mate is not None:
            owner = await User.get_or_none(id=mate.owner_id)
            if owner is not None:
                raise DomainError(ErrorCode.DUPLICATE_HIDDEN, owner=owner.full_name)
        raise DomainError(ErrorCode.DUPLICATE_HIDDEN)


async def create_lead(
    actor: Actor,
    *,
    name: str,
    phone: str | None = None,
    email: str | None = None,
    company: str | None = None,
    source: str | None = None,
    needs: str | None = None,
    address: str | None = None,
    area: str | None = None,
    tax_code: str | None = None,
    citizen_id: str | None = None,
    potential_level: str | None = None,
    value: int = 0,
    owner_id: int | None = None,
) -> Lead:
    name = nfc(name or "")
    if not name or not fold(name).strip():
        raise DomainError(ErrorCode.NAME_REQUIRED)
    if len(name) > MAX_NAME:
        raise DomainError(ErrorCode.INVALID_VALUE, field="name", value=name[:20] + "…")
    if value < 0:
        raise DomainError(ErrorCode.INVALID_VALUE, field="value", value=str(value))
    ids = validate_identifiers(phone=phone, email=email, tax_code=tax_code, citizen_id=citizen_id)
    await check_duplicates(actor, ids)
    if ids.tax_code and ports.company_lookup is not None and not (company and address):
        # A failed lookup never blocks saving: the adapter returns None on any error.
        details = await ports.company_lookup.lookup(ids.tax_code)
        if details is not None:
            company = company or details.name
            address = address or details.address
    owner = await ownership_for(owner_id or actor.user_id)
    if owner_id and owner_id != actor.user_id and not can_see(actor, owner):
        raise DomainError(ErrorCode.FORBIDDEN)
    try:
        async with in_transaction():
            lead = await Lead.create(
                name=name,
                name_key=fold(name),
                company=nfc(company) if company else None,
                email=ids.email,
                phone=ids.phone,
                address=nfc(address) if address else None,
                area=area,
                source=fold(source) if source else None,
                needs=nfc(needs) if needs else None,
                tax_code=ids.tax_code,
                citizen_id=ids.citizen_id,
                potential_level=potential_level,
                value=value,
                **owner.columns(),
            )
            await index_record(
                "lead", lead.id, name=name, phone=ids.phone, email=ids.email,
                tax_code=ids.tax_code, citizen_id=ids.citizen_id, owner=owner,
            )  # fmt: skip
    except customer_keys.KeyTaken:  # raised by index_record: the unique customer_key index
        # A concurrent creator committed the same identifier first (rolled back here): the
        # same answer as the check above would have given a moment later.
        await check_duplicates(actor, ids)
        raise DomainError(ErrorCode.DUPLICATE_HIDDEN) from None
    return lead


@dataclass(frozen=True, slots=True)
class Moved:
    lead: Lead
    previous: str  # the stage before, for "Hoàn tác" and the headline


async def move_lead(
    actor: Actor, *, lead_id: int, stage: str, expected_version: int | None = None
) -> Moved:
    """Change the stage; reaching Booked converts the lead into a customer in the same transaction."""
    if stage not in LEAD_STAGES:
        raise DomainError(ErrorCode.INVALID_STAGE, value=stage)
    async with in_transaction():
        lead = await get_visible(Lead, actor, lead_id)
        if expected_version is not None and lead.version != expected_version:
            raise DomainError(ErrorCode.STALE)
        if lead.stage == stage:
            raise DomainError(ErrorCode.SAME_STAGE, stage=stage)
        previous = lead.stage
        lead.stage = stage
        lead.version += 1
        if stage in CONVERTED_STAGES and lead.contact_id is None:
            await _convert(lead)
        await lead.save()
    return Moved(lead, previous)


async def _convert(lead: Lead) -> None:
    owner = Ownership.of(lead)
    account = None
    if lead.company or lead.tax_code:
        account = await Account.create(
            name=lead.company or lead.name,
            name_key=fold(lead.company or lead.name),
            tax_code=lead.tax_code,
            address=lead.address,
            **owner.columns(),
        )
        await index_record(
            "account", account.id, name=account.name, phone=None, email=None,
            tax_code=lead.tax_code, citizen_id=None, owner=owner,
        )  # fmt: skip
    contact = await Contact.create(
        name=lead.name,
        name_key=lead.name_key,
        email=lead.email,
        phone=lead.phone,
        address=lead.address,
        company=lead.company,
        citizen_id=lead.citizen_id,
        description=lead.needs,
        account=account,
        **owner.columns(),
    )
    # The contact is the same person as the lead: keep one search row (the lead's) per identifier.
    lead.contact = contact
    lead.account = account
    lead.converted_at = clock.now()


async def list_leads(
    actor: Actor,
    *,
    stage: str | None = None,
    sort: str = "created",
    order: str = "desc",
    offset: int = 0,
    limit: int = 5,
) -> tuple[list[Lead], int]:
    if stage is not None and stage not in LEAD_STAGES:
        raise DomainError(ErrorCode.INVALID_STAGE, value=stage)
    qs = scoped(Lead, actor)
    if stage:
        qs = qs.filter(stage=stage)
    column = "value" if sort == "value" else "created_at"
    prefix = "-" if order == "desc" else ""
    total = await qs.count()
    rows = await qs.order_by(prefix + column, prefix + "id").offset(offset).limit(limit)
    return rows, total


async def birthdays(actor: Actor, first: date, last: date) -> list[tuple[date, Lead]]:
    """The customers the actor may see whose birthday falls from `first` to `last` (the day it
    falls on, by day): a spa greets them or offers a birthday treatment. Birthdays are kept as
    "1990-03-08" or "--03-08" (no year); the dead leads are left out."""
    rows = await scoped(Lead, actor).filter(birthday__isnull=False).exclude(stage="dead")
    found = []
    for lead in rows:
        try:
            month, day = int(str(lead.birthday)[-5:-3]), int(str(lead.birthday)[-2:])
        except ValueError:
            continue
        for year in range(first.year, last.year + 1):
            try:
                on = date(year, month, day)
            except ValueError:  # 29/02 in a year without it: the 28th
                on = date(year, month, 28)
            if first <= on <= last:
                found.append((on, lead))
                break
    return sorted(found, key=lambda item: (item[0], item[1].name))


async def leads_by_ids(actor: Actor, ids: list[int]) -> list[Lead]:
    rows = await scoped(Lead, actor).filter(id__in=ids)
    order = {i: n for n, i in enumerate(ids)}
    return sorted(rows, key=lambda r: order.get(r.id, 0))


async def lead_for_customer(actor: Actor, kind: str, ref_id: int) -> Lead | None:
    """The lead a converted customer came from, given its account (`kind` "account") or contact
    (any other kind); None when there is none the actor may see."""
    column = "account_id" if kind == "account" else "contact_id"
    return await scoped(Lead, actor).filter(**{column: ref_id}).first()
