"""Six weeks of the demo chain's life, for `spacrm init --demo`: orders of services, goods and
packages with their receipts (some left owing), courses and their sessions done by technicians
(consumables out of stock, commission accrued), a few no-shows, expenses, each team's KPI
targets for the month, and today's appointments, so the dashboard, every chart, the KPI report,
profit and debts, and the day's timeline show a spa's real month on a fresh `make run`.

Everything is written through the services staff use, with the clock pinned at each moment, so
every ledger agrees (gapless numbers, stock moves, commissions, sessions used). It is not part of
`load_demo` itself: the test suite's fixtures build on the bare demo chain and count from zero.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from spacrm.core import clock
from spacrm.core.actors import Actor, Role
from spacrm.core.errors import DomainError
from spacrm.core.models import (
    Appointment,
    Branch,
    CatalogItem,
    Course,
    Lead,
    Order,
    Package,
    Team,
    User,
)
from spacrm.core.services import bookings, kpi, sessions
from spacrm.core.services.expenses import write_expense
from spacrm.core.services.orders import OrderItemSpec, create_order
from spacrm.core.services.users import actor_for
from spacrm.core.services.vouchers import record_payment

DAYS = 42
EXPENSES = [
    ("Tiền điện tháng", 2_800_000, "transfer"),
    ("Mua khăn tắm", 650_000, "cash"),
    ("Mua nước uống cho khách", 240_000, "cash"),
    ("Sửa máy lạnh phòng VIP", 900_000, "cash"),
    ("In tờ rơi khuyến mãi", 1_200_000, "transfer"),
    ("Tiền nước", 450_000, "transfer"),
]
KPI_TARGETS = {
    "calls": 60,
    "meetings": 8,
    "new_leads": 15,
    "leads_converted": 5,
    "revenue": 40_000_000,
    "new_buyers": 6,
}


async def load_demo_history(seed: int = 20261130) -> None:
    """Only on a chain without orders yet (idempotent: a second `init --demo` adds nothing)."""
    if await Order.exists():
        return
    pinned = clock.now() if clock.is_frozen() else None
    real_now = clock.now()
    rng = random.Random(seed)
    try:
        for branch in await Branch.all().order_by("id"):
            await _branch_history(rng, branch, real_now)
        await _kpi_targets(real_now.astimezone(clock.TZ).date())
    finally:
        clock.freeze(pinned)


async def _branch_history(rng: random.Random, branch: Branch, real_now: datetime) -> None:
    desk_user = await User.filter(branch_id=branch.id, is_front_desk=True).first()
    if desk_user is None:
        return
    desk = await actor_for(desk_user)
    sellers = {u.id: u for u in await User.filter(branch_id=branch.id, active=True)}
    leads = await Lead.filter(branch_id=branch.id).order_by("id")
    if not leads:
        return
    services = await CatalogItem.filter(kind="service", active=True).order_by("id")
    goods = await CatalogItem.filter(kind="goods", active=True).order_by("id")
    packages = await Package.filter(active=True).order_by("id")
    today = real_now.astimezone(clock.TZ).date()
    buyers = rng.sample(leads, k=min(len(leads), 14))
    for offset in range(DAYS, 0, -1):
        day = today - timedelta(days=offset)
        for _ in range(rng.choice((0, 1, 1, 2))):
            lead = rng.choice(buyers)
            at = _at(day, rng.randrange(10, 19), rng.choice((0, 15, 30, 45)))
            clock.freeze(at)
            # Half the orders are rung up by the customer's own salesperson, half at the desk.
            owner = sellers.get(lead.owner_id) if lead.owner_id else None
            actor = await actor_for(owner) if owner and rng.random() < 0.5 else desk
            roll = rng.random()
            if roll < 0.3 and packages:
                spec = OrderItemSpec(package_id=rng.choice(packages).id)
            elif roll < 0.7:
                spec = OrderItemSpec(item_id=rng.choice(services).id)
            else:
                spec = OrderItemSpec(item_id=rng.choice(goods).id, quantity=rng.choice((1, 1, 2)))
            try:
                order = await create_order(actor, lead_id=lead.id, items=[spec])
            except DomainError:
                continue
            paid = rng.random()
            amount = order.total if paid < 0.8 else order.total // 2 if paid < 0.92 else 0
            if amount:
                method = rng.choice(("cash", "transfer", "transfer", "card"))
                await record_payment(desk, order_id=order.id, amount=amount, method=method)
        if offset % 7 == 3:
            reason, amount, method = rng.choice(EXPENSES)
            clock.freeze(_at(day, 17, 30))
            await write_expense(desk, reason=reason, amount=amount, method=method)
    await _sessions(rng, desk, branch, services, today, real_now)


async def _sessions(
    rng: random.Random,
    desk: Actor,
    branch: Branch,
    services: list[CatalogItem],
    today: date,
    real_now: datetime,
) -> None:
    """Sessions of the courses sold: done on the days after the sale, a few no-shows; then
    today's appointments (those whose time has passed are checked in or done)."""
    courses = await Course.filter(site_branch_id=branch.id, status="active").order_by("id")
    sold_on = dict(
        await Order.filter(id__in=[c.order_id for c in courses]).values_list("id", "order_date")
    )
    for course in courses:
        if course.lead_id is None or course.service_id is None:
            continue
        sold = sold_on[course.order_id]
        day = sold + timedelta(days=rng.randrange(1, 6))
        while day < today and rng.random() < 0.8:
            start = _at(day, rng.randrange(9, 19), rng.choice((0, 30)))
            appt = await _book(desk, course.lead_id, course.service_id, start)
            if appt is not None:
                clock.freeze(start + timedelta(minutes=5))
                if rng.random() < 0.08:
                    await sessions.mark_no_show(desk, appointment_id=appt.id)
                else:
                    await sessions.check_in(desk, appointment_id=appt.id)
                    clock.freeze(start + timedelta(minutes=appt_minutes(appt)))
                    await sessions.complete_session(desk, appointment_id=appt.id)
            day += timedelta(days=rng.randrange(5, 10))
    # Today's book: the courses' customers and a few pay-per-visit customers.
    plan = [(c.lead_id, c.service_id) for c in courses if c.lead_id and c.service_id][:5]
    extra = await Lead.filter(branch_id=branch.id, stage__in=("caring", "booked")).limit(3)
    plan += [(lead.id, rng.choice(services).id) for lead in extra]
    hours = list(range(9, 20))
    rng.shuffle(hours)
    for (lead_id, service_id), hour in zip(plan, hours, strict=False):
        start = _at(today, hour, rng.choice((0, 30)))
        appt = await _book(desk, lead_id, service_id, start)
        if appt is not None and start + timedelta(minutes=10) < real_now:
            clock.freeze(start + timedelta(minutes=5))
            await sessions.check_in(desk, appointment_id=appt.id)
            end = start + timedelta(minutes=appt_minutes(appt))
            if end < real_now:  # over by now: done (one session less, stock out, commission)
                clock.freeze(end)
                await sessions.complete_session(desk, appointment_id=appt.id)


