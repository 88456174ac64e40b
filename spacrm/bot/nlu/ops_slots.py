"""Slots of the operations intents and of the issue-6 CRM rows (DESIGN §6, second table).

Same method as slots.py: typed values first (phone, order number, amount, count), each marking
the text it used, then names, and the free text (an item, a product, a note) is what is left.
"""

from __future__ import annotations

import re
from datetime import date

from spacrm.bot.nlu.dates import DateHit, find_dates
from spacrm.bot.nlu.hours import as_number
from spacrm.bot.nlu.money import find_money
from spacrm.bot.nlu.names import (
    NameHit,
    find_capitalised_name,
    find_customer,
    find_person_after,
    find_title_after,
)
from spacrm.bot.nlu.ops_rules import DISCOUNT_LEAD, ORDER_NUMBER, TECHNICIAN_CHANGE
from spacrm.bot.nlu.pay_method import card_word
from spacrm.bot.nlu.periods import find_period
from spacrm.bot.nlu.slots import (
    _METHODS,
    _PRONOUNS,
    _TECHNICIAN,
    Slots,
    _branch,
    _dates,
    _longest_free_run,
    _phone,
    _take_all,
)
from spacrm.bot.nlu.slots import _customer as _crm_customer
from spacrm.bot.nlu.slots import record_payment as _crm_payment
from spacrm.bot.nlu.text import Doc, kw
from spacrm.bot.nlu.times import TimeHit, find_times
from spacrm.bot.nlu.vocab import REFERENCE, SERVICE, WALK_IN

_UNIT = r"(?:hop|chai|lo|tuyp|tube|g0i|goi|cai|bo|mieng|hu|thung|bich|vi|cay|hu|lan|sp|san pham|set|ong)"
_COUNT_UNIT = kw(rf"(?P<n>\d{{1,4}})\s*{_UNIT}")
# A count with no unit before a word that is no unit of money, time or sessions ("mua 2 sữa
# rửa mặt", ": 1 kem chống nắng").
_BARE_COUNT = re.compile(
    r"(?<![\d.,:/a-z])(?P<n>\d{1,3})(?=\s+[a-z])(?!\s+(?:buoi|lan|k|tr|trieu|nghin|ngan|h|gio|phut"
    r"|tieng|ngay|thang|tuan|cu|d|dong|%)(?![a-z]))"
)
_SESSIONS = kw(r"(?P<n>\d{1,3})\s*(?:buoi|lan|session|b)")
_DISCOUNT = kw(
    r"(?:giam(?: gia)?|chiet khau|khuyen mai|km|off|sale)\s*(?P<n>\d{1,2})\s*%",
    r"(?P<m>\d{1,2})\s*%(?:\s*(?:off|giam))?",
)
_ORDER_FILLERS = frozenset(
    "ban mua lay dat tao len lap mo chot them lam ra hoa don hang cho g0i goi combo the lieu trinh khach kh "
    "tra con lai "
    "nhe a voi va gom loai san pham sp dich vu dv tong cong het truoc coc".split()
)
_SESSION_WORDS = kw(
    r"lieu trinh", r"con (?:lai )?(?:may|bao nhieu) buoi", r"(?:so )?buoi con lai", r"buoi",
    r"xong", r"hoan thanh", r"ket thuc", r"done", r"lam", r"roi",
)  # fmt: skip
_SERVICE_FILLERS = frozenset(
    "cua cho con may bao nhieu buoi lai xem kiem tra tra lam nhe a o em minh toi t0i vua moi da ca".split()
)
_STOCK_IN_WORDS = kw(r"nhap kho", r"nhap", r"them", r"hang", r"ve", r"vao kho", r"kho")
_STOCK_FILLERS = frozenset("cua o tai trong cho vao nhe a moi them".split())
_REPORTS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("sales_activity_detail", kw(r"chi tiet\s+hoat dong(?:\s+ban hang|\s+kinh doanh)?")),
    # profit and debt (#32), CRM usage (#33): before "đơn hàng" and "khách hàng"
    ("debts", kw(r"cong no", r"(?:khach|kh)(?: hang)? (?:con )?no", r"no dong")),
    # profit by opportunity (#32): before plain profit
    (
        "profit_opportunity",
        kw(
            r"(?:loi nhuan|lai lo|lo lai|lai gop)\s+(?:theo|tung|cac|moi)\s+"
            r"(?:tung\s+)?(?:co hoi|deal)"
        ),
    ),
    ("profit", kw(r"loi nhuan", r"lai lo", r"lo lai", r"lai gop")),
    ("usage", kw(r"(?:su dung|dung|xai) (?:crm|he thong|phan mem|ung dung|app|bot)", r"usage")),
    ("sales_activity_summary", kw(r"hoat dong(?:\s+ban hang|\s+kinh doanh|\s+sale)?")),
    ("leads", kw(r"(?:kh|khach|khach hang)\s*tiem nang", r"khtn", r"lead")),
    ("orders", kw(r"don hang", r"hoa don", r"don")),
    ("vouchers", kw(r"voucher", r"phieu (?:thu|chi)", r"chung tu", r"ma giam gia")),
    ("kpi", kw(r"kpi")),
    ("stock", kw(r"ton kho", r"kho", r"hang ton", r"xuat nhap ton")),
    ("payroll", kw(r"luong", r"bang luong")),
    ("customers", kw(r"khach hang", r"khach", r"kh")),
)
_APPROVE_MARKER = kw(r"cho", r"phep", r"nghi", r"duyet", r"nv", r"nhan vien", r"don", r"cua")


