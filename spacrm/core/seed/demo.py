"""The demo spa chain "Lotus Spa" (spacrm init --demo). Idempotent: a second run changes nothing."""

from __future__ import annotations

import random
from datetime import timedelta

from tortoise.transactions import in_transaction

from spacrm.core import clock
from spacrm.core.actors import Role
from spacrm.core.models import Activity, Branch, Complaint, Lead, Region, Team, User
from spacrm.core.permissions import Ownership
from spacrm.core.seed.menu import load_demo_ops
from spacrm.core.services.leads import _convert
from spacrm.core.services.search import index_record
from spacrm.core.textnorm import fold

DEMO_PASSWORD = "lotus123"

# (login, full name, role, region, branch, team)
USERS: list[tuple[str, str, Role, str | None, str | None, str | None]] = [
    ("ceo", "Trần Minh Tâm", Role.BOARD, None, None, None),
    ("admin", "Quản Trị Viên", Role.ADMIN, None, None, None),
    ("rm_nam", "Lê Hoàng Phúc", Role.REGION, "nam", None, None),
    ("bd_q1", "Nguyễn Thị Mỹ Linh", Role.BRANCH_DIRECTOR, "nam", "q1", None),
    ("tl_q1a", "Phạm Thu Hà", Role.TEAM_LEAD, "nam", "q1", "q1a"),
    ("st_q1a1", "Võ Ngọc Ánh", Role.STAFF, "nam", "q1", "q1a"),
    ("st_q1a2", "Đỗ Thị Hồng Nhung", Role.STAFF, "nam", "q1", "q1a"),
    ("tl_q1b", "Huỳnh Gia Bảo", Role.TEAM_LEAD, "nam", "q1", "q1b"),
    ("st_q1b1", "Bùi Thanh Trúc", Role.STAFF, "nam", "q1", "q1b"),
    ("bd_gv", "Đặng Quốc Huy", Role.BRANCH_DIRECTOR, "nam", "gv", None),
    ("tl_gva", "Trương Mai Anh", Role.TEAM_LEAD, "nam", "gv", "gva"),
    ("st_gva1", "Lý Thị Kim Ngân", Role.STAFF, "nam", "gv", "gva"),
    ("rm_bac", "Hoàng Văn Hải", Role.REGION, "bac", None, None),
    ("bd_hd", "Ngô Thị Thanh Hương", Role.BRANCH_DIRECTOR, "bac", "hd", None),
    ("tl_hda", "Vũ Đức Thắng", Role.TEAM_LEAD, "bac", "hd", "hda"),
    ("st_hda1", "Phan Thị Thảo", Role.STAFF, "bac", "hd", "hda"),
]

FAMILY = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Huỳnh",
    "Phan",
    "Vũ",
    "Võ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
    "Dương",
]
MIDDLE_F = ["Thị", "Ngọc", "Thu", "Thanh", "Minh", "Bảo", "Kim", "Mỹ", "Hoài", "Phương"]
MIDDLE_M = ["Văn", "Minh", "Quốc", "Đức", "Hoàng", "Gia", "Thành"]
GIVEN_F = [
    "Lan",
    "Hoa",
    "Mai",
    "Hương",
    "Thảo",
    "Trang",
    "Vy",
    "Linh",
    "Ngọc",
    "Hạnh",
    "Nhung",
    "Hằng",
    "Yến",
    "Quỳnh",
    "Thư",
    "Uyên",
    "Giang",
    "Trâm",
    "Diễm",
    "Phượng",
]
GIVEN_M = ["Minh", "Tuấn", "Nam", "Phúc", "Khoa", "Bình", "Hùng", "Long", "Dũng", "Sơn"]
SOURCES = ["facebook", "zalo", "website", "gioi thieu", "walk-in", "tiktok"]
NEEDS = [
    "trị mụn",
    "triệt lông",
    "gội đầu dưỡng sinh",
    "massage body",
    "trẻ hóa da",
    "chăm sóc da mặt",
    "tắm trắng",
    "nối mi",
]
STAGES = ["potential"] * 5 + ["caring"] * 4 + ["booked"] * 2 + ["in_service"] * 2 + ["dead"]
PREFIXES = ["090", "091", "093", "094", "097", "098", "086", "070", "077", "083", "035", "038"]


