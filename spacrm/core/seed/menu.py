"""The demo spa menu (Lotus Spa): services, goods, consumables with per-session usage, packages.

Prices are typical of a mid-range Ho Chi Minh City spa in 2026 (VND). Loaded through the same
importer as `spacrm catalog import`, so the demo also exercises it.
"""

from __future__ import annotations

from spacrm.core.services.catalog import CatalogRow, ImportResult, import_catalog

# code, name, category, minutes, price, cost, commission %, consumables [(code, qty per session)]
SERVICES: list[tuple[str, str, str, int, int, int, int, list[tuple[str, float]]]] = [
    (
        "DV01",
        "Chăm sóc da cơ bản",
        "Chăm sóc da",
        60,
        350_000,
        80_000,
        10,
        [("VT01", 1), ("VT02", 5)],
    ),
    (
        "DV02",
        "Chăm sóc da chuyên sâu",
        "Chăm sóc da",
        90,
        650_000,
        150_000,
        10,
        [("VT01", 1), ("VT02", 8), ("VT03", 1)],
    ),
    (
        "DV03",
        "Trị mụn chuẩn y khoa",
        "Trị liệu da",
        75,
        450_000,
        100_000,
        12,
        [("VT01", 1), ("VT04", 2)],
    ),
    (
        "DV04",
        "Trị nám tàn nhang",
        "Trị liệu da",
        60,
        800_000,
        200_000,
        12,
        [("VT03", 1), ("VT05", 2)],
    ),
    ("DV05", "Peel da sinh học", "Trị liệu da", 45, 900_000, 220_000, 12, [("VT06", 1)]),
    (
        "DV06",
        "Cấy trắng collagen",
        "Trẻ hóa da",
        60,
        1_200_000,
        300_000,
        12,
        [("VT03", 1), ("VT07", 1)],
    ),
    ("DV07", "Trẻ hóa da RF", "Trẻ hóa da", 60, 1_500_000, 250_000, 10, [("VT02", 5)]),
    ("DV08", "Nâng cơ HIFU", "Trẻ hóa da", 90, 3_500_000, 600_000, 8, [("VT02", 10)]),
    ("DV09", "Điện di vitamin C", "Chăm sóc da", 45, 400_000, 90_000, 10, [("VT05", 1)]),
    (
        "DV10",
        "Massage body đá nóng",
        "Massage",
        90,
        500_000,
        80_000,
        15,
        [("VT08", 30), ("VT09", 1)],
    ),
    (
        "DV11",
        "Massage body thảo dược",
        "Massage",
        75,
        450_000,
        70_000,
        15,
        [("VT08", 25), ("VT10", 1)],
    ),
    ("DV12", "Massage body", "Massage", 60, 350_000, 50_000, 15, [("VT08", 20)]),
    ("DV13", "Massage mặt", "Massage", 30, 200_000, 30_000, 15, [("VT08", 5)]),
    ("DV14", "Massage chân", "Massage", 45, 250_000, 30_000, 15, [("VT08", 10)]),
    ("DV15", "Gội đầu dưỡng sinh", "Gội đầu", 60, 180_000, 30_000, 15, [("VT11", 20), ("VT12", 1)]),
    ("DV16", "Gội đầu thảo dược", "Gội đầu", 45, 150_000, 25_000, 15, [("VT11", 20), ("VT10", 1)]),
    ("DV17", "Triệt lông nách", "Triệt lông", 20, 300_000, 40_000, 10, [("VT13", 10), ("VT12", 1)]),
    ("DV18", "Triệt lông mép", "Triệt lông", 15, 200_000, 30_000, 10, [("VT13", 5)]),
    (
        "DV19",
        "Triệt lông chân",
        "Triệt lông",
        45,
        800_000,
        100_000,
        10,
        [("VT13", 30), ("VT12", 2)],
    ),
    ("DV20", "Triệt lông tay", "Triệt lông", 40, 700_000, 90_000, 10, [("VT13", 25), ("VT12", 2)]),
    (
        "DV21",
        "Triệt lông bikini",
        "Triệt lông",
        30,
        600_000,
        80_000,
        10,
        [("VT13", 15), ("VT12", 1)],
    ),
    (
        "DV22",
        "Tắm trắng toàn thân",
        "Tắm trắng",
        90,
        900_000,
        250_000,
        12,
        [("VT14", 1), ("VT12", 2)],
    ),
    ("DV23", "Tắm trắng phi thuyền", "Tắm trắng", 60, 700_000, 200_000, 12, [("VT14", 1)]),
    ("DV24", "Tẩy tế bào chết body", "Tắm trắng", 45, 300_000, 60_000, 15, [("VT15", 1)]),
    ("DV25", "Nối mi classic", "Mi", 90, 300_000, 60_000, 20, [("VT16", 1)]),
    ("DV26", "Nối mi volume", "Mi", 120, 500_000, 100_000, 20, [("VT16", 2)]),
    ("DV27", "Uốn mi collagen", "Mi", 45, 250_000, 40_000, 20, [("VT17", 1)]),
    (
        "DV28",
        "Phun mày tán bột",
        "Phun xăm",
        120,
        2_500_000,
        300_000,
        15,
        [("VT18", 1), ("VT12", 2)],
    ),
    (
        "DV29",
        "Phun môi collagen",
        "Phun xăm",
        120,
        2_800_000,
        350_000,
        15,
        [("VT18", 1), ("VT12", 2)],
    ),
    ("DV30", "Xông hơi thảo dược", "Thư giãn", 30, 150_000, 20_000, 10, [("VT10", 1)]),
    ("DV31", "Chăm sóc vùng mắt", "Chăm sóc da", 45, 350_000, 70_000, 10, [("VT19", 1)]),
    ("DV32", "Giảm béo bụng công nghệ cao", "Giảm béo", 60, 1_000_000, 150_000, 10, [("VT20", 1)]),
]