def _customer(doc: Doc, slots: Slots, *, loose: bool = True) -> None:
    """The customer after an honorific, else (with `loose`) a capitalised full name."""
    _take_all(doc, REFERENCE)
    if loose:
        _crm_customer(doc, slots)
        return
    hit: NameHit | None = find_customer(doc)
    if hit:
        doc.take(hit.start, hit.end)
        slots["customer"] = hit.value


def _person(doc: Doc, marker: re.Pattern[str], *, fallback: bool = True) -> str | None:
    # A capitalised name after the marker beats a lower-case word that may be a typo ("duyet
    # phepp cho Hoa").
    hit = find_title_after(doc, marker) or find_person_after(doc, marker)
    if hit is not None and hit.value.lower() in _PRONOUNS:
        doc.take(hit.start, hit.end)
        hit = None
    if hit is None and fallback:
        hit = find_capitalised_name(doc, single=True)
    if hit is None:
        return None
    doc.take(hit.start, hit.end)
    return hit.value


def _date_time(doc: Doc, today: date, slots: Slots, after: int = 0) -> None:
    dates = _dates(doc, today)
    times = find_times(doc, dates[0].part if dates else None)
    later_d: list[DateHit] = [d for d in dates if d.start >= after] or (dates if not after else [])
    later_t: list[TimeHit] = [t for t in times if t.start >= after] or (times if not after else [])
    for t in times:
        doc.take(t.start, t.end)
    if later_d:
        slots["date"] = later_d[0].value.isoformat()
    if later_t:
        slots["time"] = later_t[0].value.strftime("%H:%M")


def _order_number(doc: Doc) -> str | None:
    m = doc.first(ORDER_NUMBER)
    if m is None:
        return None
    doc.take(m.start(), m.end())
    return re.sub(r"\s", "", doc.text[m.start() : m.end()]).upper()


def _method(doc: Doc, slots: Slots) -> None:
    for method, pattern in _METHODS:
        if doc.first(pattern):
            slots["method"] = method
            _take_all(doc, pattern)
            return
    card = card_word(doc)
    if card is not None:
        slots["method"] = "card"  # "c Lan lấy 1 serum 500k the"
        doc.take(*card)


def _int(doc: Doc, pattern: re.Pattern[str], group: str = "n") -> int | None:
    m = doc.first(pattern)
    if m is None:
        return None
    doc.take(m.start(), m.end())
    return int(m.group(group) or m.group("m")) if pattern is _DISCOUNT else int(m.group(group))


def _service(doc: Doc, fillers: frozenset[str], *, need_known: bool) -> str | None:
    span = _longest_free_run(doc, fillers, SERVICE)
    if span is None or (need_known and not SERVICE.search(doc.key, span[0], span[1])):
        return None
    doc.take(*span)
    return doc.clean_slice(*span)


# --- one function per intent -------------------------------------------------------------


