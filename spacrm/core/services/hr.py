"""Leave and overtime with approval (#12, seed #28/#29).

A request goes to one approver: the requester's team lead, else the branch director, else the
board. The approver is told in chat (Duyệt / Từ chối buttons, through the outbox) and by email;
the requester is told the outcome. Approved full-day leave of a technician becomes days off in
the booking engine. Balances count half-days (`halves`) so they stay integers.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from spacrm.core import clock
from spacrm.core.actors import Actor, Role
from spacrm.core.errors import DomainError, ErrorCode
from spacrm.core.models import (
    Appointment,
    Branch,
    Holiday,
    LeaveRequest,
    OrderTask,
    OvertimeEntry,
    PayRate,
    Team,
    TechnicianDayOff,
    User,
)
from spacrm.core.ports import ports
from spacrm.core.services import outbox
from spacrm.core.services.channels import staff_route
from spacrm.core.services.kpi import users_in_scope
from spacrm.core.services.reminders import open_terminals
from spacrm.core.settings import get_settings
from spacrm.core.textnorm import fold

PARTS = ("full", "morning", "afternoon")
OPEN = ("pending", "approved")
NOON = time(12, 0)

# Dated payroll figures (vietnam.md §4): (valid from, value); a PayRate row overrides them.
DEFAULT_RATES: dict[str, list[tuple[date, int]]] = {
    "ot_weekday_pct": [(date(2021, 1, 1), 150)],
    "ot_rest_day_pct": [(date(2021, 1, 1), 200)],
    "ot_holiday_pct": [(date(2021, 1, 1), 300)],
    "night_extra_pct": [(date(2021, 1, 1), 30)],
    "insurance_employee_bp": [(date(2021, 1, 1), 1050)],  # 8 + 1.5 + 1 % in basis points
    "insurance_cap": [(date(2024, 7, 1), 46_800_000)],  # 20 × base salary 2.340.000
    "pit_self": [(date(2020, 7, 1), 11_000_000), (date(2026, 1, 1), 15_500_000)],
    "pit_dependant": [(date(2020, 7, 1), 4_400_000), (date(2026, 1, 1), 6_200_000)],
    # Overtime caps (BLLĐ art. 107): 40 h a month, 200 h a year (300 h in the listed sectors,
    # set by a PayRate row). Pending and approved hours count, so a cap is never passed later.
    "ot_month_cap_hours": [(date(2021, 1, 1), 40)],
    "ot_year_cap_hours": [(date(2021, 1, 1), 200)],
}


async def rate(key: str, day: date) -> int:
    row = await PayRate.filter(key=key, valid_from__lte=day).order_by("-valid_from").first()
    if row is not None:
        return int(row.value)
    dated = [v for since, v in DEFAULT_RATES[key] if since <= day]
    return dated[-1] if dated else DEFAULT_RATES[key][0][1]


@dataclass(slots=True)
class Clash:
    starts_at: datetime
    customer_name: str
    service_name: str


@dataclass(slots=True)
class LeaveOutcome:
    request: LeaveRequest
    left_halves: int  # paid leave left this year after this request
    approver_name: str
    clashes: list[Clash] = field(default_factory=list)


async def holidays(day_from: date, day_to: date) -> set[date]:
    return {h.day for h in await Holiday.filter(day__gte=day_from, day__lte=day_to)}


def _days(day_from: date, day_to: date) -> list[date]:
    return [day_from + timedelta(days=i) for i in range((day_to - day_from).days + 1)]


async def working_days(day_from: date, day_to: date) -> list[date]:
    """Days that are neither the weekly rest day nor a public holiday."""
    off = await holidays(day_from, day_to)
    rest = get_settings().weekly_day_off
    return [d for d in _days(day_from, day_to) if d.weekday() != rest and d not in off]


async def leave_left(user_id: int, year: int) -> int:
    """Paid leave half-days left in `year` (pending requests count as taken)."""
    taken = await LeaveRequest.filter(
        user_id=user_id, paid=True, status__in=OPEN,
        day_from__gte=date(year, 1, 1), day_from__lte=date(year, 12, 31),
    )  # fmt: skip
    return get_settings().annual_leave_days * 2 - sum(r.halves for r in taken)


async def approver_of(user: User) -> User | None:
    """Team lead, else branch director, else the first active board member (never themselves)."""
    ids: list[int] = []
    if user.team_id:
        team = await Team.get_or_none(id=user.team_id)
        if team and team.lead_id:
            ids.append(team.lead_id)
    if user.branch_id:
        branch = await Branch.get_or_none(id=user.branch_id)
        if branch and branch.director_id:
            ids.append(branch.director_id)
    for uid in ids:
        if uid != user.id:
            found = await User.get_or_none(id=uid, active=True)
            if found is not None:
                return found
    return (
        await User.filter(role=Role.BOARD, active=True).exclude(id=user.id).order_by("id").first()
    )


async def may_decide(actor: Actor, user: User) -> bool:
    """The requester's approver, or anyone above them in their line (never one's own request)."""
    if actor.user_id == user.id:
        return False
    if actor.sees_all:
        return True
    if actor.role == Role.TEAM_LEAD:
        team = await Team.get_or_none(id=user.team_id) if user.team_id else None
        return team is not None and team.lead_id == actor.user_id
    if actor.role == Role.BRANCH_DIRECTOR:
        return user.branch_id in actor.branch_ids
    if actor.role == Role.REGION:
        return user.region_id == actor.region_id
    return False


async def clashes(user_id: int, day_from: date, day_to: date, part: str) -> list[Clash]:
    start = clock.at_local(day_from, time(0, 0))
    end = clock.at_local(day_to + timedelta(days=1), time(0, 0))
    if part == "afternoon":
        start = clock.at_local(day_from, NOON)
    elif part == "morning":
        end = clock.at_local(day_from, NOON)
    rows = await Appointment.filter(
        technician_id=user_id, status__in=("booked", "confirmed"),
        starts_at__lt=end, ends_at__gt=start,
    ).order_by("starts_at")  # fmt: skip
    return [Clash(a.starts_at, a.customer_name, a.service_name) for a in rows]


async def request_leave(
    actor: Actor, *, day_from: date, day_to: date | None = None, part: str = "full",
    paid: bool = True, reason: str = "",
) -> LeaveOutcome:  # fmt: skip
    day_to = day_to or day_from
    if part not in PARTS:
        raise DomainError(ErrorCode.INVALID_VALUE, value=part)
    if (
        day_to < day_from
        or (part != "full" and day_to != day_from)
        or (day_to - day_from).days > 60
    ):
        raise DomainError(ErrorCode.LEAVE_RANGE)
    today = clock.today()
    if day_from < today - timedelta(days=get_settings().leave_past_days):
        raise DomainError(ErrorCode.LEAVE_PAST, days=get_settings().leave_past_days)
    workdays = await working_days(day_from, day_to)
    halves = len(workdays) * (2 if part == "full" else 1)
    if not halves:
        raise DomainError(ErrorCode.LEAVE_NO_WORKDAY)
    async with in_transaction():
        # One row lock per person: two requests typed at once can't both pass the checks.
        user = await User.filter(id=actor.user_id).select_for_update().get()
        mine = await LeaveRequest.filter(
            user_id=user.id, status__in=OPEN, day_to__gte=min(day_from, date(day_from.year, 1, 1))
        )
        for other in mine:
            if (
                other.day_from <= day_to
                and other.day_to >= day_from
                and (other.part == "full" or part == "full" or other.part == part)
            ):
                raise DomainError(ErrorCode.LEAVE_OVERLAP, day=other.day_from.strftime("%d/%m"))
        left = get_settings().annual_leave_days * 2 - sum(
            r.halves for r in mine if r.paid and r.day_from.year == day_from.year
        )
        if paid and halves > left:
            raise DomainError(ErrorCode.LEAVE_BALANCE, left=days_text(left),
                              wanted=days_text(halves))  # fmt: skip
        approver = await approver_of(user)
        req = await LeaveRequest.create(
            user_id=user.id, day_from=day_from, day_to=day_to, part=part, paid=paid,
            halves=halves, reason=reason[:300], approver_id=approver.id if approver else None,
        )  # fmt: skip
        found = await clashes(user.id, day_from, day_to, part)
        left_after = left - halves if paid else left
        if approver is not None:
            params = _leave_params(user, req, left_after) | {
                "clashes": "; ".join(
                    f"{clock.local(c.starts_at):%d/%m %H:%M} {c.customer_name}" for c in found
                ) or "-",
            }  # fmt: skip
            await _notify(approver, "leave.ask", params, [("btn.approve", f"lv:a:{req.id}"),
                                                          ("btn.reject", f"lv:r:{req.id}")],
                          email=True)  # fmt: skip
    return LeaveOutcome(req, left_after, approver.full_name if approver else "", found)


def days_text(halves: int) -> str:
    return str(halves // 2) if halves % 2 == 0 else f"{halves / 2:.1f}".replace(".", ",")


def _leave_params(user: User, req: LeaveRequest, left: int) -> dict[str, Any]:
    span = req.day_from.strftime("%d/%m/%Y")
    if req.day_to != req.day_from:
        span += " – " + req.day_to.strftime("%d/%m/%Y")
    return {
        "name": user.full_name, "span": span, "part": req.part, "days": days_text(req.halves),
        "paid": "paid" if req.paid else "unpaid", "reason": req.reason or "-",
        "left": days_text(left), "id": req.id,
    }  # fmt: skip


async def _notify(
    user: User, key: str, params: dict[str, Any], buttons: list[tuple[str, str]],
    *, email: bool = False,
) -> None:  # fmt: skip
    """Queue a chat notice (and an email) in the caller's transaction; texts come from intents/."""
    translate = ports.translate
    if translate is None:
        return
    lang = user.lang
    local = {k: translate(lang, f"leave.{v}") if k in ("part", "paid") else v
             for k, v in params.items()}  # fmt: skip
    text = translate(lang, key, **local)
    terminals = await open_terminals(user.id)
    route = ("terminal", terminals[0]) if terminals else await staff_route(user.id)
    if route is not None:
        rows = (
            [[[translate(lang, label), payload] for label, payload in buttons]] if buttons else []
        )
        await outbox.enqueue(route[0], route[1], {"text": text, "buttons": rows})
    if email and user.email:
        subject = translate(lang, key + ".subject", **local)
        await outbox.enqueue("email", user.email, {"subject": subject, "text": text})