# code, name, category, unit, price, cost, origin
GOODS: list[tuple[str, str, str, str, int, int, str]] = [
    ("SP01", "Kem chống nắng Anessa 60ml", "Chống nắng", "hộp", 520_000, 380_000, "Nhật Bản"),
    ("SP02", "Kem chống nắng La Roche-Posay 50ml", "Chống nắng", "tuýp", 480_000, 340_000, "Pháp"),
    ("SP03", "Serum vitamin C 30ml", "Serum", "chai", 650_000, 420_000, "Hàn Quốc"),
    ("SP04", "Serum HA cấp ẩm 30ml", "Serum", "chai", 550_000, 350_000, "Hàn Quốc"),
    ("SP05", "Sữa rửa mặt Cetaphil 250ml", "Làm sạch", "chai", 320_000, 220_000, "Canada"),
    ("SP06", "Tẩy trang Bioderma 500ml", "Làm sạch", "chai", 450_000, 300_000, "Pháp"),
    ("SP07", "Toner hoa hồng 200ml", "Làm sạch", "chai", 280_000, 160_000, "Việt Nam"),
    ("SP08", "Kem dưỡng ẩm ban đêm 50ml", "Dưỡng da", "hộp", 690_000, 450_000, "Hàn Quốc"),
    ("SP09", "Mặt nạ giấy collagen (hộp 10)", "Mặt nạ", "hộp", 250_000, 150_000, "Hàn Quốc"),
    ("SP10", "Mặt nạ ngủ 70ml", "Mặt nạ", "hộp", 380_000, 230_000, "Hàn Quốc"),
    ("SP11", "Kem trị mụn 15g", "Trị liệu", "tuýp", 290_000, 170_000, "Việt Nam"),
    ("SP12", "Kem trị nám 30g", "Trị liệu", "hộp", 850_000, 520_000, "Nhật Bản"),
    ("SP13", "Tinh dầu oải hương 10ml", "Tinh dầu", "chai", 180_000, 90_000, "Pháp"),
    ("SP14", "Tinh dầu sả chanh 10ml", "Tinh dầu", "chai", 120_000, 60_000, "Việt Nam"),
    ("SP15", "Dưỡng mi 5ml", "Mi", "tuýp", 350_000, 200_000, "Mỹ"),
    ("SP16", "Sữa tắm trắng 500ml", "Dưỡng thể", "chai", 420_000, 260_000, "Thái Lan"),
    ("SP17", "Kem dưỡng thể 200ml", "Dưỡng thể", "hộp", 390_000, 240_000, "Thái Lan"),
]

# code, name, unit, cost (per unit)
CONSUMABLES: list[tuple[str, str, str, int]] = [
    ("VT01", "Sữa rửa mặt dùng trong liệu trình", "lần", 8_000),
    ("VT02", "Gel siêu âm", "ml", 300),
    ("VT03", "Mặt nạ collagen", "miếng", 25_000),
    ("VT04", "Dung dịch sát khuẩn", "ml", 2_000),
    ("VT05", "Ampoule vitamin C", "ống", 30_000),
    ("VT06", "Dung dịch peel", "lọ", 120_000),
    ("VT07", "Tinh chất collagen", "ống", 80_000),
    ("VT08", "Dầu massage", "ml", 400),
    ("VT09", "Đá nóng (khấu hao)", "bộ", 10_000),
    ("VT10", "Túi thảo dược", "túi", 15_000),
    ("VT11", "Dầu gội thảo dược", "ml", 300),
    ("VT12", "Khăn dùng một lần", "cái", 3_000),
    ("VT13", "Gel làm mát triệt lông", "ml", 500),
    ("VT14", "Kem ủ trắng", "gói", 60_000),
    ("VT15", "Muối tẩy tế bào chết", "gói", 20_000),
    ("VT16", "Mi giả (khay)", "khay", 40_000),
    ("VT17", "Bộ uốn mi", "bộ", 25_000),
    ("VT18", "Mực phun", "lọ", 150_000),
    ("VT19", "Mặt nạ mắt", "cặp", 15_000),
    ("VT20", "Gel giảm béo", "gói", 50_000),
]

