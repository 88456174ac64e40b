"""Bookings fixtures: a fresh branch per test (its own technicians, rooms and services, so tests
sharing the database never see each other's appointments), a frozen clock (Wed 25/11/2026 10:00)."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date, datetime, time

import pytest

from spacrm.core import clock
from spacrm.core.actors import Actor, Role
from spacrm.core.models import (
    Branch,
    CatalogItem,
    Course,
    Lead,
    Region,
    Room,
    RoomService,
    ServiceBuffer,
    ServiceConsumable,
    Team,
    TechnicianSkill,
    User,
)
from spacrm.core.services.leads import create_lead
from spacrm.core.services.users import actor_for
from spacrm.core.textnorm import fold
from tests.conftest import new_phone
from tests.frozen import frozen_clock_at

_seq = itertools.count(1)
NOW = datetime(2026, 11, 25, 10, 0)  # a Wednesday
THU = date(2026, 11, 26)


def at(day: date, hhmm: str) -> datetime:
    return clock.at_local(day, time.fromisoformat(hhmm))


frozen_clock = frozen_clock_at(NOW)


@dataclass
class Spa:
    n: int
    branch: Branch
    director: Actor
    desk: Actor
    seller: Actor
    techs: list[User]
    rooms: list[Room]
    facial: CatalogItem  # 60 min, 500.000 ₫, 10 %, buffer 10 (setting), any room
    laser: CatalogItem  # 20 min, laser room only, buffer 15
    gel: CatalogItem  # consumable, 30 ml per laser session

    async def lead(self, name: str = "Lan") -> Lead:
        return await create_lead(self.seller, name=f"{name} {self.n}", phone=new_phone())

    async def course(
        self, lead: Lead, service: CatalogItem, sessions: int = 10, **kw: object
    ) -> Course:
        n = next(_seq)
        fields: dict[str, object] = dict(
            name=f"{service.name} {sessions} buổi", lead_id=lead.id, customer_name=lead.name,
            order_id=900000 + n, order_line_id=900000 + n + self.n * 1000, service_id=service.id,
            site_branch_id=self.branch.id, sessions_total=sessions, commission_pct=10,
            session_amount=250_000, commission_amount=25_000, owner_id=lead.owner_id,
            team_id=lead.team_id, branch_id=lead.branch_id, region_id=lead.region_id,
        )  # fmt: skip
        fields.update(kw)
        return await Course.create(**fields)


async def _user(n: int, login: str, name: str, branch: Branch, team: Team, **kw: object) -> User:
    return await User.create(
        login=f"{login}{n}", email=f"{login}{n}@bk.example", full_name=name, name_key=fold(name),
        role=kw.pop("role", "staff"), region_id=branch.region_id, branch_id=branch.id,
        team_id=team.id, **kw,
    )  # fmt: skip


async def _item(n: int, kind: str, name: str, **kw: object) -> CatalogItem:
    return await CatalogItem.create(
        code=f"BK{n}-{kind[:3]}-{next(_seq)}", name=name, name_key=fold(name), kind=kind, **kw
    )


@pytest.fixture
async def spa(db: str, personas: dict[str, Actor]) -> Spa:
    n = next(_seq)
    tag = "z" + "".join(chr(97 + int(d)) for d in str(n))  # letters: "thử 6" would read as Friday
    region = await Region.get(code="rm_nam")
    branch = await Branch.create(name=f"Chi nhánh thử {n}", code=f"bk{n}", region=region)
    team = await Team.create(name=f"BK-{n}", code=f"bk{n}a", branch=branch)
    director = await _user(n, "bkd", f"Giám Đốc {n}", branch, team, role=Role.BRANCH_DIRECTOR)
    await Branch.filter(id=branch.id).update(director_id=director.id)
    desk = await _user(n, "bkl", f"Lễ Tân {n}", branch, team, is_front_desk=True)
    seller = await _user(n, "bks", f"Sale {n}", branch, team)
    techs = [
        await _user(n, "bkh", "Phạm Thị Hoa", branch, team, is_technician=True),
        await _user(n, "bkm", "Trần Thị Mai", branch, team, is_technician=True),
    ]
    facial = await _item(n, "service", f"Chăm sóc da {tag}", duration_min=60, price=500_000,
                         commission_pct=10, category="Da")  # fmt: skip
    laser = await _item(n, "service", f"Triệt lông {tag}", duration_min=20, price=300_000,
                        commission_pct=10, category="Triệt lông")  # fmt: skip
    gel = await _item(n, "consumable", f"Gel làm mát {tag}", unit="ml")
    await ServiceConsumable.create(service_id=laser.id, consumable_id=gel.id, quantity=30)
    await ServiceBuffer.create(service_id=laser.id, minutes=15)
    for tech in techs:
        await TechnicianSkill.create(user_id=tech.id, service_id=facial.id)
    await TechnicianSkill.create(user_id=techs[0].id, service_id=laser.id)  # only Hoa does laser
    rooms = [
        await Room.create(branch_id=branch.id, name="Phòng 1", name_key="phong 1", capacity=1),
        await Room.create(branch_id=branch.id, name="Phòng laser", name_key="phong laser"),
    ]
    await RoomService.create(room_id=rooms[1].id, service_id=laser.id)
    # The shared database's persona list covers every user (other suites walk over all of them).
    for user in (director, desk, seller, *techs):
        personas[user.login] = await actor_for(await User.get(id=user.id))
    return Spa(
        n=n, branch=branch, director=await actor_for(director), desk=await actor_for(desk),
        seller=await actor_for(seller), techs=techs, rooms=rooms, facial=facial, laser=laser,
        gel=gel,
    )  # fmt: skip