async def _decide(
    actor: Actor, model: type[LeaveRequest] | type[OvertimeEntry], row_id: int, approve: bool
) -> tuple[Any, User]:
    """The steps a leave and an overtime decision share: lock the row, refuse one's own request,
    check the actor's line, still pending (a withdrawn one says so), then mark it decided."""
    row: Any = await model.filter(id=row_id).select_for_update().first()
    if row is None:
        raise DomainError(ErrorCode.NOT_FOUND)
    user = await User.get(id=row.user_id)
    if actor.user_id == user.id:
        raise DomainError(ErrorCode.OWN_REQUEST)
    if not await may_decide(actor, user):
        raise DomainError(ErrorCode.FORBIDDEN)
    if row.status == "withdrawn":
        raise DomainError(ErrorCode.REQUEST_WITHDRAWN, name=user.full_name)
    if row.status != "pending":
        raise DomainError(ErrorCode.REQUEST_DECIDED, status=row.status)
    row.status = "approved" if approve else "rejected"
    row.decided_by_id, row.decided_at = actor.user_id, clock.now()
    await row.save(update_fields=["status", "decided_by_id", "decided_at"])
    return row, user


@dataclass(slots=True)
class LeaveDecision:
    request: LeaveRequest
    clashes: list[Clash] = field(default_factory=list)  # appointments inside approved leave


