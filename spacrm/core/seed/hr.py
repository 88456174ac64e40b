"""Demo salary profiles and the fixed-date public holidays of 2026 (#12), so `spacrm payroll run
--month 2026-11` gives every demo staff member a payslip. Lunar-calendar holidays (Tết, Hùng
Kings) move every year: add them as Holiday rows once the government announces the dates."""

from __future__ import annotations

from datetime import date

from spacrm.core.models import Holiday, SalaryProfile, User

# Monthly base by role (VND, 26 standard days); technicians also earn session commissions.
BASE_BY_ROLE = {
    "board": 50_000_000, "region": 35_000_000, "branch_director": 25_000_000,
    "team_lead": 14_000_000, "staff": 8_000_000,
}  # fmt: skip
ALLOWANCE = 800_000  # meals and travel
HOLIDAYS_2026 = [
    (date(2026, 1, 1), "Tết Dương lịch"), (date(2026, 4, 30), "Ngày Giải phóng miền Nam"),
    (date(2026, 5, 1), "Quốc tế Lao động"), (date(2026, 9, 1), "Quốc khánh (ngày liền kề)"),
    (date(2026, 9, 2), "Quốc khánh"),
]  # fmt: skip


async def load_demo_hr() -> None:
    for user in await User.filter(active=True).exclude(role="admin"):
        base = BASE_BY_ROLE.get(user.role, 8_000_000)
        if user.is_technician and user.role == "staff":
            base = 6_000_000
        await SalaryProfile.create(user_id=user.id, basis="month", base_amount=base,
                                   allowance=ALLOWANCE, payroll_viewer=user.role == "board")  # fmt: skip
    for day, name in HOLIDAYS_2026:
        await Holiday.get_or_create(day=day, defaults={"name": name})