_DEPOSIT = re.compile(r"(?<![a-z])coc(?: truoc)?\s*$")
_DISCOUNT_BEFORE = re.compile(rf"(?<![a-z]){DISCOUNT_LEAD}\s*$")
_REST_PAID = kw(
    r"(?:phan )?con lai(?: (?:tra|dong|thanh toan|tt|thu))?(?: bang| qua)?"
    r" (?:tien mat|tm|cash|chuyen khoan|ck|(?:quet )?the|card|pos)"
)
_DISCOUNT_WORD = kw(r"giam gia", r"giam", r"chiet khau", r"bot", r"discount")


_PAY_CUE = kw(
    r"ck",
    r"chuyen khoan",
    r"tra",
    r"truoc",
    r"coc",
    r"thanh toan",
    r"tt",
    r"tien mat",
    r"tm",
    r"thu",
    r"dong",
    r"quet the",
    r"the",
    r"card",
    r"paid",
)


def _paid_cue(doc: Doc, start: int, end: int) -> bool:
    """A pay word between the first sum and the end of the second (or just after it)."""
    return _PAY_CUE.search(doc.key, start, min(len(doc.key), end + 14)) is not None


def create_order(doc: Doc, today: date) -> Slots:
    slots: Slots = {}
    _phone(doc, slots)
    if doc.has(WALK_IN) and "phone" not in slots:
        slots["walk_in"] = True  # "bán 1 chai serum cho khách lẻ": nobody to look up
        _take_all(doc, WALK_IN)
    else:
        _customer(doc, slots)
    sessions = _int(doc, _SESSIONS)
    discount = _int(doc, _DISCOUNT)
    quantity = _int(doc, _COUNT_UNIT)
    if quantity is None:
        quantity = _int(doc, _BARE_COUNT)
    money = find_money(doc, plain=False)
    for hit in money:
        doc.take(hit.start, hit.end)
    # "gói 5tr giảm 500k": a sum after a discount word is taken off the price, never paid
    off = [h for h in money if _DISCOUNT_BEFORE.search(doc.key, 0, h.start)]
    if off:
        slots["discount"] = off[0].value
        money = [h for h in money if h not in off]
        _take_all(doc, _DISCOUNT_WORD)
    rest = doc.first(_REST_PAID)
    if rest is not None and money:
        # "3tr, ck 1tr còn lại tiền mặt": the rest of the price is paid now too, another way
        for method, pattern in _METHODS:
            if pattern.search(doc.key, rest.start(), rest.end()):
                slots["rest_method"] = method
                break
        doc.take(rest.start(), rest.end())
    _method(doc, slots)
    item = _longest_free_run(doc, _ORDER_FILLERS, SERVICE)
    if item:
        slots["item"] = doc.clean_slice(*item)
    if quantity is not None:
        slots["quantity"] = quantity
    if sessions is not None:
        slots["sessions"] = sessions
    if len(money) == 1 and (_DEPOSIT.search(doc.key[: money[0].start]) or "rest_method" in slots):
        # "cọc 500k gói phun mày", "ck 100k còn lại tiền mặt": what is paid; the price is the list's
        slots["paid"] = money[0].value
    elif len(money) == 1 or (len(money) > 1 and _paid_cue(doc, money[0].end, money[1].end)):
        slots["amount"] = money[0].value
    if len(money) > 1 and _paid_cue(doc, money[0].end, money[1].end):
        # "3tr, ck trước 1tr", "3tr cọc 1tr": the price, then what is paid now. Two sums
        # without a pay word ("1 serum 650k + 1 kem 450k") are two prices: neither is taken.
        slots["paid"] = money[1].value
    if discount is not None:
        slots["discount_pct"] = discount
    return slots


def show_order(doc: Doc, today: date) -> Slots:
    slots: Slots = {}
    number = _order_number(doc)
    if number:
        slots["order"] = number
    _phone(doc, slots)
    _customer(doc, slots)
    return slots


def record_payment(doc: Doc, today: date) -> Slots:
    number = _order_number(doc)
    slots = _crm_payment(doc, today)
    if "customer" not in slots:
        _customer(doc, slots)
    if number:
        slots["order"] = number
    return slots


def show_course(doc: Doc, today: date) -> Slots:
    slots: Slots = {}
    _phone(doc, slots)
    _customer(doc, slots)
    _take_all(doc, _SESSION_WORDS)
    service = _service(doc, _SERVICE_FILLERS, need_known=True)
    if service:
        slots["service"] = service
    return slots