async def decide_leave(actor: Actor, *, request_id: int, approve: bool) -> LeaveRequest:
    return (await decide_leave_full(actor, request_id=request_id, approve=approve)).request


async def decide_leave_full(actor: Actor, *, request_id: int, approve: bool) -> LeaveDecision:
    """Approve or reject; approved leave of a technician blocks those days (or that half day) in
    the booking engine, and the appointments it clashes with are named."""
    found: list[Clash] = []
    async with in_transaction():
        req, user = await _decide(actor, LeaveRequest, request_id, approve)
        if approve and user.is_technician:
            await _block_days(user.id, req)
        if approve:
            found = await clashes(user.id, req.day_from, req.day_to, req.part)
        left = await leave_left(user.id, req.day_from.year)
        params = _leave_params(user, req, left) | {"by": actor.name}
        await _notify(user, "leave.approved" if approve else "leave.rejected", params, [])
    return LeaveDecision(req, found)


async def _block_days(user_id: int, req: LeaveRequest) -> None:
    """Days off for the booking engine: a half day blocks that half only, the other half of the
    same day already off makes it a full day."""
    for day in await working_days(req.day_from, req.day_to):
        row = await TechnicianDayOff.get_or_none(user_id=user_id, day=day)
        if row is None:
            await TechnicianDayOff.create(user_id=user_id, day=day, part=req.part,
                                          reason=f"leave #{req.id}")  # fmt: skip
        elif row.part != "full" and row.part != req.part:
            row.part = "full"
            await row.save(update_fields=["part"])


