"""The all-in-one lead card (#22): everything about one lead on one screen."""

from __future__ import annotations

from dataclasses import dataclass

from spacrm.core import clock
from spacrm.core.actors import Actor
from spacrm.core.models import (
    Activity,
    Appointment,
    Complaint,
    Course,
    Lead,
    Opportunity,
    Order,
    User,
)
from spacrm.core.permissions import get_visible

SHOWN_COURSES = 2


@dataclass(frozen=True, slots=True)
class LeadCard:
    lead: Lead
    owner_name: str
    recent: list[Activity]
    planned: list[Activity]
    deals: list[Opportunity]
    open_complaints: int
    no_shows: int = 0  # appointments she missed (#9): the front desk calls before booking again
    next_appointment: Appointment | None = None
    # What the front desk asks before anything else: sessions left and money owed.
    courses: tuple[Course, ...] = ()
    owed: int = 0
    owed_orders: int = 0


async def lead_card(actor: Actor, lead_id: int) -> LeadCard:
    lead = await get_visible(Lead, actor, lead_id)
    owner = await User.get_or_none(id=lead.owner_id)
    recent = (
        await Activity.filter(lead_id=lead.id, status="done").order_by("-done_at", "-id").limit(3)
    )
    # A plan whose time passed stays (shown overdue) until it is done, moved or cancelled.
    planned = await Activity.filter(lead_id=lead.id, status="planned").order_by("due_at").limit(2)
    deals = await Opportunity.filter(lead_id=lead.id).order_by("-id").limit(3)
    complaints_q = Complaint.filter(status__in=["new", "in_progress"])
    contact_id = lead.contact_id
    open_complaints = await complaints_q.filter(lead_id=lead.id).count()
    if contact_id:
        open_complaints += await complaints_q.filter(contact_id=contact_id, lead_id=None).count()
    no_shows = await Appointment.filter(lead_id=lead.id, status="no_show").count()
    upcoming = (
        await Appointment.filter(
            lead_id=lead.id, status__in=("booked", "confirmed"), starts_at__gte=clock.now()
        )
        .order_by("starts_at")
        .first()
    )
    # The card shows the first courses to expire; a customer with many reads only those.
    courses = (
        await Course.filter(lead_id=lead.id, status="active")
        .order_by("expires_on", "id")
        .limit(SHOWN_COURSES)
    )
    owing = await Order.filter(
        lead_id=lead.id, status__in=("confirmed", "partly_paid")
    ).values_list("total", "paid")
    owed = [total - paid for total, paid in owing if total > paid]
    return LeadCard(
        lead, owner.full_name if owner else "?", recent, planned, deals, open_complaints,
        no_shows, upcoming, tuple(courses), sum(owed), len(owed),
    )  # fmt: skip