async def load_demo() -> bool:
    """Create the demo chain; returns False when it already exists."""
    if await Region.filter(code="rm_nam").exists():
        return False
    from spacrm.core.services.users import _hasher

    async with in_transaction():
        nam = await Region.create(name="Miền Nam", code="rm_nam")
        bac = await Region.create(name="Miền Bắc", code="rm_bac")
        regions = {"nam": nam, "bac": bac}
        branches = {
            "q1": await Branch.create(name="Quận 1", code="q1", region=nam),
            "gv": await Branch.create(name="Gò Vấp", code="gv", region=nam),
            "hd": await Branch.create(name="Hà Đông", code="hd", region=bac),
        }
        teams = {
            "q1a": await Team.create(name="Q1-A", code="q1a", branch=branches["q1"]),
            "q1b": await Team.create(name="Q1-B", code="q1b", branch=branches["q1"]),
            "gva": await Team.create(name="GV-A", code="gva", branch=branches["gv"]),
            "hda": await Team.create(name="HD-A", code="hda", branch=branches["hd"]),
        }
        password_hash = _hasher.hash(DEMO_PASSWORD)
        users: dict[str, User] = {}
        for login, name, role, reg, br, tm in USERS:
            users[login] = await User.create(
                login=login,
                email=f"{login}@lotus.example",
                full_name=name,
                name_key=fold(name),
                role=role.value,
                region_id=regions[reg].id if reg else None,
                branch_id=branches[br].id if br else None,
                team_id=teams[tm].id if tm else None,
                password_hash=password_hash,
            )
        for code, login in (("q1", "bd_q1"), ("gv", "bd_gv"), ("hd", "bd_hd")):
            await Branch.filter(id=branches[code].id).update(director_id=users[login].id)
        for code, login in (
            ("q1a", "tl_q1a"),
            ("q1b", "tl_q1b"),
            ("gva", "tl_gva"),
            ("hda", "tl_hda"),
        ):
            await Team.filter(id=teams[code].id).update(lead_id=users[login].id)
        await _demo_leads([u for u in users.values() if u.role in ("staff", "team_lead")])
        await load_demo_ops(password_hash)  # sales: the menu, front desk and technicians
    return True


async def _demo_leads(owners: list[User]) -> None:
    rng = random.Random(20261125)
    now = clock.now()
    used_phones: set[str] = set()
    for n in range(60):
        owner = owners[n % len(owners)]
        female = rng.random() < 0.8
        name = " ".join(
            [
                rng.choice(FAMILY),
                rng.choice(MIDDLE_F if female else MIDDLE_M),
                rng.choice(GIVEN_F if female else GIVEN_M),
            ]
        )
        phone = ""
        while not phone or phone in used_phones:
            phone = rng.choice(PREFIXES) + f"{rng.randrange(10**7):07d}"
        used_phones.add(phone)
        ownership = Ownership(owner.id, owner.team_id, owner.branch_id, owner.region_id)
        owned = ownership.columns()
        company = (
            rng.choice(["Công ty TNHH Hoa Sen", "Công ty CP Mây Xanh"]) if n % 12 == 0 else None
        )
        lead = await Lead.create(
            name=name,
            name_key=fold(name),
            phone=phone,
            email=f"{fold(name).split()[-1]}{n}@gmail.com" if n % 3 == 0 else None,
            company=company,
            source=rng.choice(SOURCES),
            needs=rng.choice(NEEDS),
            stage=rng.choice(STAGES),
            value=rng.choice([0, 500_000, 1_500_000, 3_000_000, 5_000_000, 12_000_000]),
            **owned,
        )
        created = now - timedelta(days=rng.randrange(0, 60), hours=rng.randrange(0, 10))
        await Lead.filter(id=lead.id).update(created_at=created)
        await index_record(
            "lead",
            lead.id,
            name=name,
            phone=phone,
            email=lead.email,
            tax_code=None,
            citizen_id=None,
            owner=ownership,
        )
        counts = {"call": 0, "meeting": 0, "email": 0, "quote_email": 0}
        for _ in range(rng.randrange(0, 5)):
            kind = rng.choice(["call", "call", "call", "meeting", "email", "quote_email"])
            counts[kind] += 1
            done = now - timedelta(days=rng.randrange(0, 21), hours=rng.randrange(0, 8))
            await Activity.create(
                kind=kind,
                status="done",
                note=rng.choice(
                    [
                        "Tư vấn qua điện thoại",
                        "Khách hỏi giá gói 10 buổi",
                        "Gửi bảng giá",
                        "Khách hẹn cuối tuần ghé",
                    ]
                ),
                done_at=done,
                lead=lead,
                **owned,
            )
        if lead.stage in ("potential", "caring") and rng.random() < 0.5:
            due = now + timedelta(days=rng.randrange(1, 10), hours=rng.randrange(0, 6))
            await Activity.create(
                kind=rng.choice(["call", "meeting"]),
                status="planned",
                note="Gọi lại tư vấn",
                due_at=due,
                lead=lead,
                **owned,
            )
        await Lead.filter(id=lead.id).update(
            calls=counts["call"],
            meetings=counts["meeting"],
            emails=counts["email"],
            quote_emails=counts["quote_email"],
        )
        if lead.stage in ("booked", "in_service"):
            await _convert(lead)
            await lead.save()
        if n in (4, 17):
            await Complaint.create(
                title="Khách phàn nàn da bị kích ứng sau buổi peel",
                status="new",
                lead_id=lead.id,
                **owned,
            )