async def _unblock_days(req: LeaveRequest) -> None:
    """Free the days withdrawn leave blocked; other approved leave on those days (the other half
    of a day) is blocked again, days off not made by leave are kept."""
    await TechnicianDayOff.filter(
        user_id=req.user_id,
        day__gte=req.day_from,
        day__lte=req.day_to,
        reason__startswith="leave #",
    ).delete()
    others = await LeaveRequest.filter(
        user_id=req.user_id, status="approved", day_from__lte=req.day_to, day_to__gte=req.day_from
    ).exclude(id=req.id)
    for other in others:
        await _block_days(req.user_id, other)


async def withdraw_leave(actor: Actor, *, request_id: int) -> LeaveRequest:
    """One's own request, while pending or approved leave not begun yet; the approver is told
    and the days it blocked in the booking engine are freed."""
    async with in_transaction():
        req = await LeaveRequest.filter(id=request_id).select_for_update().first()
        if req is None or req.user_id != actor.user_id:
            raise DomainError(ErrorCode.NOT_FOUND)
        started = req.status == "approved" and req.day_from <= clock.today()
        if req.status not in OPEN or started:
            raise DomainError(ErrorCode.REQUEST_DECIDED, status=req.status)
        was = req.status
        req.status = "withdrawn"
        await req.save(update_fields=["status"])
        if was == "approved":
            await _unblock_days(req)
        user = await User.get(id=req.user_id)
        told = await User.get_or_none(id=req.decided_by_id or req.approver_id or 0)
        if told is not None:
            left = await leave_left(user.id, req.day_from.year)
            # By email too: the ask went there, so the approver may only read their mail.
            await _notify(told, "leave.withdrawn", _leave_params(user, req, left), [], email=True)
    return req


async def withdraw_overtime(actor: Actor, *, entry_id: int) -> OvertimeEntry:
    """One's own overtime while it waits for approval; the approver is told."""
    async with in_transaction():
        entry = await OvertimeEntry.filter(id=entry_id).select_for_update().first()
        if entry is None or entry.user_id != actor.user_id:
            raise DomainError(ErrorCode.NOT_FOUND)
        if entry.status != "pending":
            raise DomainError(ErrorCode.REQUEST_DECIDED, status=entry.status)
        entry.status = "withdrawn"
        await entry.save(update_fields=["status"])
        told = await User.get_or_none(id=entry.approver_id or 0)
        if told is not None:
            user = await User.get(id=entry.user_id)
            await _notify(told, "ot.withdrawn", _ot_params(user, entry), [], email=True)
    return entry


