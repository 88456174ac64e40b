"""Cases (#15): a complaint opens one; new → in_progress → resolved → closed."""

from __future__ import annotations

from spacrm.core import clock
from spacrm.core.models import Complaint
from spacrm.core.services.users import owner_fields

STATUSES = ("new", "in_progress", "resolved", "closed")


async def open_case(
    *, title: str, owner_id: int, description: str | None = None, lead_id: int | None = None
) -> Complaint:
    return await Complaint.create(
        title=title[:300], description=description, lead_id=lead_id, **await owner_fields(owner_id)
    )


async def open_case_for_lead(lead_id: int) -> Complaint | None:
    return await Complaint.filter(lead_id=lead_id, status__in=["new", "in_progress"]).order_by("-id").first()


async def mark_first_response(case: Complaint) -> None:
    """The first staff answer to the customer starts the case's work."""
    if case.first_response_at is None:
        case.first_response_at = clock.now()
        if case.status == "new":
            case.status = "in_progress"
        await case.save(update_fields=["first_response_at", "status", "updated_at"])
