"""Opportunities (#5): Needs analysis → Proposal → Negotiation → Won / Lost, default probabilities."""

from __future__ import annotations

from datetime import date

from tortoise.transactions import in_transaction

from spacrm.core.actors import Actor
from spacrm.core.errors import DomainError, ErrorCode
from spacrm.core.models import Lead, Opportunity
from spacrm.core.permissions import Ownership, get_visible
from spacrm.core.stages import OPPORTUNITY_STAGES
from spacrm.core.textnorm import nfc


def _stage(stage: str) -> str:
    if stage not in OPPORTUNITY_STAGES:
        raise DomainError(ErrorCode.INVALID_STAGE, value=stage)
    return stage


async def create_deal(
    actor: Actor,
    *,
    lead_id: int,
    name: str,
    amount: int = 0,
    stage: str = "needs_analysis",
    close_date: date | None = None,
    campaign: str | None = None,
    probability: int | None = None,
    description: str | None = None,
) -> Opportunity:
    """A deal on a lead; it follows the lead's customer (contact/account) once converted."""
    if amount < 0:
        raise DomainError(ErrorCode.INVALID_VALUE, field="amount", value=str(amount))
    if probability is not None and not 0 <= probability <= 100:
        raise DomainError(ErrorCode.INVALID_VALUE, field="probability", value=str(probability))
    stage = _stage(stage)
    async with in_transaction():
        lead = await get_visible(Lead, actor, lead_id)
        return await Opportunity.create(
            name=nfc(name) or lead.name,
            amount=amount,
            stage=stage,
            probability=OPPORTUNITY_STAGES[stage] if probability is None else probability,
            close_date=close_date,
            campaign=campaign,
            description=description,
            lead=lead,
            contact_id=lead.contact_id,
            account_id=lead.account_id,
            **Ownership.of(lead).columns(),
        )


async def move_deal(actor: Actor, *, deal_id: int, stage: str) -> Opportunity:
    """Changing stage resets the probability to the stage's default (the usual CRM behaviour)."""
    stage = _stage(stage)
    deal = await get_visible(Opportunity, actor, deal_id)
    deal.stage = stage
    deal.probability = OPPORTUNITY_STAGES[stage]
    deal.version += 1
    await deal.save()
    return deal