async def own_open(
    actor: Actor, *, overtime: bool, day: date | None
) -> list[LeaveRequest] | list[OvertimeEntry]:
    """The actor's requests that may still be withdrawn (on `day` when given), newest first."""
    if overtime:
        rows = await OvertimeEntry.filter(user_id=actor.user_id, status="pending").order_by("-id")
        return [r for r in rows if day is None or r.day == day]
    today = clock.today()
    found = [
        r for r in await LeaveRequest.filter(user_id=actor.user_id, status__in=OPEN,
                                             day_to__gte=today).order_by("-id")
        if (r.status == "pending" or r.day_from > today)
        and (day is None or r.day_from <= day <= r.day_to)
    ]  # fmt: skip
    return found


@dataclass(frozen=True, slots=True)
class Away:
    """Someone off in a period: their leave (pending ones too, marked), with their name."""

    request: LeaveRequest
    name: str


async def away_between(actor: Actor, day_from: date, day_to: date) -> list[Away]:
    """Leave (approved or pending) overlapping the days, of the people the actor works with: the
    board everyone, others their branches (their own branch for staff), by first day and name."""
    users = User.filter(active=True)
    if not actor.sees_all:
        branches = set(actor.branch_ids)
        if actor.home_branch_id is not None:
            branches.add(actor.home_branch_id)
        users = users.filter(branch_id__in=list(branches))
    names = {u.id: u.full_name for u in await users}
    rows = await LeaveRequest.filter(
        user_id__in=list(names), status__in=OPEN, day_from__lte=day_to, day_to__gte=day_from
    )
    found = [Away(r, names[r.user_id]) for r in rows]
    return sorted(found, key=lambda a: (a.request.day_from, a.name))


async def pending_leave(actor: Actor, *, name_key: str, day: date | None) -> list[LeaveRequest]:
    """Pending requests the actor may decide, of people whose name contains `name_key`."""
    users = {u.id: u for u in await User.filter(name_key__contains=name_key, active=True)}
    rows = await LeaveRequest.filter(user_id__in=list(users), status="pending").order_by("id")
    if day is not None:
        rows = [r for r in rows if r.day_from <= day <= r.day_to]
    return [r for r in rows if await may_decide(actor, users[r.user_id])]


async def pending_overtime(actor: Actor, *, name_key: str, day: date | None) -> list[OvertimeEntry]:
    """Pending overtime the actor may decide, of people whose name contains `name_key`."""
    users = {u.id: u for u in await User.filter(name_key__contains=name_key, active=True)}
    rows = await OvertimeEntry.filter(user_id__in=list(users), status="pending").order_by("id")
    if day is not None:
        rows = [r for r in rows if r.day == day]
    return [r for r in rows if await may_decide(actor, users[r.user_id])]


async def day_kind(day: date) -> str:
    if await Holiday.exists(day=day):
        return "holiday"
    return "rest_day" if day.weekday() == get_settings().weekly_day_off else "weekday"


async def overtime_rate(day: date, night: bool) -> tuple[str, int]:
    """% of the hourly wage: OT rate, and at night + 30 % + 20 % of the day-time rate of that
    day (100 % on a working day, else the day's OT rate) — vietnam.md §4."""
    kind = await day_kind(day)
    pct = await rate(f"ot_{kind}_pct", day)
    if night:
        daytime = 100 if kind == "weekday" else pct
        pct += await rate("night_extra_pct", day) + daytime * 20 // 100
    return kind, pct


