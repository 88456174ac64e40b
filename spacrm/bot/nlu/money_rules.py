"""Intent rules of money documents beyond orders (issue 8): payment vouchers written in chat
("chi 500k mua khăn", "phiếu chi tiền điện 2tr"), the vouchers of a period ("xem phiếu chi hôm
nay") and the bank transfers waiting for review ("giao dịch chưa khớp", "ck chưa gán").

"chi" folds like "chị" (an honorific): a message that starts with "chị" written with its mark
names a customer, so the voucher rule is dropped for it (`honorific_chi`). The slots are in
money_docs.py.
"""

from __future__ import annotations

import re

from spacrm.bot.nlu.text import Doc, kw

_PAID_WORDS = r"(?:ck|chuyen khoan|tien mat|tm|thanh toan|tra|dong|coc|dat coc|da tra)"
_DOC = r"(?:phieu chi|khoan chi|tien chi|chi tieu|chi phi)"
_PERIOD_WORDS = r"(?:hom nay|hom qua|bua nay|tuan|thang|ngay)"

RULES: tuple[tuple[str, re.Pattern[str], int], ...] = (
    (
        "bank_reviews",
        kw(
            r"(?:giao dich|gd|ck|chuyen khoan|khoan ck|khoan chuyen khoan|tien chuyen khoan)\s+"
            r"(?:chua|khong|ko|k)\s+(?:khop|gan|ro|xac dinh|nhan dien|ro don|co don|co ma don)",
            r"(?:ck|chuyen khoan|giao dich) (?:la|can (?:xem|xu ly|kiem tra|duyet|gan))",
            r"(?:chua|can) doi soat",
            r"doi soat (?:ck|chuyen khoan|giao dich|ngan hang)",
        ),
        16,
    ),
    (
        "list_expenses",
        kw(
            rf"(?:xem|ds|danh sach|liet ke|cac|nhung|tong|kiem tra|check)\s+(?:cac\s+)?{_DOC}",
            rf"{_DOC}\s+(?:cua\s+)?{_PERIOD_WORDS}",
            rf"{_PERIOD_WORDS}(?: nay)?\s+(?:da\s+)?chi\s+(?:nhung gi|bao nhieu|gi|nhung khoan nao)",
            r"(?:da\s+)?chi\s+(?:nhung gi|bao nhieu|nhung khoan nao)",
            # "tổng chi tháng này": the vouchers of the period, with their total
            rf"tong (?:chi|chi phi|tien chi)(?= {_PERIOD_WORDS}| (?:thang|tuan|nam|quy|hom|\d)|\W*$)",
        ),
        15,
    ),
    (
        "create_expense",
        kw(
            r"(?:lap|tao|ghi|viet|them|ra)\s+phieu chi",
            r"^\W*phieu chi(?=\s+\S)",
            r"^\W*(?:da\s+|vua\s+)?chi(?=\s+\d)",
            rf"^\W*(?:da\s+|vua\s+)?chi (?:tien|phi)(?!\s+{_PAID_WORDS}(?![a-z0-9]))(?=\s+\S)",
        ),
        14,
    ),
)
# Orders by status or period across customers ("đơn chưa thanh toán", "các đơn hàng tuần này").
_ORDER = r"(?:hoa don|don hang|don)"
ORDER_STATUS_WORDS = (
    ("unpaid", kw(r"chua (?:thanh toan|thu(?: tien)?|tra(?: tien)?|tt|xong tien)",
                  r"con (?:no|thieu|phai thu)", r"dang no", r"no tien", r"chua thu du")),
    ("paid", kw(r"da (?:thanh toan|thu du|tra du|tt)(?: du| het| xong)?")),
    ("cancelled", kw(r"(?:da|bi) huy")),
)  # fmt: skip
RULES += (
    (
        "list_orders",
        kw(
            rf"{_ORDER}\s+(?:hang\s+)?(?:chua (?:thanh toan|thu|tra|tt)|con (?:no|thieu|phai thu)"
            r"|dang no|no tien|da huy|bi huy|da thanh toan|da thu du)",
        ),
        15,
    ),
    # A plain list: below export_report (14), so "xuất danh sách đơn hàng ra excel" is a file.
    ("list_orders", kw(rf"(?:danh sach|ds|liet ke|cac|nhung|tat ca)\s+(?:cac\s+)?{_ORDER}"), 13),
)
_WRITTEN_HONORIFIC = re.compile(r"^\W*(?:đã\s+|vừa\s+)?chị(?!\w)", re.IGNORECASE)
_VOUCHER_WORD = kw(r"phieu chi")


def honorific_chi(doc: Doc) -> bool:
    """ "Chị Tiên 500k": the message starts with the honorific, not with the verb "chi"."""
    return bool(_WRITTEN_HONORIFIC.match(doc.text)) and not _VOUCHER_WORD.search(doc.key)