def appt_minutes(appt: Appointment) -> int:
    return max(10, int((appt.ends_at - appt.starts_at).total_seconds() // 60))


async def _book(desk: Actor, lead_id: int, service_id: int, start: datetime) -> Appointment | None:
    """Booked the evening before (bookings refuse the past); a full slot is simply skipped."""
    clock.freeze(start - timedelta(hours=14))
    try:
        booked = await bookings.book_appointment(
            desk, lead_id=lead_id, service_id=service_id, starts_at=start
        )
    except DomainError:
        return None
    return booked.appointment


async def _kpi_targets(today: date) -> None:
    """Each team's targets for this month, set by the chain's CEO."""
    ceo_user = await User.filter(role=Role.BOARD.value).order_by("id").first()
    if ceo_user is None:
        return
    ceo = await actor_for(ceo_user)
    start = today.replace(day=1)
    end = (start + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    for team in await Team.all().order_by("id"):
        try:
            await kpi.add_kpi(
                ceo, name=f"KPI tháng {start.month} — {team.name}", start=start, end=end,
                targets=KPI_TARGETS, team=team.code, commission_pct=2,
                description="Chỉ tiêu mẫu của chuỗi Lotus Spa",
            )  # fmt: skip
        except DomainError:
            continue


def _at(day: date, hour: int, minute: int) -> datetime:
    return clock.at_local(day, time(hour, minute))
