"""The morning summary (#10 scheduled reports): at `morning_report_at` (local time) every active
manager linked on a staff chat gets their scope's yesterday revenue and receipts, today's
appointments, overdue tasks and customers waiting for a staff reply. A unique (kind, user, day)
row, written in the same transaction as the queued message, makes it go out exactly once a day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from tortoise.functions import Sum

from spacrm.core import clock
from spacrm.core.actors import Role
from spacrm.core.models import Activity, Appointment, Conversation, Order, User, Voucher
from spacrm.core.permissions import ops_scoped, scoped
from spacrm.core.services import scheduled_sends
from spacrm.core.services.channels import staff_route
from spacrm.core.services.kpi import users_in_scope
from spacrm.core.services.users import actor_for
from spacrm.core.settings import get_settings

KIND = "morning"
MANAGERS = (Role.BOARD, Role.REGION, Role.BRANCH_DIRECTOR, Role.TEAM_LEAD)


@dataclass(frozen=True, slots=True)
class MorningSummary:
    user_id: int
    lang: str
    channel: str
    chat_id: str
    day: date
    sales_yesterday: int
    receipts_yesterday: int
    appointments_today: int
    overdue_tasks: int
    waiting_customers: int


def is_due(now: datetime) -> bool:
    """The morning reports' time (local) has come today."""
    return scheduled_sends.time_reached(get_settings().morning_report_at, now)


async def pending_morning_summaries() -> list[MorningSummary]:
    """The summaries due and not yet sent today. Nothing is claimed here:
    `scheduled_sends.claim_and_queue` claims each with its message."""
    now = clock.now()
    if not is_due(now):
        return []
    today = clock.today()
    sent = await scheduled_sends.claimed_users(KIND, today)
    out = []
    for user in await User.filter(active=True, role__in=list(MANAGERS)).order_by("id"):
        if user.id in sent:
            continue
        route = await staff_route(user.id)
        if route is None:
            continue
        out.append(await _figures(user, route, today, now))
    return out


async def _figures(
    user: User, route: tuple[str, str], today: date, now: datetime
) -> MorningSummary:
    actor = await actor_for(user)
    yesterday = today - timedelta(days=1)
    sold: list[Any] = await (
        ops_scoped(Order, actor)
        .filter(order_date=yesterday)
        .exclude(status="cancelled")
        .annotate(s=Sum("total"))
        .values_list("s", flat=True)
    )
    received: list[Any] = await (
        ops_scoped(Voucher, actor)
        .filter(voucher_date=yesterday, kind="receipt", status="done")
        .annotate(s=Sum("amount"))
        .values_list("s", flat=True)
    )
    appts = ops_scoped(Appointment, actor, technician_field="technician_id").filter(
        starts_at__gte=clock.at_local(today),
        starts_at__lt=clock.at_local(today + timedelta(days=1)),
        status__in=["booked", "confirmed"],
    )
    staff = await User.filter(users_in_scope(actor)).values_list("id", flat=True)
    return MorningSummary(
        user_id=user.id,
        lang=user.lang,
        channel=route[0],
        chat_id=route[1],
        day=today,
        sales_yesterday=int(sold[0] or 0) if sold else 0,
        receipts_yesterday=int(received[0] or 0) if received else 0,
        appointments_today=await appts.count(),
        overdue_tasks=await scoped(Activity, actor)
        .filter(status="planned", due_at__lt=now)
        .count(),
        waiting_customers=await Conversation.filter(
            state="handoff", assignee_id__in=list(staff) or [-1]
        ).count(),
    )
