"""Payment vouchers for expenses (phiếu chi, #35) as staff write them in chat: what the money was
for becomes a category, the voucher itself is `vouchers.create_voucher` (gapless PC numbers,
front desk and managers only), and a day's vouchers are listed with their total.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from tortoise.exceptions import IntegrityError
from tortoise.functions import Sum

from spacrm.core.actors import Actor
from spacrm.core.models import Voucher
from spacrm.core.permissions import ops_scoped
from spacrm.core.services.vouchers import create_voucher, list_vouchers
from spacrm.core.textnorm import fold

# Category keys (stored on the voucher) and the words of a reason that point at them, folded
# (no diacritics). The first category with a matching word wins; nothing matches: "other".
CATEGORIES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("utilities", ("dien", "nuoc", "internet", "wifi", "mang", "gas", "dien thoai", "cuoc")),
    ("rent", ("thue nha", "thue mat bang", "mat bang", "tien nha", "tien thue")),
    ("salary", ("luong", "thuong", "hoa hong", "tam ung", "phu cap")),
    ("marketing", ("quang cao", "ads", "marketing", "to roi", "banner", "facebook", "tiktok")),
    ("repair", ("sua", "bao tri", "bao duong", "thay")),
    ("supplies", ("mua", "khan", "vat tu", "my pham", "hang", "bong", "gang tay", "tinh dau",
                  "kem", "dung cu", "van phong pham", "giay")),
)  # fmt: skip
CATEGORY_KEYS = (*(key for key, _ in CATEGORIES), "other")
_WORDS = {
    key: re.compile(r"(?<![a-z0-9])(?:" + "|".join(words) + r")(?![a-z0-9])")
    for key, words in CATEGORIES
}


def guess_category(reason: str) -> str:
    """The category a reason reads as ("tiền điện tháng 11" → utilities)."""
    key = fold(reason or "")
    for category, pattern in _WORDS.items():
        if pattern.search(key):
            return category
    return "other"


async def write_expense(
    actor: Actor,
    *,
    reason: str,
    amount: int,
    method: str = "cash",
    category: str | None = None,
    idem_key: str | None = None,
) -> Voucher:
    """One payment voucher at the actor's branch, numbered PC<year>-NNNNNN. With `idem_key`, a
    second call (a double press, even a concurrent one) returns the first voucher."""
    chosen = category if category in CATEGORY_KEYS else guess_category(reason)
    if idem_key:
        previous = await Voucher.get_or_none(idem_key=idem_key)
        if previous is not None:
            return previous
    try:
        return await create_voucher(
            actor, kind="payment", name=reason, amount=amount, method=method, category=chosen,
            idem_key=idem_key,
        )  # fmt: skip
    except IntegrityError:
        previous = await Voucher.get_or_none(idem_key=idem_key) if idem_key else None
        if previous is None:
            raise
        return previous


@dataclass(frozen=True, slots=True)
class ExpenseDay:
    vouchers: list[Voucher]
    total: int
    by_category: dict[str, int]


async def expenses_between(actor: Actor, start: date, end: date, limit: int = 50) -> ExpenseDay:
    """The payment vouchers the actor may see, dated start..end (cancelled ones left out of the
    total), newest first."""
    rows = await list_vouchers(actor, kind="payment", date_from=start, date_to=end, limit=limit)
    # The sums cover every voucher of the period, not only the ones listed.
    sums = (
        await ops_scoped(Voucher, actor)
        .filter(kind="payment", voucher_date__gte=start, voucher_date__lte=end)
        .exclude(status="cancelled")
        .annotate(total=Sum("amount"))
        .group_by("category")
        .values("category", "total")
    )
    by_category: dict[str, int] = {}
    for row in sums:
        key = row["category"] or "other"
        by_category[key] = by_category.get(key, 0) + int(row["total"] or 0)
    return ExpenseDay(rows, sum(by_category.values()), by_category)
