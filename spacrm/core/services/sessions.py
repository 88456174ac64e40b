"""The day of an appointment (#9, DESIGN §8): check-in, completion, no-show.

Completion is one transaction: the appointment becomes done, one session of the customer's course
is redeemed, the service's consumables leave the branch's warehouse as ledger moves, and the
technician's commission is accrued. The appointment row is locked first, so a double press or
two chats completing the same session at once redeem exactly one session.
"""

from __future__ import annotations

from dataclasses import dataclass

from tortoise.expressions import F
from tortoise.transactions import in_transaction

from spacrm.core import clock
from spacrm.core.actors import Actor
from spacrm.core.errors import DomainError, ErrorCode
from spacrm.core.models import (
    Appointment,
    Commission,
    Course,
    Lead,
    Order,
    ServiceConsumable,
    StockMove,
)
from spacrm.core.permissions import can_see
from spacrm.core.services import locks, stock
from spacrm.core.services.availability import service_info
from spacrm.core.services.bookings import course_for, follow_stage, get_appointment, owner_actor
from spacrm.core.services.orders import OrderItemSpec, create_order
from spacrm.core.settings import get_settings


@dataclass(frozen=True, slots=True)
class Completed:
    appointment: Appointment
    course: Course | None
    commission: Commission
    moves: list[StockMove]
    order: Order | None = None  # a visit without a course: its pay-per-visit order to be paid


async def _locked(actor: Actor, appointment_id: int, allowed: tuple[str, ...]) -> Appointment:
    await locks.lock_appointment(appointment_id)
    await get_appointment(actor, appointment_id)  # visibility
    appt = await Appointment.get(id=appointment_id)
    if appt.status not in allowed:
        raise DomainError(ErrorCode.WRONG_STATUS, status=appt.status)
    return appt


async def check_in(actor: Actor, *, appointment_id: int) -> Appointment:
    async with in_transaction():
        appt = await _locked(actor, appointment_id, ("booked", "confirmed"))
        # A customer "here" for an appointment of another day is a mix-up (or a walk-in that
        # needs its own booking): recording her as arrived would skew the day and the stage.
        if clock.local(appt.starts_at).date() != clock.today():
            raise DomainError(ErrorCode.CHECK_IN_NOT_TODAY, when=_when(appt))
        appt.status = "checked_in"
        appt.checked_in_at = clock.now()
        appt.version += 1
        await appt.save()
        await _follow_visit(actor, appt)
    return appt


async def confirm_appointment(actor: Actor | None, *, appointment_id: int) -> Appointment:
    """booked → confirmed: the customer said she will come (to the front desk, or by answering
    her reminder; then there is no staff actor). Confirming twice changes nothing."""
    async with in_transaction():
        if actor is not None:
            appt = await _locked(actor, appointment_id, ("booked", "confirmed"))
        else:
            await locks.lock_appointment(appointment_id)
            appt = await Appointment.get(id=appointment_id)
            if appt.status not in ("booked", "confirmed"):
                raise DomainError(ErrorCode.WRONG_STATUS, status=appt.status)
        if appt.status == "booked":
            appt.status = "confirmed"
            appt.version += 1
            await appt.save()
    return appt


async def mark_no_show(actor: Actor, *, appointment_id: int) -> Appointment:
    async with in_transaction():
        appt = await _locked(actor, appointment_id, ("booked", "confirmed"))
        # Not coming can only be known once the time has passed, and the count warns future
        # bookings: an early press would brand a customer who may still come.
        if appt.starts_at > clock.now():
            raise DomainError(ErrorCode.NO_SHOW_TOO_EARLY, when=_when(appt))
        appt.status = "no_show"
        appt.version += 1
        await appt.save()
    return appt