async def log_overtime(
    actor: Actor, *, day: date, hours: float, night: bool = False, note: str = ""
) -> OvertimeEntry:
    minutes = round(hours * 60)
    settings = get_settings()
    if minutes <= 0 or minutes > settings.overtime_max_hours * 60:
        raise DomainError(ErrorCode.OVERTIME_HOURS, max=settings.overtime_max_hours)
    today = clock.today()
    if day < today - timedelta(days=settings.leave_past_days) or day > today + timedelta(days=31):
        raise DomainError(ErrorCode.LEAVE_PAST, days=settings.leave_past_days)
    kind, pct = await overtime_rate(day, night)
    async with in_transaction():
        # The person's row is locked so two entries typed at once can't both pass the caps.
        user = await User.filter(id=actor.user_id).select_for_update().get()
        await _check_caps(user.id, day, minutes)
        approver = await approver_of(user)
        entry = await OvertimeEntry.create(
            user_id=user.id, day=day, minutes=minutes, day_kind=kind, night=night, rate_pct=pct,
            note=note[:300], approver_id=approver.id if approver else None,
        )  # fmt: skip
        if approver is not None:
            await _notify(approver, "ot.ask", _ot_params(user, entry),
                          [("btn.approve", f"ov:a:{entry.id}"), ("btn.reject", f"ov:r:{entry.id}")],
                          email=True)  # fmt: skip
    return entry


async def _check_caps(user_id: int, day: date, minutes: int) -> None:
    """Refuse overtime that would pass the month's or the year's cap (pending counts too)."""
    rows = await OvertimeEntry.filter(
        user_id=user_id, status__in=OPEN, day__gte=date(day.year, 1, 1),
        day__lte=date(day.year, 12, 31),
    ).only("day", "minutes")  # fmt: skip
    in_month = sum(r.minutes for r in rows if r.day.month == day.month)
    in_year = sum(r.minutes for r in rows)
    for used, cap_key, period in (
        (in_month, "ot_month_cap_hours", f"{day:%m/%Y}"),
        (in_year, "ot_year_cap_hours", f"{day:%Y}"),
    ):
        cap = await rate(cap_key, day)
        if used + minutes > cap * 60:
            raise DomainError(ErrorCode.OVERTIME_CAP, period=period, cap=cap,
                              used=hours_text(used), left=hours_text(max(0, cap * 60 - used)))  # fmt: skip


def _ot_params(user: User, entry: OvertimeEntry) -> dict[str, Any]:
    return {"name": user.full_name, "day": entry.day.strftime("%d/%m/%Y"),
            "hours": hours_text(entry.minutes), "pct": entry.rate_pct, "id": entry.id}  # fmt: skip