def list_appointments(doc: Doc, today: date) -> Slots:
    slots: Slots = {}
    _phone(doc, slots)
    technician = find_person_after(doc, _TECHNICIAN)
    if technician:
        doc.take(technician.start, technician.end)
    _customer(doc, slots, loose=False)
    _date_time(doc, today, slots)
    slots.pop("time", None)
    if technician:
        slots["technician"] = technician.value
    return slots


_ROOMS = kw(r"phong", r"giuong", r"room", r"bed")


def on_duty(doc: Doc, today: date) -> Slots:
    """ "3h chiều nay ktv nào rảnh", "ca tối mai ai làm", "phòng nào đang trống"."""
    slots: Slots = {}
    dates = _dates(doc, today)
    times = find_times(doc, dates[0].part if dates else None)
    if dates:
        slots["date"] = dates[0].value.isoformat()
    if times:
        slots["time"] = times[0].value.strftime("%H:%M")
    part = next((d.part for d in dates if d.part), None)
    if part and "time" not in slots:
        slots["part"] = part
    if doc.first(_ROOMS):
        slots["rooms"] = True
    return slots


def cancel_appointment(doc: Doc, today: date) -> Slots:
    slots: Slots = {}
    _phone(doc, slots)
    _customer(doc, slots)
    _date_time(doc, today, slots)
    return slots


_NEW_MARKER = kw(
    r"sang", r"qua", r"thanh", r"den", r"toi", r"vao", r"lui", r"(?:dat|book|hen|xep) lai"
)


# Written with their accents these are parts of the day, not "to": "sáng" (morning), "tối".
_PART_WORDS = frozenset(("sáng", "tối"))


def _new_from(doc: Doc, today: date) -> int:
    """Where the new date/time starts: after "sang/qua/…" ("từ mai sang thứ 7"). Without accents
    "mai sang 10h" is tomorrow morning at 10, not "to 10h" after an old date: a marker inside a
    day expression is "to" only when another day follows it."""
    dates = find_dates(doc, today)
    for m in doc.find(_NEW_MARKER):
        if doc.text[m.start() : m.end()].lower() in _PART_WORDS:
            continue
        inside = any(d.start <= m.start() < d.end for d in dates)
        if inside and not any(d.end > m.end() for d in dates):
            continue
        return m.start()
    return 0


_VAGUE_DAY = re.compile(r"(?:(?:sang|qua|chieu|toi|trua) )?(?:tuan|thang) (?:sau|toi|ke tiep|nua)")
# The new technician: "… sang Mai", "… qua ktv Hoa", "… chuyển cho ktv Mai làm".
_NEW_TECHNICIAN = kw(
    r"(?:sang|qua|thanh)(?: (?:ktv|ky thuat vien|ky thuat|tho|ban|em|chi|c|e))?",
    r"cho (?:ktv|ky thuat vien|ky thuat|tho)",
)


def reschedule_appointment(doc: Doc, today: date) -> Slots:
    slots: Slots = {}
    _phone(doc, slots)
    if TECHNICIAN_CHANGE.search(doc.key):
        # Read before the dates: "sang Mai" is the technician here, not tomorrow. Without a
        # name ("thay ktv khác cho chị Lan") the intent offers the free ones.
        technician = find_person_after(doc, _NEW_TECHNICIAN)
        if technician:
            doc.take(technician.start, technician.end)
            slots["technician"] = technician.value
        else:
            slots["technician"] = ""
        _take_all(doc, TECHNICIAN_CHANGE)
    _customer(doc, slots)
    hits = find_dates(doc, today)
    named = {d.value for d in hits if not _VAGUE_DAY.fullmatch(doc.key[d.start : d.end].strip())}
    # A vague week is a day only with its weekday ("tuần sau thứ 4" read apart shares its date).
    vague = [d.value.isoformat() for d in hits
             if _VAGUE_DAY.fullmatch(doc.key[d.start : d.end].strip()) and d.value not in named]  # fmt: skip
    _date_time(doc, today, slots, after=_new_from(doc, today))
    if slots.get("date") in vague and "time" not in slots:
        # "dời qua tuần sau": no day yet - the intent asks for it rather than take Monday.
        slots.pop("date")
    return slots


def check_in(doc: Doc, today: date) -> Slots:
    slots: Slots = {}
    _phone(doc, slots)
    _customer(doc, slots)
    return slots


