"""The all-in-one lead view of the console (#22): the card plus everything that hangs on it."""

from __future__ import annotations

from dataclasses import dataclass

from tortoise.expressions import Q

from spacrm.core.actors import Actor
from spacrm.core.models import (
    Activity,
    Attachment,
    Complaint,
    Course,
    Lead,
    Opportunity,
    Order,
    User,
)
from spacrm.core.permissions import get_visible, scope_filter
from spacrm.core.services.attachments import add_attachment
from spacrm.core.services.file_types import sniff

LIMIT = 50


@dataclass(frozen=True, slots=True)
class LeadView:
    lead: Lead
    owner_name: str
    activities: list[Activity]
    plans: list[Activity]
    deals: list[Opportunity]
    courses: list[Course]
    orders: list[Order]
    complaints: list[Complaint]
    attachments: list[Attachment]


async def lead_view(actor: Actor, lead_id: int) -> LeadView:
    """Everything about one lead the actor may see ("not found" outside their scope)."""
    lead = await get_visible(Lead, actor, lead_id)
    owner = await User.get_or_none(id=lead.owner_id)
    done = Activity.filter(lead_id=lead.id, status="done").order_by("-done_at", "-id")
    plans = Activity.filter(lead_id=lead.id, status="planned").order_by("due_at", "id")
    mine = Q(lead_id=lead.id)
    if lead.contact_id:  # cases opened on the customer's contact before it had a lead link
        mine = mine | Q(contact_id=lead.contact_id, lead_id=None)
    complaints = Complaint.filter(mine)
    return LeadView(
        lead,
        owner.full_name if owner else "?",
        list(await done.limit(LIMIT)),
        list(await plans.limit(LIMIT)),
        list(await Opportunity.filter(lead_id=lead.id).order_by("-id").limit(LIMIT)),
        list(await Course.filter(lead_id=lead.id).order_by("-id").limit(LIMIT)),
        list(await Order.filter(lead_id=lead.id).order_by("-order_date", "-id").limit(LIMIT)),
        list(await complaints.order_by("-id").limit(LIMIT)),
        # Attachments hang on the lead: visible to whoever sees it (they carry its scope).
        list(await Attachment.filter(lead_id=lead.id).order_by("-id").limit(LIMIT)),
    )


async def attach_checked(actor: Actor, lead_id: int, filename: str, content: bytes) -> Attachment:
    """An upload from the console: its bytes must be an allowed type matching its extension."""
    await get_visible(Lead, actor, lead_id)  # "not found" before anything about the file
    kind = sniff(filename, content)
    att = await add_attachment(
        actor, kind="lead", record_id=lead_id, filename=filename, content=content
    )
    if att.content_type != kind:  # store what the bytes are, not what the name guessed
        att.content_type = kind
        await att.save(update_fields=["content_type"])
    return att


async def board_owners(actor: Actor) -> list[tuple[int, str]]:
    """The people whose leads the actor sees (the kanban's owner filter): the same scope rule."""
    scope = {("id" if k == "owner_id" else k): v for k, v in scope_filter(actor).items()}
    users = await User.filter(active=True, **scope).order_by("full_name").limit(500)
    return [(u.id, u.full_name) for u in users]
