"""Treatment courses (#37): a paid (or confirmed, per setting) service line with N sessions opens
a course of N sessions — the customer's prepaid balance of that service."""

from __future__ import annotations

import calendar
import secrets
from dataclasses import dataclass
from datetime import date

from tortoise.transactions import in_transaction

from spacrm.core.actors import Actor
from spacrm.core.errors import DomainError, ErrorCode
from spacrm.core.models import Course, Order, OrderLine
from spacrm.core.permissions import ops_scoped


def add_months(day: date, months: int) -> date:
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


async def open_courses(order: Order) -> list[Course]:
    """One course per service line with sessions; a line that already has one is skipped (the
    unique index on order_line_id makes "exactly once" hold even under a race)."""
    lines = await OrderLine.filter(order_id=order.id, kind="service", sessions__gt=0)
    have = {
        c.order_line_id for c in await Course.filter(order_id=order.id).only("id", "order_line_id")
    }
    discount_pct = order.discount * 100 // order.subtotal if order.subtotal else 0
    made = []
    for line in lines:
        if line.id in have:
            continue
        per_session = line.amount // line.sessions
        made.append(await Course.create(
            name=line.name, lead_id=order.lead_id, customer_name=order.customer_name,
            order_id=order.id, order_line_id=line.id, service_id=line.item_id,
            site_branch_id=order.site_branch_id, sessions_total=line.sessions,
            expires_on=add_months(order.order_date, line.validity_months or 12),
            commission_pct=line.commission_pct, discount_pct=discount_pct,
            session_amount=per_session, commission_amount=per_session * line.commission_pct // 100,
            owner_id=order.owner_id, team_id=order.team_id, branch_id=order.branch_id,
            region_id=order.region_id,
        ))  # fmt: skip
    return made


async def courses_of(
    actor: Actor, *, lead_id: int, service: str | None = None, active_only: bool = False
) -> list[Course]:
    """A customer's courses the actor may see (a technician: the ones assigned to them)."""
    qs = ops_scoped(Course, actor, technician_field="technician_id").filter(lead_id=lead_id)
    if active_only:
        qs = qs.filter(status="active")
    rows = await qs.order_by("-id")
    if service:
        from spacrm.core.services.catalog import _fits, _words

        words = _words(service)
        rows = [c for c in rows if not words or _fits(words, _key(c.name))]
    return rows


def _key(name: str) -> str:
    from spacrm.core.textnorm import fold_words

    return fold_words(name)


async def get_course(actor: Actor, course_id: int) -> Course:
    course = await ops_scoped(Course, actor, technician_field="technician_id").get_or_none(
        id=course_id
    )
    if course is None:
        raise DomainError(ErrorCode.NOT_FOUND)
    return course


async def assign_technician(actor: Actor, *, course_id: int, technician_id: int | None) -> Course:
    """Give a course its technician (a user with the KTV flag of the course's branch), or none.
    The front desk of the branch and the managers who see the course may do it."""
    from spacrm.core.models import User

    course = await get_course(actor, course_id)
    if actor.is_technician and not actor.is_front_desk and not actor.is_manager:
        raise DomainError(ErrorCode.FORBIDDEN)
    if technician_id is not None:
        tech = await User.get_or_none(id=technician_id, active=True, is_technician=True)
        if tech is None or tech.branch_id != course.site_branch_id:
            raise DomainError(ErrorCode.NOT_FOUND)
    course.technician_id = technician_id
    course.version += 1
    await course.save(update_fields=["technician_id", "version", "updated_at"])
    return course


async def course_technicians(actor: Actor, course_id: int) -> tuple[Course, list[tuple[int, str]]]:
    """The course (as the actor sees it) and the technicians it may be given: active users with
    the KTV flag at the course's branch, by name."""
    from spacrm.core.models import User

    course = await get_course(actor, course_id)
    users = await User.filter(
        active=True, is_technician=True, branch_id=course.site_branch_id
    ).order_by("full_name")
    return course, [(u.id, u.full_name) for u in users]


@dataclass(frozen=True, slots=True)
class Transferred:
    source: Course
    target: Course
    sessions: int


async def transfer_sessions(
    actor: Actor, *, course_id: int, to_lead_id: int, sessions: int | None = None
) -> Transferred:
    """Move remaining sessions of a course to another customer (a manager's decision, #9).

    The receiver gets a course of her own (same service, price per session, commission, expiry
    and branch, linked to the same paid order); the giver's course keeps what she used and ends
    when nothing is left. A transferred course has no order line of its own: its
    `order_line_id` is minus its id (unique, never a real line)."""
    from spacrm.core import clock
    from spacrm.core.models import Lead
    from spacrm.core.permissions import Ownership, can_see
    from spacrm.core.settings import get_settings

    if not actor.is_manager:
        raise DomainError(ErrorCode.FORBIDDEN)
    await get_course(actor, course_id)  # visibility
    target = await Lead.get_or_none(id=to_lead_id)
    if target is None or not can_see(actor, target):
        raise DomainError(ErrorCode.NOT_FOUND)
    async with in_transaction():
        source = await Course.filter(id=course_id).select_for_update().get()
        if source.lead_id == target.id:
            raise DomainError(ErrorCode.TRANSFER_SAME_CUSTOMER, name=target.name)
        if source.status != "active" or source.sessions_left <= 0:
            raise DomainError(ErrorCode.COURSE_EMPTY, name=source.name)
        if source.expires_on is not None and source.expires_on < clock.today():
            if not get_settings().course_expired_allowed:
                raise DomainError(ErrorCode.COURSE_EXPIRED, name=source.name,
                                  day=source.expires_on.strftime("%d/%m/%Y"))  # fmt: skip
        count = source.sessions_left if sessions is None else sessions
        if not 1 <= count <= source.sessions_left:
            raise DomainError(ErrorCode.BAD_QUANTITY, value=str(count))
        note = f"Chuyển {count} buổi từ {source.customer_name} (liệu trình #{source.id})"
        made = await Course.create(
            name=source.name, lead_id=target.id, customer_name=target.name,
            order_id=source.order_id, order_line_id=-secrets.randbelow(10**9) - 10**9,
            service_id=source.service_id, site_branch_id=source.site_branch_id,
            sessions_total=count, expires_on=source.expires_on,
            technician_id=None, commission_pct=source.commission_pct,
            discount_pct=source.discount_pct, session_amount=source.session_amount,
            commission_amount=source.commission_amount, description=note,
            **Ownership.of(target).columns(),
        )  # fmt: skip
        await Course.filter(id=made.id).update(order_line_id=-made.id)
        made.order_line_id = -made.id
        source.sessions_total -= count
        if source.sessions_left == 0:
            source.status = "finished"
        gave = f"Chuyển {count} buổi cho {target.name} (liệu trình #{made.id})"
        source.description = "\n".join(filter(None, [source.description, gave]))
        source.version += 1
        await source.save()
    return Transferred(source, made, count)