_REDEEM = kw(r"(?:dung|d0ng|su dung|tru)(?: di)?(?= (?:1 |mot )?(?:buoi|lieu trinh))")


def complete_session(doc: Doc, today: date) -> Slots:
    slots: Slots = {}
    _phone(doc, slots)
    technician = find_person_after(doc, _TECHNICIAN)
    if technician:
        doc.take(technician.start, technician.end)
    _take_all(doc, _REDEEM)  # "chi yen dung 1 buoi": not "Yen Dung", nor a service "dùng"
    _customer(doc, slots)
    _dates(doc, today)
    _take_all(doc, _SESSION_WORDS)
    service = _service(doc, _SERVICE_FILLERS, need_known=False)
    if service:
        slots["service"] = service
    if technician:
        slots["technician"] = technician.value
    return slots


def no_show(doc: Doc, today: date) -> Slots:
    slots: Slots = {}
    _phone(doc, slots)
    _customer(doc, slots)
    dates = _dates(doc, today)
    if dates:
        slots["date"] = dates[0].value.isoformat()
    return slots


_MEASURE = kw(r"(?P<n>\d{1,5})\s*(?:ml|g|gr|gram|kg|lit)")
# Before an amount of a goods receipt: the price of one unit, or of the whole delivery.
_UNIT_PRICE = kw(r"(?:don )?gia(?: nhap| von)?", r"moi (?:hop|chai|lo|cai|tuyp|hu|goi)")
_TOTAL_PRICE = kw(r"tong(?: cong| tien)?", r"het", r"ca (?:lo|dot)", r"thanh tien")


def stock_in(doc: Doc, today: date) -> Slots:
    """ "nhập 10 hộp mặt nạ collagen giá 150k": product, quantity and, when given, the unit cost
    (`amount`; a total "tổng 1tr5" is divided by the quantity when it divides exactly)."""
    slots: Slots = {}
    money = find_money(doc, plain=False)
    for hit in money[:1]:
        doc.take(hit.start, hit.end)
    quantity = _int(doc, _COUNT_UNIT)  # before the branch: "chi nhánh gò vấp 5 hộp serum"
    if quantity is None:
        quantity = _int(doc, _MEASURE)  # "nhập 200 ml gel": consumables come by measure
    _branch(doc, slots)
    if quantity is None:
        quantity = _int(doc, kw(r"(?P<n>\d{1,5})"))
    total = bool(money) and any(m.end() <= money[0].start for m in doc.find(_TOTAL_PRICE))
    _take_all(doc, _UNIT_PRICE)
    _take_all(doc, _TOTAL_PRICE)
    _take_all(doc, _STOCK_IN_WORDS)
    product = _longest_free_run(doc, _STOCK_FILLERS, None)
    out: Slots = {}
    if product:
        out["product"] = doc.clean_slice(*product)
    if quantity is not None:
        out["quantity"] = quantity
    if money and not total:
        out["amount"] = money[0].value
    elif money and quantity and money[0].value % quantity == 0:
        out["amount"] = money[0].value // quantity
    out.update(slots)
    return out


# "của Hoa", "nv Hoa" (not "bán hàng" read as "bạn Hàng": reports are about people by name).
_REPORT_EMPLOYEE = kw(r"cua", r"nv", r"nhan vien", r"ktv", r"ky thuat vien")


def _employee(doc: Doc) -> str | None:
    return _person(doc, _REPORT_EMPLOYEE)


def _period_and_employee(doc: Doc, today: date, slots: Slots) -> None:
    period = find_period(doc, today)
    if period:
        doc.take(period.start, period.end)
        slots["period"] = period.value
    employee = _employee(doc)
    if employee:
        slots["employee"] = employee


def export_report(doc: Doc, today: date) -> Slots:
    slots: Slots = {}
    for report, pattern in _REPORTS:
        if doc.has(pattern):
            slots["report"] = report
            break
    _period_and_employee(doc, today, slots)
    return slots


def payslip(doc: Doc, today: date) -> Slots:
    slots: Slots = {}
    _period_and_employee(doc, today, slots)
    return slots