# code, name, price, validity months, parts [(item code, quantity, sessions)]
PACKAGES: list[tuple[str, str, int, int, list[tuple[str, float, int]]]] = [
    ("GOI01", "Triệt nách 10 buổi", 2_500_000, 18, [("DV17", 1, 10)]),
    ("GOI02", "Triệt nách 5 buổi", 1_350_000, 12, [("DV17", 1, 5)]),
    ("GOI03", "Combo chăm sóc da 5 buổi + 1 serum", 2_200_000, 6, [("DV01", 1, 5), ("SP03", 1, 0)]),
    ("GOI04", "Massage body 5 buổi", 1_500_000, 6, [("DV12", 1, 5)]),
    ("GOI05", "Massage body 10 buổi", 2_800_000, 12, [("DV12", 1, 10)]),
    ("GOI06", "Trị mụn 10 buổi", 3_900_000, 12, [("DV03", 1, 10)]),
    ("GOI07", "Triệt lông chân 8 buổi", 5_500_000, 18, [("DV19", 1, 8)]),
    ("GOI08", "Gội đầu dưỡng sinh 10 lần", 1_500_000, 6, [("DV15", 1, 10)]),
    ("GOI09", "Tắm trắng 6 buổi", 4_800_000, 6, [("DV22", 1, 6)]),
    ("GOI10", "Trẻ hóa da RF 6 buổi + kem dưỡng", 8_500_000, 12, [("DV07", 1, 6), ("SP08", 1, 0)]),
]


def menu_rows() -> list[CatalogRow]:
    rows: list[CatalogRow] = []
    line = 0
    for code, name, unit, cost in CONSUMABLES:
        line += 1
        rows.append(CatalogRow(line, "consumable", code, name, 0, "Vật tư", unit, cost=cost))
    for code, name, cat, unit, price, cost, origin in GOODS:
        line += 1
        rows.append(
            CatalogRow(line, "goods", code, name, price, cat, unit, cost=cost, origin=origin)
        )
    for code, name, cat, minutes, price, cost, pct, parts in SERVICES:
        line += 1
        rows.append(CatalogRow(line, "service", code, name, price, cat, "buổi", minutes, cost, pct,
                               parts=[(c, q, 0) for c, q in parts]))  # fmt: skip
    for code, name, price, months, pkg_parts in PACKAGES:
        line += 1
        rows.append(CatalogRow(line, "package", code, name, price, validity_months=months,
                               parts=pkg_parts))  # fmt: skip
    return rows


async def load_menu() -> ImportResult:
    return await import_catalog(menu_rows())


# The demo chain's front desk ("lễ tân", sees every customer and order of the branch) and
# technicians ("KTV"), one of each per branch: (login, full name, branch code, team code, flag).
DEMO_OPS_USERS = [
    ("lt_q1", "Nguyễn Thị Thu Trang", "q1", "q1a", "front_desk"),
    ("lt_gv", "Trần Ngọc Hân", "gv", "gva", "front_desk"),
    ("lt_hd", "Lê Thị Minh Nguyệt", "hd", "hda", "front_desk"),
    ("ktv_q1", "Phạm Thị Hoa", "q1", "q1b", "technician"),
    ("ktv_gv", "Đinh Thị Hồng", "gv", "gva", "technician"),
    ("ktv_hd", "Mai Thị Lụa", "hd", "hda", "technician"),
]


async def load_demo_ops(password_hash: str) -> None:
    """The menu and the front-desk / technician users of the demo chain (inside load_demo)."""
    from spacrm.core.models import Branch, Team, User
    from spacrm.core.textnorm import fold

    for login, name, branch_code, team_code, flag in DEMO_OPS_USERS:
        branch = await Branch.get(code=branch_code)
        team = await Team.get(code=team_code)
        await User.create(
            login=login, email=f"{login}@lotus.example", full_name=name, name_key=fold(name),
            role="staff", region_id=branch.region_id, branch_id=branch.id, team_id=team.id,
            password_hash=password_hash, is_front_desk=flag == "front_desk",
            is_technician=flag == "technician",
        )  # fmt: skip
    await load_menu()