def hours_text(minutes: int) -> str:
    return str(minutes // 60) if minutes % 60 == 0 else f"{minutes / 60:.2f}".rstrip("0")


async def decide_overtime(actor: Actor, *, entry_id: int, approve: bool) -> OvertimeEntry:
    async with in_transaction():
        entry, user = await _decide(actor, OvertimeEntry, entry_id, approve)
        params = _ot_params(user, entry) | {"by": actor.name}
        await _notify(user, "ot.approved" if approve else "ot.rejected", params, [])
    assert isinstance(entry, OvertimeEntry)
    return entry


async def record_order_task(
    actor: Actor, *, order_number: str, details: str, login: str | None = None,
    name: str | None = None, commission: int = 0, commission_bp: int | None = None,
    day: date | None = None,
) -> OrderTask:  # fmt: skip
    """Work on an order the actor may see (#30), by a person of the order's branch (anyone for
    the board), named by login or by name, with its commission: an amount, or `commission_bp`
    hundredths of a percent of the order's total (5 % = 500), rounded once, half up. A cancelled
    order takes no more work."""
    from spacrm.core.services.orders import get_order

    order = await get_order(actor, number=order_number)
    if order.status == "cancelled":
        raise DomainError(ErrorCode.ORDER_CANCELLED, number=order.number)
    if commission_bp is not None:
        if not 0 < commission_bp <= 10_000:
            raise DomainError(ErrorCode.BAD_AMOUNT, value=f"{commission_bp / 100:g}%")
        commission = (int(order.total) * commission_bp + 5_000) // 10_000
    if commission < 0:
        raise DomainError(ErrorCode.BAD_AMOUNT, value=commission)
    if not details.strip():
        raise DomainError(ErrorCode.INVALID_VALUE, value=details)
    user = await _task_person(actor, order.site_branch_id, login=login, name=name)
    if not actor.sees_all and user.branch_id != order.site_branch_id:
        raise DomainError(ErrorCode.FORBIDDEN)
    return await OrderTask.create(order_id=order.id, user_id=user.id, day=day or clock.today(),
                                  details=details.strip()[:300], commission=commission,
                                  commission_bp=commission_bp, created_by_id=actor.user_id)  # fmt: skip


async def person_name(user_id: int) -> str:
    user = await User.get_or_none(id=user_id)
    return user.full_name if user else ""


async def _task_person(
    actor: Actor, branch_id: int | None, *, login: str | None, name: str | None
) -> User:
    """By login; by name among the order branch's people ("Hoa" ends "Phạm Thị Hoa" before it is
    inside another name). Two people answering to the name: asked, not guessed."""
    if login:
        user = await User.get_or_none(login=login.strip().lower(), active=True)
        if user is None:
            raise DomainError(ErrorCode.UNKNOWN_LOGIN, login=login)
        return user
    key = fold(name or "").strip()
    if not key:
        raise DomainError(ErrorCode.ORDER_TASK_PERSON)
    people = User.filter(active=True, name_key__contains=key)
    if not actor.sees_all or branch_id is not None:
        people = people.filter(branch_id=branch_id)
    found = await people.order_by("id").limit(20)
    best = [u for u in found if u.name_key == key or u.name_key.endswith(" " + key)] or found
    if not best:
        raise DomainError(ErrorCode.EMPLOYEE_NOT_FOUND, employee=name)
    if len(best) > 1:
        raise DomainError(ErrorCode.ORDER_TASK_WHO, names=", ".join(u.full_name for u in best[:5]))
    return best[0]


async def colleague_named(
    actor: Actor, candidates: Collection[str], subject: str = ""
) -> str | None:
    """Who a leave or overtime message is about when it is not the sender: the full name of an
    active colleague whose given name is one of `candidates` (folded: the words the parser found
    that may be a name, "ktv Hoa mai nghỉ", "cho Mai nghỉ thứ 6") or `subject` (the name the
    message opens with, "Hồng nghỉ phép thứ 7"); else `subject` as typed when it is not a word of
    the sender's own name; else None. Colleagues are the sender's branch, or for a manager
    without one (a region, the board) everyone they may see. A request sent in chat is always
    the sender's own: filed from a message about someone else it would take the wrong person's
    days."""
    key = fold(subject).strip()
    own = set(fold(actor.name).split())
    others = set(candidates) - own
    if key in own:
        key = ""  # "Hoa xin nghỉ" from Hoa: her own
    if not key and not others:
        return None
    scope = (
        Q(branch_id=actor.home_branch_id)
        if actor.home_branch_id is not None
        else users_in_scope(actor)
    )
    by_given: dict[str, str] = {}
    for user in await User.filter(scope, active=True).exclude(id=actor.user_id):
        given = fold(user.full_name).split()[-1:] if user.full_name else []
        if given:
            by_given.setdefault(given[0], user.full_name)
    if key:  # the one the message is about comes first ("ktv Mai nghỉ, chuyển khách sang Hoa")
        return by_given.get(key, subject)
    return next((by_given[n] for n in sorted(others) if n in by_given), None)
    branch = actor.home_branch_id
    if branch is None:
        return None
    for user in await User.filter(branch_id=branch, active=True).exclude(id=actor.user_id):
        given = fold(user.full_name).split()[-1:] if user.full_name else []
        if given and given[0] in candidates:
            return user.full_name
    return None