def approve_leave(doc: Doc, today: date) -> Slots:
    slots: Slots = {}
    # A capitalised name after "cho/phép" is read before the days: "duyệt phép cho Mai thứ 7"
    # approves Mai's Saturday, it is no "mai" (tomorrow).
    early = find_title_after(doc, _APPROVE_MARKER)
    employee = None
    if early is not None and early.value.lower() not in _PRONOUNS:
        doc.take(early.start, early.end)
        employee = early.value
    dates = _dates(doc, today)
    employee = employee or _person(doc, _APPROVE_MARKER)
    if employee:
        slots["employee"] = employee
    if dates:
        slots["date"] = dates[0].value.isoformat()
    if doc.has(_OVERTIME_WORDS):  # "duyệt tăng ca cho Hoa": the overtime waiting, not leave
        slots["overtime"] = True
    return slots


_OVERTIME_WORDS = kw(r"tang ca", r"tang ka", r"ot", r"overtime", r"lam them(?: gio)?", r"ngoai gio")
_TASK_MARKER = kw(r"ghi (?:nhan )?cong(?: viec)?", r"cong viec (?:tren|cua)")
_TASK_FOR = kw(r"cho", r"nguoi lam", r"nhan vien", r"nv", r"ktv")
_PCT = re.compile(r"(?<![0-9.,])(\d{1,2}(?:[.,]\d{1,2})?)\s*%")
_TASK_FILLER = re.compile(
    r"^(?:(?:don|hang|hoa hong|hh|la|cho|duoc|voi)\s+)+|(?:\s+(?:hoa hong|hh|la|cho|duoc|voi))+$"
)


def order_task(doc: Doc, today: date) -> Slots:
    """ "ghi công đơn HD2026-000012 tư vấn Hoa 5%": the order, the work, who and the commission
    (a % of the order's total, or an amount); the work is what is left once the rest is read."""
    slots: Slots = {}
    _take_all(doc, _TASK_MARKER)
    number = _order_number(doc)
    if number:
        slots["order"] = number
    pct = doc.first(_PCT)
    if pct:
        doc.take(pct.start(), pct.end())
        slots["pct"] = as_number(float(pct.group(1).replace(",", ".")))
    else:
        money = find_money(doc, plain=False)
        if money:
            doc.take(money[0].start, money[0].end)
            slots["amount"] = money[0].value
    employee = _person(doc, _TASK_FOR)
    if employee:
        slots["employee"] = employee
    left = "".join(ch if not used else " " for ch, used in zip(doc.text, doc.used, strict=True))
    words = " ".join(left.split()).strip(" ,.;:!?-–—")
    folded = " ".join(Doc.of(words).key.split())
    cut = _TASK_FILLER.sub("", folded)
    if cut:
        start = folded.find(cut)
        slots["details"] = words[start : start + len(cut)].strip(" ,.;:-")
    return slots


def list_leave(doc: Doc, today: date) -> Slots:
    """The period of "ai nghỉ tuần này" (and of "sinh nhật tháng này")."""
    period = find_period(doc, today)
    return {"period": period.value} if period else {}


_AWAY = kw(r"(?P<n>\d{1,3}) (?P<unit>ngay|tuan|thang|nam)", r"nua nam")
_UNIT_DAYS = {"ngay": 1, "tuan": 7, "thang": 30, "nam": 365}


def list_lapsed(doc: Doc, today: date) -> Slots:
    """How long away: "3 tháng" (90 days), "nửa năm"; none said: the intent's default."""
    m = doc.first(_AWAY)
    if m is None:
        return {}
    if m.group("n") is None:
        return {"days": 182}
    return {"days": int(m.group("n")) * _UNIT_DAYS[m.group("unit")]}


OPS_EXTRACTORS = {
    "list_leave": list_leave,
    "list_lapsed": list_lapsed,
    "list_birthdays": list_leave,  # the period only, as who is off
    "create_order": create_order,
    "show_order": show_order,
    "record_payment": record_payment,
    "show_course": show_course,
    "list_appointments": list_appointments,
    "on_duty": on_duty,
    "cancel_appointment": cancel_appointment,
    "reschedule_appointment": reschedule_appointment,
    "check_in": check_in,
    "complete_session": complete_session,
    "no_show": no_show,
    "confirm_appointment": no_show,  # the same: whom, and the day when given
    "stock_in": stock_in,
    "export_report": export_report,
    "payslip": payslip,
    "approve_leave": approve_leave,
    "order_task": order_task,
}
