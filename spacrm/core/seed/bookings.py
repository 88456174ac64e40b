"""Demo resources for bookings and stock (#9, #34): rooms and beds, technicians with skills and
shifts, service buffers, and opening stock in every branch's warehouse.

Runs inside load_demo after the menu and the ops users (seed/menu.py). Per branch: a two-bed
care room, a single room, and a laser room used only for hair removal; two more technicians
(one works afternoons Mon–Sat, one does no laser).
"""

from __future__ import annotations

from spacrm.core.models import (
    Branch,
    CatalogItem,
    Room,
    RoomService,
    ServiceBuffer,
    StockMove,
    Team,
    TechnicianShift,
    TechnicianSkill,
    User,
    Warehouse,
)
from spacrm.core.textnorm import fold

LASER_CATEGORY = "Triệt lông"
# (login, full name, branch code, team code, profile): "all", "afternoon" (13–21h, Mon–Sat),
# "no_laser" (every service but hair removal).
TECHNICIANS = [
    ("ktv_q1b", "Nguyễn Thị Mai", "q1", "q1b", "afternoon"),
    ("ktv_q1c", "Võ Thị Thu", "q1", "q1b", "no_laser"),
    ("ktv_gvb", "Lâm Thị Hạnh", "gv", "gva", "no_laser"),
    ("ktv_hdb", "Đào Thị Yến", "hd", "hda", "afternoon"),
]
ROOMS = [("Phòng chăm sóc 1", 2, False), ("Phòng VIP", 1, False), ("Phòng laser", 1, True)]
# Opening stock per unit: liquids counted in ml get more.
STOCK_BY_UNIT = {"ml": 5000, "lần": 200, "cái": 500}


async def load_demo_bookings(password_hash: str) -> None:
    services = await CatalogItem.filter(kind="service").order_by("id")
    laser = [s.id for s in services if s.category == LASER_CATEGORY]
    for login, name, branch_code, team_code, _ in TECHNICIANS:
        branch = await Branch.get(code=branch_code)
        team = await Team.get(code=team_code)
        await User.create(
            login=login, email=f"{login}@lotus.example", full_name=name, name_key=fold(name),
            role="staff", region_id=branch.region_id, branch_id=branch.id, team_id=team.id,
            password_hash=password_hash, is_technician=True,
        )  # fmt: skip
    profiles = {login: profile for login, *_, profile in TECHNICIANS}
    skills = []
    for tech in await User.filter(is_technician=True):
        profile = profiles.get(tech.login, "all")
        for service in services:
            if profile == "no_laser" and service.id in laser:
                continue
            skills.append(TechnicianSkill(user_id=tech.id, service_id=service.id))
        if profile == "afternoon":
            for weekday in range(6):
                await TechnicianShift.create(
                    user_id=tech.id, weekday=weekday, start_min=13 * 60, end_min=21 * 60
                )
    await TechnicianSkill.bulk_create(skills)
    await ServiceBuffer.bulk_create([ServiceBuffer(service_id=sid, minutes=15) for sid in laser])
    products = await CatalogItem.filter(kind__in=("goods", "consumable")).order_by("id")
    for branch in await Branch.all().order_by("id"):
        for room_name, capacity, is_laser in ROOMS:
            room = await Room.create(
                branch_id=branch.id, name=room_name, name_key=fold(room_name), capacity=capacity
            )
            if is_laser:
                await RoomService.bulk_create(
                    [RoomService(room_id=room.id, service_id=sid) for sid in laser]
                )
        warehouse = await Warehouse.create(branch_id=branch.id, name=f"Kho {branch.name}")
        await StockMove.bulk_create(
            [
                StockMove(
                    product_id=p.id,
                    warehouse_id=warehouse.id,
                    kind="in",
                    unit_cost=p.cost,
                    qty_milli=STOCK_BY_UNIT.get(p.unit, 50 if p.kind == "consumable" else 20)
                    * 1000,
                    note="Tồn đầu kỳ",
                )
                for p in products
            ]
        )
