"""Which chart a message asks for, as the report ids of DESIGN §6."""

from __future__ import annotations

import re

from spacrm.bot.nlu.text import Doc, kw

_BY_STAFF = r"(?:theo|cua|tung|moi)\s+(?:nhan vien|nv|nhan su|ktv|nguoi|sale)"
_REPORTS: tuple[tuple[str, re.Pattern[str], bool], ...] = (
    # (report id, pattern, needs an explicit chart word such as "biểu đồ")
    # Profit and debt (#32) and CRM usage (#33): answered by their own intents (chart.OTHER).
    (
        "debts",
        kw(
            r"cong no",
            r"(?:khach|kh)(?: hang)? (?:con )?no",
            r"no dong",
            # "ai chưa trả tiền", "khách nào còn nợ": who owes, asked about nobody in particular
            r"(?:ai|nhung ai|(?:khach|kh)(?: hang)? nao|may (?:khach|kh)|bao nhieu (?:khach|kh))"
            r"(?: (?:van|dang|con|da))? (?:no|thieu tien|chua (?:tra|thanh toan|tt|dong|tra het"
            r"|tra du|thanh toan het|thanh toan du)(?: tien)?)(?![a-z])",
        ),
        False,
    ),
    (
        "profit",
        kw(
            r"loi nhuan",
            r"lai lo",
            r"lo lai",
            r"lai gop",
            # "tháng này lãi bao nhiêu", "lãi tháng 11": folded, "lãi" is also "lại" (again),
            # so only after a period or first with a period after it
            r"(?:thang|tuan|quy|nam|hom nay|hom qua|nay|truoc|\d)\s+(?:lai|loi|lo)\s+"
            r"(?:bao nhieu|duoc|dc|hay|the nao|ntn|nhieu|it)",
            r"^\W*(?:lai|loi) (?:thang|tuan|quy|nam)(?: (?:nay|truoc|\d{1,2}))?\W*$",
        ),
        False,
    ),
    (
        "crm_usage",
        kw(r"(?:su dung|dung|xai) (?:crm|he thong|phan mem|ung dung|app|bot)", r"usage"),
        False,
    ),
    ("calls_by_employee", kw(r"cuoc goi", r"tong dai"), False),
    ("calls_by_employee", kw(r"so (?:cuoc )?goi", r"call", r"goi dien"), True),
    # "top dịch vụ bán chạy", "dịch vụ nào bán nhiều nhất tháng này", "doanh thu theo dịch vụ"
    (
        "sales_by_item",
        kw(
            r"ban chay",
            r"(?:dich vu|dv|san pham|sp|goi|lieu trinh|my pham)(?: nao)? (?:ban|duoc mua|mua)"
            r"(?: duoc| dc)? (?:nhieu|chay|top)",
            r"(?:doanh so|doanh thu|ban hang) (?:theo|tung|cua tung|moi)"
            r" (?:dich vu|dv|san pham|sp|goi|mat hang)",
            r"top (?:dich vu|dv|san pham|sp|goi|mat hang)",
        ),
        False,
    ),
    ("orders_by_employee", kw(r"don hang", r"so don", r"don ban"), False),
    ("sales_by_employee", kw(rf"(?:doanh so|doanh thu|ban hang)\s+{_BY_STAFF}"), False),
    # "tuần này ai bán nhiều nhất": a ranking of the staff is their sales chart
    (
        "sales_by_employee",
        kw(
            r"(?:ai|nv nao|nhan vien nao|ktv nao|ban nao|sale nao)(?: la nguoi)? (?:ban|chot|sale)"
            r"(?: duoc| dc| ra)?(?: hang| don| goi)? (?:nhieu|gioi|cao|top|dinh|tot|manh)",
            r"top (?:nhan vien|nv|sale|ktv|ban)(?! nao)",
            r"(?:nhan vien|nv|sale|ktv) (?:ban|chot)(?: hang| don| goi)? (?:gioi|tot|nhieu) nhat",
        ),
        False,
    ),
    ("sales_by_employee", kw(r"doanh so", r"doanh thu"), True),
    (
        "income_expense",
        kw(r"thu chi", r"thu va chi", r"thu\s*-\s*chi", r"chi phi", r"loi nhuan", r"dong tien"),
        False,
    ),
    ("conversions_by_month", kw(r"chuyen doi", r"conversion", r"ty le chot", r"ti le chot"), False),
    ("leads_by_source", kw(r"(?:theo|tung|moi|cac)\s+nguon", r"nguon (?:kh|khach|lead)"), False),
    (
        "leads_cared",
        kw(
            r"(?:tiem nang|lead)\s+(?:duoc\s+|da\s+)?cham soc",
            r"(?:duoc\s+|da\s+)cham soc\s+(?:kh|khach)?\s*tiem nang",
        ),
        False,
    ),
    (
        "customers_cared",
        kw(r"(?:kh|khach)(?: hang)?\s+(?:duoc|da duoc)\s+cham soc", r"cham soc khach hang"),
        False,
    ),
    ("leads_by_source", kw(r"nguon"), True),
)
CHART_WORDS = kw(r"bieu do", r"chart", r"thong ke", r"do thi", r"bao cao", r"bc", r"report")


# "thu chị Lan 500k" folds to "thu chi lan 500k": typed with its diacritics, "chị" is the
# customer (a payment), never the "chi" of "thu chi" (income and expense).
_TYPED_CHI = re.compile(r"(?<!\w)chị(?!\w)", re.IGNORECASE)


def find_report(doc: Doc) -> str | None:
    key = doc.key
    explicit = CHART_WORDS.search(key) is not None
    for report, pattern, needs_chart_word in _REPORTS:
        if (explicit or not needs_chart_word) and any(
            not _TYPED_CHI.search(doc.text[m.start() : m.end()]) for m in pattern.finditer(key)
        ):
            return report
    return None
