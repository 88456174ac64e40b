"""Which intent a staff message has: weighted keyword rules over the folded text.

Each rule adds points to one intent; the best total wins, ties go to the earlier intent in
`_PRIORITY`. Rules that must beat a look-alike carry more weight than it (e.g. "chuyển khoản"
is payment and outweighs the "chuyển" of moving a lead).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacrm.bot.nlu.deal_link import RULES as DEAL_RULES
from spacrm.bot.nlu.money_rules import RULES as MONEY_RULES
from spacrm.bot.nlu.money_rules import honorific_chi
from spacrm.bot.nlu.ops_rules import OPS_RULES, adjust, unsupported, veto
from spacrm.bot.nlu.reports import find_report
from spacrm.bot.nlu.stages import AGREED
from spacrm.bot.nlu.text import Doc, kw

# How much of a message the intent rules read: commands come first, pasted notes later.
INTENT_WINDOW = 500

BOOK = kw(
    r"dat lich(?:\s+hen)?",
    r"book(?:\s+lich)?",
    r"dat hen",
    r"xep lich",
    r"dat cho",
    r"dat slot",
    r"dat them (?:lich|hen|buoi|slot)",  # "đặt thêm buổi 4 cho chị Ngọc thứ 7"
    r"hen lich",
    r"booking",
    r"giu lich",
)
CALL = (
    r"(?<!gia )(?<!mua )(?<!ban )(?<!lay )goi(?!\s+(?:dau|cham|tri|massage|lieu|combo|dv|dich|da|nay|nao|gia|san|sp|\w+ \d+ buoi))|goi dien|call|alo(?=\s+(?:cho\s+)?(?:chi|anh|em|kh|khach|c|a|e|co|chu|ban)(?![a-z]))"
    r"|(?<!so )dien thoai|phone|(?:qua|bang|goi)\s+(?:dt|dthoai|dien thoai)"
)
MEET = r"gap|gap mat|gap truc tiep|meet|meeting"
EMAIL = r"e-?mail|mail|gmail"
QUOTE = r"bao gia|quote|gui gia"
_VERB = f"(?:{CALL}|{MEET}|{EMAIL}|{QUOTE}|gui|nhan tin|nhan zalo|inbox|tu van|lien he|lien lac)"
_PAST = kw(
    rf"(?:da|d4|vua|vua moi|moi)\s+(?:[a-z0-9]+\s+){{0,1}}{_VERB}",
    rf"{_VERB}(?:\s+[a-z0-9]+){{0,8}}?\s+(?:roi|xong|r)",
    rf"(?:hom qua|luc nay|ban nay|hoi nay|sang nay|trua nay|chieu nay|toi qua)\s+(?:[a-z0-9]+\s+){{0,2}}{_VERB}",
)
ACTIVITY = kw(CALL, MEET, EMAIL, QUOTE)
_PLAN = kw(
    r"nhac(?:\s+(?:t0i|toi|em|minh|nho))?",
    r"len lich",
    r"hen\s+(?:goi|gap|gui|lien he)",
    r"(?:se|can|phai|nho|sap)\s+(?:goi|gap|gui|lien he|lien lac)",
    r"ke hoach|remind|reminder|todo|to do|viec can lam",
    r"lich\s+(?:goi|gap)",
    r"goi lai|gap lai|lien he lai",
)


@dataclass(frozen=True)
class Facts:
    """What slot finders saw, for the rules that depend on it."""

    phone: bool = False
    money: bool = False
    stage: bool = False
    stage_after_preposition: bool = False
    name: bool = False
    reference: bool = False  # "chị ấy", "khách này": the customer on screen
    contact: bool = False  # an email or a tax code
    date: bool = False
    future_date: bool = False
    time: bool = False
    service: bool = False
    report: bool = False
    period: bool = False


_PRIORITY = (
    "undo",
    "add_note",
    "help",
    "list_cases",
    "create_case",
    "approve_leave",
    "list_leave",
    "list_birthdays",
    "list_lapsed",
    "leave_balance",
    "order_task",
    "export_report",
    "payslip",
    "edit_customer",
    "reassign",
    "list_tasks",
    "stock_in",
    "cancel_appointment",
    "reschedule_appointment",
    "no_show",
    "confirm_appointment",
    "check_in",
    "complete_session",
    "create_order",
    "show_course",
    "show_order",
    "on_duty",
    "list_appointments",
    "log_overtime",
    "request_leave",
    "kpi_report",
    "chart",
    "dashboard",
    "stock_query",
    "record_payment",
    "move_lead",
    "list_leads",
    "book_appointment",
    "create_lead",
    "plan_activity",
    "log_activity",
    "show_customer",
    # sales (issue 8): bank transfers to review, payment vouchers
    "bank_reviews",
    "list_orders",
    "list_expenses",
    "create_expense",
    "transfer_course",  # bookings (#9): a course's sessions to another customer
    "link_order_deal",  # reports2 (#32): an order's opportunity
)

_RULES: tuple[tuple[str, re.Pattern[str], int], ...] = (
    ("help", kw(r"/?help", r"/start", r"huong dan", r"tro giup", r"cach (?:dung|su dung|xai)"), 8),
    (
        "help",
        kw(r"lam (?:duoc|dc|dk) (?:gi|nhung gi)", r"giup (?:duoc|dc) gi", r"/?menu", r"chuc nang"),
        8,
    ),
    ("help", kw(r"(?:c[o0] )?(?:nhung )?lenh (?:nao|gi)", r"bot (?:la gi|biet gi)"), 8),
    (
        "help",
        kw(
            r"(?:bot|app|ung dung)(?:\s+nay)?\s+(?:d0ng|dung|xai|su dung)\s+"
            r"(?:sao|th3 nao|the nao|nhu th3 nao|ntn)"
        ),
        8,
    ),
    (
        "dashboard",
        kw(
            r"tong quan",
            r"dashboard",
            r"bao cao nhanh",
            r"bc nhanh",
            r"tinh hinh",
            r"tom tat",
            r"overview",
        ),
        6,
    ),
    ("dashboard", kw(r"th[e3] nao", r"ra sao", r"sao roi", r"the nao roi"), 3),
    ("dashboard", kw(r"doanh thu", r"doanh so", r"ban duoc"), 3),
    ("kpi_report", kw(r"kpi", r"ch[i1] tieu", r"hieu suat", r"muc tieu"), 7),
    # "hoa hồng tháng này của em bao nhiêu": one's commission is on one's KPI report
    (
        "kpi_report",
        kw(
            r"hoa hong (?:thang|tuan|quy|nam|hom nay|cua (?:em|toi|t0i|minh|t)\b)",
            r"(?:xem|check|tra|tinh) hoa hong",
        ),
        7,
    ),
    ("chart", kw(r"bieu do", r"chart", r"thong ke", r"do thi"), 5),
    ("chart", kw(r"bao cao", r"bc", r"report"), 2),
    ("stock_query", kw(r"ton kho", r"het hang", r"con hang", r"so luong ton", r"kiem kho"), 7),
    # "sắp hết hàng gì", "vật tư nào sắp hết": the low-stock list
    (
        "stock_query",
        kw(
            r"sap het (?:hang|gi)", r"(?:hang|sp|san pham|vat tu|my pham) (?:nao|gi) (?:sap|da) het"
        ),
        7,
    ),
    ("stock_query", kw(r"ton", r"con bao nhieu", r"con may", r"kho"), 4),
    (
        "log_overtime",
        kw(
            r"tang ca",
            r"lam them(?: gio)?",
            r"ot",
            r"overtime",
            r"ngoai gio",
            r"lam bu",
            r"tang ka",
            r"tag ca",
        ),
        7,
    ),
    (
        "request_leave",
        kw(
            r"xin ngh[i1]",
            r"ngh[i1] phep",
            r"phep nam",
            r"nghi (?:khong|ko|k|hok) luong",
            r"nghi om",
            r"xin off",
            r"off",
        ),
        7,
    ),
    (
        "request_leave",
        kw(
            r"nghi (?:buoi )?(?:sang|chieu|ca ngay|nua ngay|1 ngay|mot ngay|m0t ngay)",
            r"cho (?:em|t0i|toi|minh) nghi",
        ),
        7,
    ),
    (
        "request_leave",
        kw(
            r"nghi (?:ngay|hom|mai|thu|tu|viec rieng|le)",
            r"(?:em|t0i|toi|minh) nghi",
            r"xin phep nghi",
        ),
        7,
    ),
    ("request_leave", kw(r"nghi"), 3),
    (
        "record_payment",
        kw(
            r"chuyen khoan",
            r"chuyen tien",
            r"ck",
            r"tien mat",
            r"tm",
            r"thanh toan",
            r"quet the",
            r"ca the",
            r"banking",
        ),
        5,
    ),
    (
        "record_payment",
        kw(
            r"dat coc",
            r"dong tien",
            r"nop tien",
            r"thu tien",
            r"thu (?:not|het|them|phan con lai)(?: tien)?",  # "thu nốt chị Vy": the rest
            r"(?:tra|thanh toan) not",
            r"da tra",
            r"tra tien",
            r"tra (?:truoc|het|du|gop|them|no)",
            r"chuyen khan",
            r"chuyn khoan",
            r"thanh toan",
        ),
        5,
    ),
    (
        "record_payment",
        kw(
            r"tra",
            r"coc",
            r"tt",
            r"thu(?! chi)(?!\s+[2-8](?![0-9]))(?=\s+(?:anh|chi|co|kh|khach|em|ban|bac|chu|\d))",
            r"pay",
            r"payment",
        ),
        2,
    ),
    ("move_lead", kw(r"(?:ngung|dung|thoi)\s+(?:cham soc|cs|theo doi|follow)"), 5),
    (
        "move_lead",
        kw(
            r"danh dau",
            r"cap nhat (?:trang thai|giai doan)",
            r"doi (?:trang thai|giai doan)",
            r"trang thai",
            r"giai doan",
        ),
        3,
    ),
    ("move_lead", kw(r"chuyen(?!\s+(?:khoan|khan|tien|doi))", r"chuyn(?!\s+khoan)", r"dua"), 2),
    (
        "list_leads",
        kw(r"danh sach", r"liet ke", r"ds", r"list", r"loc", r"sap xep", r"sap theo", r"xep theo"),
        5,
    ),
    (
        "list_leads",
        kw(
            r"(?:cac|nhung|tat ca|bao nhieu)\s+(?:kh|khach)",
            r"(?:kh|khach)(?: hang)? cua (?:t0i|toi|em|minh)",
        ),
        5,
    ),
    (
        "list_leads",
        kw(
            r"giam dan",
            r"tang dan",
            r"moi nhat",
            r"cu nhat",
            r"gan nhat",
            r"lau nhat",
            r"cao nhat",
            r"thap nhat",
        ),
        3,
    ),
    (
        "book_appointment",
        BOOK,
        5,
    ),
    (
        "show_customer",
        kw(
            r"xem",
            r"thong tin",
            r"tra cuu",
            r"tim",
            r"tim kiem",
            r"lich su",
            r"ls",
            r"ho so",
            r"chi tiet",
            r"check",
            r"info",
            r"search",
        ),
        4,
    ),
    # A history is read, whatever stage words it holds ("lịch sử chăm sóc chị Lan").
    ("show_customer", kw(r"lich su", r"ls cham soc", r"qua trinh cham soc", r"cskh"), 8),
    (
        "show_customer",
        kw(r"mst", r"ma so thue", r"cong ty", r"tra (?:sdt|so|thong tin|kh|khach)"),
        3,
    ),
    (
        "create_lead",
        kw(
            # "thêm khách …", "thêm chị Lan 09…" - not the "thêm" (more) of "để suy nghĩ thêm"
            r"^\W*(?:(?:em|anh|chi|a|c|e|minh|nho|giup|gium)\s+)*them"
            # "thêm dịch vụ đắp mặt nạ cho chị Lan": something added to her visit, no new customer
            r"(?!\s+(?:dich vu|dv|g0i|goi|san pham|sp|buoi|lieu trinh|mon|phut|tien|ghi chu|note))",
            r"(?<!mua )(?<!lam )(?<!ghi )(?<!noi )them\s+(?:moi\s+)?(?:\d+\s+|mot\s+)?"
            r"(?:khach|kh|lead|nguoi|ho so)",
            r"tao",
            r"lead moi",
            r"(?:kh|khach)(?: hang)? moi",
            r"new lead",
            r"nhap (?:kh|khach)",
            r"ghi nhan (?:kh|khach)",
            r"add",
        ),
        5,
    ),
    (
        "create_lead",
        kw(r"quan tam", r"nguon", r"hoi (?:ve|gia|g0i|goi)", r"muon (?:lam|tri|tu van)"),
        2,
    ),
    ("plan_activity", _PLAN, 5),
    # Cases (#15): "tạo vụ việc chị Lan ...", "khiếu nại: ...". "phàn nàn" alone is a remark
    # ("khách phàn nàn về dịch vụ"), a case only with a customer (see classify).
    (
        "create_case",
        kw(
            r"(?:tao|mo|lap|ghi nhan|them|ghi)\s+(?:(?:1|mot|m0t)\s+)?(?:vu viec|case|khieu nai|ticket)",
            r"vu viec",
            r"khieu nai",
        ),
        9,
    ),
    ("create_case", kw(r"phan nan", r"than phien", r"phan anh", r"complain"), 2),
    (
        "list_cases",
        kw(
            r"(?:vu viec|case|khieu nai)(?: dang mo| chua xong| chua xu ly)? cua (?:t0i|toi|em|minh|toy|nhom|team|ca nhom|chi nhanh|phong)",
            r"(?:danh sach|ds|liet ke|xem|cac|nhung|tat ca)\s+(?:cac\s+)?(?:vu viec|case|khieu nai)",
            r"(?:vu viec|case|khieu nai)\s+(?:dang mo|chua xong|chua xu ly|can xu ly)",
            # "đóng vụ việc chị Lan": closed from the case's card (a press), never a new case
            r"(?:dong|xong|ket thuc|giai quyet xong|xu ly xong|close)\s+(?:vu viec|case|khieu nai)",
            # "vụ việc chị Lan xử lý tới đâu rồi", "khiếu nại của chị Lan giải quyết chưa"
            r"(?:vu viec|case|khieu nai)(?: [a-z]+){0,4}? (?:xu ly|giai quyet)(?: [a-z]+){0,2}?"
            r" (?:(?:toi|den) dau|chua|the nao|ra sao|sao roi)",
            r"/cases",
        ),
        14,
    ),
)

CHART_WORDS_ONLY_REPORT = kw(r"bao cao", r"bc", r"report")
_HEN = kw(r"hen")
_BOOKED_STAGE = kw(r"da dat lich", r"dat lich (?:roi|xong|r)")
# A question about how many ("gọi được bao nhiêu cuộc", "có mấy khách mới") asks for a report.
# "mấy" folds like "máy" (the phone: "nghe máy"), so it counts only before a countable noun.
_COUNT_NOUN = (
    r"(?:cuoc(?: goi)?|khach(?: hang)?|kh|khtn|don(?: hang)?|lead|lich(?: hen)?|hop dong|nguoi"
    r"|booking)"
)
_COUNT = kw(
    rf"(?:bao nhieu|may)\s+{_COUNT_NOUN}",
    r"(?:duoc|dc|dk)\s+bao nhieu",
)
# Contact without a kind ("tư vấn qua zalo cho chị Lan", "inbox bạn Linh"): a log, weakly.
_CONTACTED = kw(r"(?<!can )(?<!muon )(?<!de )tu van", r"nhan tin", r"nhan zalo", r"inbox", r"ib")
# An explicit reminder is a plan even when the day is today ("nhắc em 3h chiều nay gọi ...").
_REMIND = kw(r"nhac(?:\s+(?:t0i|toi|em|minh|nho))?", r"len lich", r"nho\s+(?:goi|gap|gui|lien)")
_REPORT_DATES = kw(r"hom nay", r"tuan nay", r"thang nay", r"hom qua", r"tuan truoc", r"thang truoc")


_EXTRA_SERVICE = re.compile(
    r"(?<![a-z])lam them (?!gio|ca(?![a-z])|(?:\d+(?:[.,]\d+)?|mot|hai|ba|nua) ?(?:tieng|gio|h|t)(?![a-z]))"
)
_BILL = kw(r"tinh tien", r"tinh (?:vao )?bill", r"thanh toan bill", r"xuat bill")
_OVERPAID = re.compile(r"(?<!\w)(?:chuyển|ck|trả|đóng|chuyen|tra|dong) dư(?!\w)")
_EMAIL_ADDRESS = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")
_SENT = kw(r"gui", r"goi", r"da gui", r"send", r"sent", r"bao gia", r"quote", r"nhan")
_LOOKUP_EMAIL = kw(r"xem", r"tra(?: cuu)?", r"tim", r"kiem tra", r"check")  # "xem khách a@b.vn"


def classify(doc: Doc, facts: Facts) -> str:
    key = doc.intent_key[:INTENT_WINDOW]
    scores: dict[str, int] = {}

    def add(intent: str, points: int) -> None:
        scores[intent] = scores.get(intent, 0) + points

    for intent, pattern, weight in _RULES + OPS_RULES + MONEY_RULES + DEAL_RULES:
        if pattern.search(key):
            add(intent, weight)
    if "create_expense" in scores and honorific_chi(doc):
        del scores["create_expense"]  # "Chị Tiên 500k" names a customer: no voucher
    adjust(key, date=facts.date, person=facts.name or facts.phone, money=facts.money, scores=scores)

    if facts.report:
        add("chart", 4)
        if not (facts.name or facts.phone) and find_report(doc) == "debts":
            add("chart", 3)  # "ds khách nợ": who owes is the debts report, not a lead list
    if facts.period and _REPORT_DATES.search(key) and "dashboard" in scores:
        add("dashboard", 1)
    if facts.money:
        add("record_payment", 3 if "record_payment" in scores or facts.name or facts.phone else 1)

    # Stages: a stage after "sang"/"về" is a move; a stage with a person is a move unless the
    # message lists; a stage alone reads as a filter for a list.
    if facts.stage:
        if facts.stage_after_preposition:
            add("move_lead", 7)
        elif facts.name or facts.phone or facts.reference:
            add("move_lead", 4)
        else:
            add("list_leads", 3)
            add("move_lead", 1)

    agreed = AGREED.search(key) is not None
    if agreed:
        if facts.service or facts.time or facts.date:
            add("book_appointment", 9)  # "chốt lịch massage 9h sáng thứ 7"
        else:
            add("move_lead", 6)  # "chị ấy đồng ý đặt lịch": the lead on screen is booked
    booking = scores.get("book_appointment", 0)
    if booking:
        if (_BOOKED_STAGE.search(key) or agreed) and not (facts.service or facts.time):
            add("book_appointment", -4)  # "đã đặt lịch" alone names the stage
        elif facts.service or facts.time:
            add("book_appointment", 2)

    question = _COUNT.search(key) is not None and not (facts.name or facts.phone)
    if question:
        add("dashboard", 8 if facts.period else 6)
    activity = None if question else ACTIVITY.search(key)
    if activity and _REMIND.search(key):
        add("plan_activity", 4)
    if activity:
        if _PAST.search(key):
            add("log_activity", 7)
        else:
            add("log_activity", 3)
            add("plan_activity", 3 if "plan_activity" in scores else 2)
            if facts.future_date or facts.time:
                add("plan_activity", 2)
    elif not question and _PAST.search(key):
        add("log_activity", 4)
    elif not question and _CONTACTED.search(key):
        add("log_activity", 3)

    if "create_lead" in scores and facts.period and not (facts.phone or facts.name):
        # "khách mới tuần này": nobody to add, the new customers of a period (the overview)
        add("dashboard", scores["create_lead"] + 1)
    if "create_lead" in scores and (facts.phone or facts.name):
        # "chị Quỳnh 09xx hỏi giá ..." is a new enquiry; without a number, "chị Lan muốn làm
        # với ktv Hoa như lần trước" is about a customer already known (a weak cue alone
        # created a second "Lan")
        weak_only = scores["create_lead"] < 5 and not facts.phone
        add("create_lead", -scores["create_lead"] if weak_only else 2)
        if facts.service and facts.time and activity is None:
            # "chị Lan muốn làm nail 5h chiều nay": an interest has no clock time, a booking has
            # ("… hẹn 9h mai gọi lại" is a call to plan, `activity`)
            add("book_appointment", scores["create_lead"] + 1)
    if "show_customer" in scores and not (facts.phone or facts.name or facts.contact):
        add("show_customer", -3)  # "xem báo cáo", "xem lịch hẹn": nobody to show
    if facts.period and CHART_WORDS_ONLY_REPORT.search(key) and not facts.report:
        add("dashboard", 3)  # "báo cáo tuần này" is the overview
    if facts.service and (facts.date or facts.time) and _HEN.search(key):
        add("book_appointment", 5)  # "chị Vy hẹn thứ 7 qua làm nail"
    elif _HEN.search(key) and facts.time and (facts.name or facts.phone) and activity is None:
        # "hẹn chị Lan 3h chiều mai": a customer at a clock time is a booking (the service is
        # asked for); "hẹn 3h mai gọi lại chị Lan" names a call, a plan (`activity`).
        add("book_appointment", 5)
    if "create_case" in scores and (facts.phone or facts.name):
        add("create_case", 2)  # "chị Lan 09xx phàn nàn da bị kích ứng" names who complains
    if (
        max(scores.values(), default=0) < 3
        and facts.service
        and facts.time
        and (facts.name or facts.phone or facts.reference)
    ):
        add("book_appointment", 5)  # "phun mày cho chị Thảo 9h thứ 7": a service at a time
    if not scores and (facts.phone or facts.name):
        add("show_customer", 3)

    if "transfer_course" in scores and facts.time:
        add("transfer_course", -16)  # "chuyển buổi của chị Lan sang 16h": a new time, a move
    if "log_overtime" in scores and facts.name and _EXTRA_SERVICE.search(key):
        # "chị Lan làm thêm gội đầu, tính vào bill": her extra service, not the sender's overtime
        del scores["log_overtime"]
        if facts.service:
            add("create_order", 12)
    if (facts.name or facts.phone) and _BILL.search(key):
        add("show_order", 10)  # "tính tiền cho chị Lan": her bill
    if (
        "log_activity" in scores
        and (facts.name or facts.phone)
        and _EMAIL_ADDRESS.search(key)
        and not _SENT.search(key)
        and not _LOOKUP_EMAIL.search(key)
    ):
        # "email c Mỹ là my@gmail.com": her address given, not an email sent to her
        add("edit_customer", scores["log_activity"] + 1)
    if "record_payment" in scores and _OVERPAID.search(doc.text.lower()):
        del scores["record_payment"]  # "chị Lan chuyển dư 100k": the excess, not a sum received
        add("show_order", 12)
    veto(key, scores)
    # A write vetoed about someone ("định mua … chưa chốt"): her card. A refund or a goods issue
    # is answered by its own intent (`unsupported`).
    someone = facts.phone or facts.name
    if someone and max(scores.values(), default=0) < 3 and unsupported(key) is None:
        scores["show_customer"] = 3
    best = max(_PRIORITY, key=lambda intent: (scores.get(intent, 0), -_PRIORITY.index(intent)))
    return best if scores.get(best, 0) >= 3 else "unknown"