async def _redeem(appt: Appointment) -> Course | None:
    """Use one session of the linked course, checking the course's rules."""
    if appt.course_id is None and appt.lead_id is not None:
        # Booked before the course existed (the package was paid after the booking): the session
        # is still hers to redeem, not a second visit billed at list price.
        held = await course_for(appt.lead_id, appt.service_id)
        if held is not None:
            appt.course_id = held.id
            appt.amount = held.session_amount
    if appt.course_id is None:
        return None
    course = await Course.filter(id=appt.course_id).select_for_update().get()
    settings = get_settings()
    if course.expires_on is not None and course.expires_on < clock.today():
        if not settings.course_expired_allowed:
            raise DomainError(ErrorCode.COURSE_EXPIRED, name=course.name,
                              day=course.expires_on.strftime("%d/%m/%Y"))  # fmt: skip
    if (
        course.site_branch_id not in (None, appt.site_branch_id)
        and not settings.course_other_branch
    ):
        raise DomainError(ErrorCode.COURSE_OTHER_BRANCH, name=course.name)
    # Conditional update: never more sessions used than bought, whatever runs in parallel.
    updated = await Course.filter(
        id=course.id, status="active", sessions_used__lt=F("sessions_total")
    ).update(sessions_used=F("sessions_used") + 1)
    if not updated:
        raise DomainError(ErrorCode.COURSE_EMPTY, name=course.name)
    await course.refresh_from_db()
    if course.sessions_used >= course.sessions_total:
        course.status = "finished"
        await course.save(update_fields=["status"])
    return course


async def complete_session(actor: Actor, *, appointment_id: int) -> Completed:
    async with in_transaction():
        appt = await _locked(actor, appointment_id, ("booked", "confirmed", "checked_in"))
        if clock.local(appt.starts_at).date() > clock.today():
            raise DomainError(ErrorCode.SESSION_NOT_TODAY)
        course = await _redeem(appt)
        warehouse = await stock.warehouse_of(appt.site_branch_id)
        moves = []
        for use in await ServiceConsumable.filter(service_id=appt.service_id).order_by("id"):
            moves.append(await stock.record_move(
                product_id=use.consumable_id, warehouse=warehouse,
                qty_milli=-stock.to_milli(use.quantity), kind="session", actor_id=actor.user_id,
                appointment_id=appt.id, note=appt.service_name,
                idem_key=f"appt:{appt.id}:{use.consumable_id}",
            ))  # fmt: skip
        pct = course.commission_pct if course is not None else await _service_pct(appt.service_id)
        base = course.session_amount if course is not None else appt.amount
        # A course sold with a fixed commission per session keeps it; else the percentage.
        earned = (
            course.commission_amount if course and course.commission_amount else base * pct // 100
        )
        commission = await Commission.create(
            appointment_id=appt.id,
            technician_id=appt.technician_id,
            site_branch_id=appt.site_branch_id,
            course_id=course.id if course else None,
            service_id=appt.service_id,
            base_amount=base,
            commission_pct=pct,
            amount=earned,
            earned_on=clock.today(),
        )
        now = clock.now()
        appt.status = "done"
        appt.checked_in_at = appt.checked_in_at or now
        appt.done_at = now
        appt.version += 1
        await appt.save()
        order = None
        if course is None and appt.lead_id is not None:
            # Sales' own use case, inside this transaction: one confirmed line at list price. A
            # technician does not see the customer's card: the customer's owner sells it then.
            seller = actor if await _visible_lead(actor, appt.lead_id) else None
            order = await create_order(
                seller or await owner_actor(appt.lead_id), lead_id=appt.lead_id, items=[OrderItemSpec(item_id=appt.service_id)],
                note=f"#{appt.id}",
            )  # fmt: skip
        await _follow_visit(actor, appt)
    return Completed(appt, course, commission, moves, order)


async def _visible_lead(actor: Actor, lead_id: int) -> Lead | None:
    lead = await Lead.get_or_none(id=lead_id)
    return lead if lead is not None and can_see(actor, lead) else None


async def _follow_visit(actor: Actor, appt: Appointment) -> None:
    """The customer's stage follows the visit (In service). A technician works on her own
    appointments without seeing the customer's card: the visit is recorded, the stage is left
    to those who see the customer (as `follow_stage` does for a lead outside the sales scope)."""
    if appt.lead_id is None:
        return
    lead = await _visible_lead(actor, appt.lead_id)
    if lead is not None:
        await follow_stage(actor, lead, "in_service", ("potential", "caring", "booked", "dead"))


def _when(appt: Appointment) -> str:
    return clock.local(appt.starts_at).strftime("%H:%M %d/%m")


async def _service_pct(service_id: int) -> int:
    return (await service_info(service_id)).commission_pct
