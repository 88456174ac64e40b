"""Slot extraction, one function per intent. Each finder marks the text it used, so later
finders (free-text slots such as a service or a product) only see what is left."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import Any

from spacrm.bot.nlu.contacts import find_email, find_phones, find_tax_code
from spacrm.bot.nlu.dates import DateHit, find_dates
from spacrm.bot.nlu.hours import as_number, find_hours
from spacrm.bot.nlu.intents import BOOK, CALL, EMAIL, MEET, QUOTE
from spacrm.bot.nlu.money import find_money
from spacrm.bot.nlu.names import (
    NameHit,
    find_capitalised_name,
    find_customer,
    find_lowercase_full_name,
    find_person_after,
    find_subject_name,
    find_title_after,
)
from spacrm.bot.nlu.party import PARTY, party_size
from spacrm.bot.nlu.pay_method import card_word
from spacrm.bot.nlu.periods import find_period
from spacrm.bot.nlu.reports import find_report
from spacrm.bot.nlu.stages import AGREED, find_stage
from spacrm.bot.nlu.text import WORD, Doc, kw
from spacrm.bot.nlu.times import find_times
from spacrm.bot.nlu.vocab import REFERENCE, REFERENCE_WORDS, SERVICE, SOURCES, STOPWORDS, SURNAMES
from spacrm.core.textnorm import fold

Slots = dict[str, Any]

_KIND_PATTERNS = (
    ("call", re.compile(rf"(?<![a-z0-9])(?:{CALL})(?![a-z0-9])")),
    ("meeting", re.compile(rf"(?<![a-z0-9])(?:{MEET})(?![a-z0-9])")),
    ("email", re.compile(rf"(?<![a-z0-9])(?:{EMAIL})(?![a-z0-9])")),
)
_QUOTE = re.compile(rf"(?<![a-z0-9])(?:{QUOTE})(?![a-z0-9])")
_NEXT_MARKER = kw(
    r"hen", r"lai", r"tiep", r"next", r"nhac", r"se", r"lan sau", r"sau do", r"hen lai"
)
# Words after which a capitalised word is the customer, honorific or not.
_NAME_AFTER = kw(
    r"cho", r"dat lich(?: cho)?", r"book(?: lich)?(?: cho)?", r"xem", r"tim", r"tra cuu", r"goi(?: lai| cho| dien cho)?", r"gap(?: lai)?", r"(?:e-?mail|mail)(?: cho)?",
    r"nhan tin(?: cho)?", r"lien he(?: lai)?(?: voi)?", r"tu van(?: cho)?", r"ten", r"ho ten",
)  # fmt: skip
_NOTE = kw(r"ghi chu", r"note", r"gc", r"luu y")
# Not "bạn": "đặt lịch cho bạn Kim" names the customer (DESIGN §6).
_TECHNICIAN = kw(r"ktv", r"ky thuat vien", r"ky thuat", r"nhan vien", r"nv", r"tho")
_EMPLOYEE = kw(r"cua", r"nv", r"nhan vien", r"ktv", r"ky thuat vien", r"ban", r"cho", r"ve")
_PRONOUNS = frozenset("minh t0i toi em team nhom ca tat chung".split())
_SOURCE_MARKER = kw(
    r"nguon(?:\s+(?:tu|la|khach|kh))?\s*:?",
    r"(?:khach|kh)\s+(?:tu|qua)",
    r"den tu",
    r"biet (?:qua|tu)",
)
_INTEREST_MARKER = kw(
    r"quan tam(?:\s+(?:den|toi|ve))?",
    r"hoi(?:\s+(?:ve|gia|tham))?",
    r"muon(?:\s+(?:lam|tri|tu van ve|tu van|dat))?",
    r"can tu van(?:\s+ve)?",
    r"thich",
    r"nhu cau",
)
_FREE_TEXT_STOP = kw(
    r"nguon",
    r"sdt",
    r"so dien thoai",
    r"dt",
    r"email",
    r"mail",
    r"ghi chu",
    r"note",
    r"qua (?:zalo|fb|facebook|tiktok|web|website)",
    r"tu (?:zalo|fb|facebook|tiktok|web|website)",
    r"ktv",
)
_REASON_MARKER = kw(r"vi", r"do", r"ly do", r"li do", r"tai vi", r"boi vi", r"vi ly do", r"de")
_RANGE_GAP = re.compile(r"\s*(?:den|toi|-|–|~|->|>)\s*(?:het\s+)?(?:ngay\s+)?$")
_N_DAYS = kw(r"(?P<n>\d{1,2})\s+ngay")
_FULL_DAY = kw(
    r"ca ngay", r"nguyen ngay", r"full(?: ngay)?", r"1 ngay", r"mot ngay", r"m0t ngay", r"tron ngay"
)
_MORNING = kw(r"(?:buoi\s+)?sang", r"nua ngay sang", r"ca sang")
_AFTERNOON = kw(r"(?:buoi\s+)?chieu", r"nua ngay chieu", r"ca chieu")
_UNPAID = kw(r"(?:khong|ko|k|hok|kg|kh0ng)\s+luong", r"unpaid", r"tru luong")
_PAID = kw(r"phep", r"co luong", r"paid", r"huong luong")
# Taking back one's own request ("hủy đơn nghỉ phép thứ 6", "rút tăng ca chủ nhật"): a slot of the
# same intent, so the request words still find the intent and the date, and nothing new is asked.
_WITHDRAW = kw(
    r"(?:huy|rut|thu hoi|bo|xoa)(?: (?:lai|bo|giup|dum))?(?: (?:em|t0i|toi|minh))?"
    r"(?: (?:cai|cac))?(?: (?:don|yeu cau|dang ky|lich))?(?: (?:xin|dang ky))?"
    r" (?:nghi|phep|tang ca|ot|lam them|off)",
    r"(?:khong|ko|k|thoi khong|thoi ko) (?:xin )?(?:nghi|tang ca|lam them) nua",
)
_METHODS = (
    (
        "transfer",
        kw(
            r"chuyen khoan",
            r"chuyen khan",
            r"chuyn khoan",
            r"ck",
            r"chuyen tien",
            r"banking",
            r"bank",
            r"stk",
            r"qr",
        ),
    ),
    ("cash", kw(r"tien mat", r"tm", r"cash")),
    (
        "card",
        kw(
            r"(?:bang|qua|quet|ca|cha)\s+the",
            r"the (?:tin dung|ngan hang|atm|visa)",
            r"card",
            r"pos",
            r"visa",
            r"mastercard",
        ),
    ),
)


def pay_method(doc: Doc) -> str | None:
    """The payment method a message names: a method word, else a bare card word ("the")."""
    for method, pattern in _METHODS:
        # "chưa ck, thu tiền mặt": a method denied is not the one used
        if any(not _DENIED.search(doc.key, 0, m.start()) for m in pattern.finditer(doc.key)):
            return method
    return "card" if card_word(doc) is not None else None


_DENIED = re.compile(r"(?<![a-z0-9])(?:chua|khong|ko|k|hok)\s+(?:(?:tra|thanh toan|tt)\s+)?$")


def parse_pay_method(text: str) -> str | None:
    """The method typed in answer to "paid how?": "ck", "tiền mặt", "quẹt thẻ", or "the" alone
    (alone it can only mean the card; inside a sentence "the" is also "có thể")."""
    doc = Doc.of(text)
    bare = doc.key.strip(" .!") in ("the", "the a", "the nhe", "the nha")
    return pay_method(doc) or ("card" if bare else None)


_LIST_VALUE = kw(r"doanh so", r"doanh thu", r"gia tri", r"value", r"tien", r"so tien", r"chi tieu")
_LIST_CREATED = kw(
    r"ngay tao",
    r"moi nhat",
    r"cu nhat",
    r"moi tao",
    r"gan day",
    r"thoi gian",
    r"created",
    r"moi them",
)
_LIST_DESC = kw(
    r"giam dan",
    r"cao nhat",
    r"lon nhat",
    r"nhieu nhat",
    r"moi nhat",
    r"moi truoc",
    r"desc",
    r"cao xuong thap",
)
_LIST_ASC = kw(
    r"tang dan",
    r"thap nhat",
    r"it nhat",
    r"nho nhat",
    r"cu nhat",
    r"cu truoc",
    r"asc",
    r"thap len cao",
)
_BOOK_FILLERS = frozenset(
    "cho luc vao ngay nhe nha a voi o tai de giup em t0i toi minh khach kh hen lich di qua spa den buoi can muon dat them "
    "lam dich vu dv h ban oi ad nhe roi xong r duoc dc khong ko k giup gium".split()
)
_SESSION_NUMBER = kw(
    r"(?:buoi|lan) (?:thu )?\d{1,2}(?![0-9])",
    r"(?:1|mot|m0t) (?:buoi|lan|suat|ca)(?! (?:nua|toi|sau|truoc))",  # "đặt 1 buổi massage"
)
_BRANCH = kw(
    r"(?:o|tai)?\s*(?:chi nhanh|cn|co so|cs|shop|cua hang)\s*:?", r"(?:o|tai)\s+(?=(?:quan|q)\s*\d)"
)
_STOCK_WORDS = kw(
    r"ton kho", r"ton", r"con bao nhieu", r"con lai bao nhieu", r"bao nhieu", r"con lai", r"sap het(?: hang)?",
    r"het hang", r"con hang", r"(?:hang|sp|san pham|vat tu)? ?(?:gi|nao)(?: (?:sap|da) het)?",
    r"kho", r"so luong", r"con", r"kiem tra", r"check", r"xem", r"hang", r"san pham", r"sp", r"may", r"khong", r"ko", r"k",
)  # fmt: skip
_STOCK_FILLERS = frozenset(
    "cua o tai trong la nhe a vay the th3 nao duoc cho em minh hop chai lo tuyp cai thung g0i goi bich".split()
)


def _take(doc: Doc, hit: Any) -> None:
    doc.take(hit.start, hit.end)


def _phone(doc: Doc, slots: Slots) -> None:
    phones = find_phones(doc)
    for hit in phones:
        _take(doc, hit)
    if phones:
        slots["phone"] = phones[0].value


def _email(doc: Doc, slots: Slots) -> None:
    hit = find_email(doc)
    if hit:
        _take(doc, hit)
        slots["email"] = hit.value


def _customer(doc: Doc, slots: Slots, *, loose: bool = False) -> None:
    hit: NameHit | None = find_customer(doc)
    if hit is None:
        hit = find_title_after(doc, _NAME_AFTER)
    if hit is None:
        # A full name needs no honorific ("chuyển Hồ Kim Hằng sang ..."); one capitalised word
        # alone is a name only where a customer is expected (`loose`) or opens the message
        # before a verb ("Vy chuyển khoản 2tr").
        hit = (
            find_capitalised_name(doc, single=loose)
            or find_lowercase_full_name(doc)
            or find_subject_name(doc)
        )
    if hit:
        _take(doc, hit)
        slots["customer"] = hit.value


def _take_all(doc: Doc, pattern: re.Pattern[str]) -> None:
    for m in list(doc.find(pattern)):
        doc.take(m.start(), m.end())


def _kind(doc: Doc) -> str | None:
    key = doc.key
    found = [(m.start(), kind) for kind, p in _KIND_PATTERNS if (m := p.search(key))]
    quote = _QUOTE.search(key)
    spoken = [f for f in found if f[1] != "email"]
    if quote and (not spoken or any(k == "email" for _, k in found)):
        return "quote_email"
    return min(found)[1] if found else None


def _free_text_after(doc: Doc, pos: int) -> tuple[int, int] | None:
    """Text from `pos` up to a comma, a used span or a slot keyword: an interest, a reason."""
    key = doc.key
    end = pos
    while end < len(key) and key[end] in " :":
        end += 1
    start = end
    stop = _FREE_TEXT_STOP.search(key, start)
    limit = stop.start() if stop else len(key)
    while end < limit and key[end] not in ",;.!?()" and not doc.used[end]:
        end += 1
    # A "." inside an email or a number ("1.5") does not end the text.
    while start < end and key[end - 1] == " ":
        end -= 1
    return (start, end) if end > start else None


def _longest_free_run(
    doc: Doc, fillers: frozenset[str], prefer: re.Pattern[str] | None
) -> tuple[int, int] | None:
    """The longest stretch of unused words (fillers at its edges dropped), preferring one that
    contains a known word: what is left of a booking is the service, of a stock query the product."""
    runs: list[list[tuple[int, int]]] = []
    current: list[tuple[int, int]] = []
    last_end = -1
    for m in WORD.finditer(doc.key):
        s, e = m.start(), m.end()
        usable = doc.free(s, e)
        joined = last_end >= 0 and doc.key[last_end:s].strip() == ""
        if usable and current and joined:
            current.append((s, e))
        elif usable:
            if current:
                runs.append(current)
            current = [(s, e)]
        else:
            if current:
                runs.append(current)
            current = []
        last_end = e
    if current:
        runs.append(current)
    trimmed = []
    for run in runs:
        # A filler that is part of a known phrase stays ("làm mặt", "gội đầu").
        known = [] if prefer is None else list(prefer.finditer(doc.key, run[0][0], run[-1][1]))
        lo = min((m.start() for m in known), default=len(doc.key))
        hi = max((m.end() for m in known), default=-1)
        while run and run[0][0] < lo and doc.key[run[0][0] : run[0][1]] in fillers:
            run = run[1:]
        while run and run[-1][1] > hi and doc.key[run[-1][0] : run[-1][1]] in fillers:
            run = run[:-1]
        if run:
            trimmed.append(run)
    if not trimmed:
        return None
    if prefer is not None:
        preferred = [r for r in trimmed if prefer.search(doc.key, r[0][0], r[-1][1])]
        if preferred:
            trimmed = preferred
    best = max(trimmed, key=lambda r: (len(r), -r[0][0]))
    return best[0][0], best[-1][1]


def _dates(doc: Doc, today: date) -> list[DateHit]:
    hits = find_dates(doc, today)
    for hit in hits:
        _take(doc, hit)
    return hits


def _note(doc: Doc, slots: Slots) -> None:
    m = doc.first(_NOTE)
    if m:
        end = len(doc.key)
        text = doc.clean_slice(m.end(), end)
        doc.take(m.start(), end)
        if text:
            slots["note"] = text


# --- one function per intent -------------------------------------------------------------


# "chị Lan mang theo bạn, thêm 1 khách nữa": the one named before is who brings the new one.
_ONE_MORE = kw(r"them(?: (?:1|mot|m0t|2|hai))? (?:khach|kh|nguoi)(?: nua| moi)?")


def create_lead(doc: Doc, today: date) -> Slots:
    slots: Slots = {}
    _phone(doc, slots)
    _email(doc, slots)
    _note(doc, slots)
    more = doc.first(_ONE_MORE) if "phone" not in slots else None
    named = find_customer(doc) if more is not None else None
    if more is not None and named is not None and named.end <= more.start():
        _take(doc, named)  # not the new customer's name: asked for instead
    _customer(doc, slots, loose=True)
    marker = doc.first(_SOURCE_MARKER)
    for pattern, source in SOURCES:
        m = doc.first(kw(pattern)) if marker is None else kw(pattern).search(doc.key, marker.end())
        if m and (marker is None or doc.key[marker.end() : m.start()].strip() == ""):
            slots["source"] = source
            doc.take(marker.start() if marker else m.start(), m.end())
            break
    interest = doc.first(_INTEREST_MARKER)
    if interest:
        span = _free_text_after(doc, interest.end())
        if span:
            slots["interest"] = doc.clean_slice(*span)
    return slots


def _activity_slots(doc: Doc) -> Slots:
    """What logging and planning share: kind, phone, note, customer. An email address is taken
    out of the text (so it is not read as a name) but is not a slot of these intents."""
    slots: Slots = {}
    kind = _kind(doc)
    if kind:
        slots["kind"] = kind
    _phone(doc, slots)
    _email(doc, slots)
    slots.pop("email", None)
    _note(doc, slots)
    _customer(doc, slots)
    return slots


def log_activity(doc: Doc, today: date) -> Slots:
    slots = _activity_slots(doc)
    marker = doc.first(_NEXT_MARKER)
    after = marker.start() if marker else len(doc.key)
    dates = _dates(doc, today)
    next_date = next((d for d in dates if d.start >= after or d.value > today), None)
    if next_date:
        slots["next_date"] = next_date.value.isoformat()
    times = find_times(doc, next_date.part if next_date else None)
    next_time = next((t for t in times if t.start >= after), None)
    if next_time is None and next_date and times:
        nearest = min(times, key=lambda t: abs(t.start - next_date.start))
        next_time = nearest if abs(nearest.start - next_date.start) < 20 else None
    if next_time:
        slots["next_time"] = next_time.value.strftime("%H:%M")
    return slots


def plan_activity(doc: Doc, today: date) -> Slots:
    slots = _activity_slots(doc)
    dates = _dates(doc, today)
    if dates:
        slots["date"] = dates[0].value.isoformat()
    times = find_times(doc, dates[0].part if dates else None)
    if times:
        slots["time"] = times[0].value.strftime("%H:%M")
    return slots


# "chuyen ho kim hang sang ...": the words between the verb and "sang" name whom to move.
_MOVE_SPAN = re.compile(
    r"(?<![a-z0-9])(?:chuyen|chuyn|dua|cho)\s+(?P<n>[a-z]+(?:\s+[a-z]+){0,3}?)\s+(?:sang|qua|ve|vao|len|xuong)\s"
)


def _name_between(doc: Doc, slots: Slots) -> None:
    m = _MOVE_SPAN.search(doc.key)
    if m is None or not doc.free(m.start("n"), m.end("n")):
        return
    words = m.group("n").split()
    family = len(words) >= 2 and words[0] in SURNAMES  # "ho" is "Hồ" before a given name
    if any(
        (w in STOPWORDS and not (i == 0 and family)) or w in REFERENCE_WORDS
        for i, w in enumerate(words)
    ):
        return
    doc.take(m.start("n"), m.end("n"))
    slots["customer"] = doc.text[m.start("n") : m.end("n")]


def move_lead(doc: Doc, today: date) -> Slots:
    slots: Slots = {}
    _phone(doc, slots)
    stage = find_stage(doc)
    if stage:
        _take(doc, stage)
    _customer(doc, slots)
    if "customer" not in slots:
        _name_between(doc, slots)
    if stage:
        slots["stage"] = stage.value
    return slots


def show_customer(doc: Doc, today: date) -> Slots:
    slots: Slots = {}
    tax = find_tax_code(doc, loose=True)
    if tax:
        _take(doc, tax)
        slots["tax_code"] = tax.value
    _phone(doc, slots)
    _email(doc, slots)
    _customer(doc, slots, loose=True)
    return slots


def list_leads(doc: Doc, today: date) -> Slots:
    slots: Slots = {}
    stage = find_stage(doc)
    if stage:
        slots["stage"] = stage.value
    if doc.has(_LIST_VALUE):
        slots["sort"] = "value"
    elif doc.has(_LIST_CREATED):
        slots["sort"] = "created"
    if doc.has(_LIST_ASC):
        slots["order"] = "asc"
    elif doc.has(_LIST_DESC):
        slots["order"] = "desc"
    return slots


def book_appointment(doc: Doc, today: date) -> Slots:
    slots: Slots = {}
    _phone(doc, slots)
    # "2 suất … cho 2 mẹ con": one appointment each, read before the names and the service
    for group in list(doc.find(PARTY)):
        slots["party"] = max(int(slots.get("party", 1)), party_size(group))
        doc.take(group.start(), group.end())
    technician = find_person_after(doc, _TECHNICIAN)
    if technician:
        _take(doc, technician)
    _customer(doc, slots)
    dates = _dates(doc, today)
    times = find_times(doc, dates[0].part if dates else None)
    for hit in times:
        _take(doc, hit)
    _take_all(doc, _SESSION_NUMBER)  # "đặt thêm buổi 4": which session, not the service
    _take_all(doc, AGREED)  # before the booking words it contains ("đồng ý đặt lịch")
    _take_all(doc, BOOK)
    _take_all(doc, REFERENCE)  # "cho khách này", "chị ấy": the customer on screen
    service = _longest_free_run(doc, _BOOK_FILLERS, SERVICE)
    if service:
        slots["service"] = doc.clean_slice(*service)
    if dates:
        slots["date"] = dates[0].value.isoformat()
    if times:
        slots["time"] = times[0].value.strftime("%H:%M")
    if technician:
        slots["technician"] = technician.value
    return slots


# The words before the sum received: "… gói 3tr hôm trước, nay trả thêm 1tr" received 1tr.
_PAID_BEFORE = re.compile(
    r"(?:tra|ck|chuyen|chuyen khoan|thu|dong|tt|thanh toan|quet the|tien mat)"
    r"(?: (?:them|not|tiep|truoc|lai|du|het|luon|tien|ngay|cho|chi|anh|em|c|a|e))*\s*$"
)

_REST_BEFORE = re.compile(r"(?:them|not|tiep|phan con lai|con lai)(?: [a-z]+){0,2}\s*$")


def record_payment(doc: Doc, today: date) -> Slots:
    slots: Slots = {}
    _phone(doc, slots)
    _customer(doc, slots)
    amounts = find_money(doc)
    if amounts:
        paid = [a for a in amounts if _PAID_BEFORE.search(doc.key, 0, a.start)]
        # "ck trước 2tr rồi, giờ trả nốt 3tr": the rest is what comes in now
        rest = [a for a in paid if _REST_BEFORE.search(doc.key, 0, a.start)]
        slots["amount"] = (rest or paid or amounts)[0].value
    method = pay_method(doc)  # "thu chị Hoa 2tr3 the": the card
    if method is not None:
        slots["method"] = method
    return slots


def request_leave(doc: Doc, today: date) -> Slots:
    slots: Slots = {}
    dates = _dates(doc, today)
    if dates:
        slots["date"] = dates[0].value.isoformat()
        if len(dates) > 1 and _RANGE_GAP.match(doc.key[dates[0].end : dates[1].start] + " "):
            slots["date_to"] = dates[1].value.isoformat()
        elif (n := doc.first(_N_DAYS)) and int(n.group("n")) > 1:
            slots["date_to"] = date.fromordinal(
                dates[0].value.toordinal() + int(n.group("n")) - 1
            ).isoformat()
    part = next((d.part for d in dates if d.part in ("morning", "afternoon")), None)
    if part is None:
        if doc.has(_FULL_DAY):
            part = "full"
        elif doc.first(_MORNING):
            part = "morning"
        elif doc.first(_AFTERNOON):
            part = "afternoon"
    if part:
        slots["part"] = part
    if doc.has(_UNPAID):
        slots["paid"] = False
    elif doc.has(_PAID):
        slots["paid"] = True
    reason = doc.first(_REASON_MARKER)
    if reason:
        text = doc.clean_slice(reason.end(), len(doc.key))
        if text:
            slots["reason"] = text
    if doc.has(_WITHDRAW):
        slots["withdraw"] = True
    return slots


def log_overtime(doc: Doc, today: date) -> Slots:
    slots: Slots = {}
    dates = _dates(doc, today)
    if dates:
        slots["date"] = dates[0].value.isoformat()
    hours = find_hours(doc)
    if hours:
        slots["hours"] = as_number(hours.value)
    if doc.has(_WITHDRAW):
        slots["withdraw"] = True
    return slots


def kpi_report(doc: Doc, today: date) -> Slots:
    slots: Slots = {}
    period = find_period(doc, today)
    if period:
        _take(doc, period)
        slots["period"] = period.value
    person = find_person_after(doc, _EMPLOYEE)
    if person is None or doc.key[person.end - len(person.value) : person.end] in _PRONOUNS:
        person = find_capitalised_name(doc, single=True)
    if person and person.value.lower() not in _PRONOUNS and not _asked_word(person.value):
        slots["employee"] = person.value
    return slots


# What is asked about a figure, typed lower-case after "của em": "kpi của em đạt bao nhiêu" is
# the sender's own, not an employee named Đạt (written "của Đạt" it still is).
_REPORT_WORDS = frozenset("dat duoc bao nhieu the sao roi chua nay".split())


def _asked_word(value: str) -> bool:
    return value == value.lower() and fold(value).split()[0] in _REPORT_WORDS


def dashboard(doc: Doc, today: date) -> Slots:
    period = find_period(doc, today)
    return {"period": period.value} if period else {}


# "lợi nhuận theo cơ hội": profit per opportunity (#32), not per customer.
_BY_DEAL = kw(r"(?:theo|tung|moi|cac|cua|tren)\s+(?:(?:co hoi|deal|opportunity)(?: ban hang)?)")


def chart(doc: Doc, today: date) -> Slots:
    slots: Slots = {}
    report = find_report(doc)
    if report:
        slots["report"] = report
        if report == "profit" and doc.has(_BY_DEAL):
            slots["by"] = "opportunity"
    period = find_period(doc, today)
    if period:
        slots["period"] = period.value
    return slots


def _branch(doc: Doc, slots: Slots) -> None:
    """ "chi nhánh Gò Vấp …": the branch named after the marker (the words up to the next slot)."""
    branch = doc.first(_BRANCH)
    if branch:
        span = _free_text_after(doc, branch.end())
        if span:
            span = _branch_words(doc.key, span)
            slots["branch"] = doc.clean_slice(*span)
            doc.take(branch.start(), span[1])


# A branch is named in a few words ("Gò Vấp", "Quận 1", "Thủ Đức"); what follows is the question
# ("kho chi nhánh gò vấp còn serum ko": the product, not more of the name).
_BRANCH_WORDS = 4
_AFTER_BRANCH = frozenset("con co ton kho het bao nhieu may khong ko k hok chua thi".split())


def _branch_words(key: str, span: tuple[int, int]) -> tuple[int, int]:
    end, taken = span[0], 0
    for word in re.finditer(r"\S+", key[span[0] : span[1]]):
        if taken == _BRANCH_WORDS or (taken and word.group() in _AFTER_BRANCH):
            break
        end, taken = span[0] + word.end(), taken + 1
    return span[0], end


_LOW = kw(r"sap het", r"(?:nao|gi) (?:sap|da) het", r"duoi (?:muc )?toi thieu", r"can nhap")


def stock_query(doc: Doc, today: date) -> Slots:
    slots: Slots = {}
    if doc.has(_LOW):
        slots["low"] = True  # "sắp hết hàng gì": only what runs low
    _branch(doc, slots)
    _take_all(doc, _STOCK_WORDS)
    product = _longest_free_run(doc, _STOCK_FILLERS, None)
    if product:
        slots["product"] = doc.clean_slice(*product)
    return slots


_CASE_TRIGGER = kw(
    r"(?:tao|mo|lap|ghi nhan|them|ghi)\s+(?:(?:1|mot|m0t)\s+)?(?:vu viec|case|khieu nai|ticket)(?:\s+moi)?\s*:?",
    r"vu viec(?:\s+moi)?\s*:?", r"khieu nai\s*:?", r"case\s*:?",
)  # fmt: skip
_CASE_VERB = kw(
    r"(?:phan nan|khieu nai|than phien|keu ca|keu|bao|complain|phan anh)(?:\s+(?:ve|rang|la|vi))?\s*:?"
)
_CASE_FILLERS = frozenset("cho voi cua ve rang la nhe nha a".split())


def create_case(doc: Doc, today: date) -> Slots:
    """The customer, and what went wrong: the words after the trigger, the customer and the phone
    ("tạo vụ việc chị Lan 0912345678 phàn nàn da bị kích ứng" -> note "da bị kích ứng")."""
    slots: Slots = {}
    _take_all(doc, _CASE_TRIGGER)
    _take_all(doc, REFERENCE)
    _phone(doc, slots)
    _note(doc, slots)
    _customer(doc, slots, loose=True)
    if "note" in slots:
        return slots
    last_used = max((i + 1 for i, u in enumerate(doc.used) if u), default=0)
    words = [(s, e) for s, e in doc.words() if s >= last_used and doc.free(s, e)]
    span = (words[0][0], words[-1][1]) if words else _longest_free_run(doc, _CASE_FILLERS, None)
    if span:
        start, end = span
        verb = _CASE_VERB.match(doc.key, start)
        if verb and verb.end() < end:
            start = verb.end()
        note = doc.clean_slice(start, end)
        if note:
            slots["note"] = note
    return slots


def nothing(doc: Doc, today: date) -> Slots:
    return {}


EXTRACTORS: dict[str, Callable[[Doc, date], Slots]] = {
    "create_lead": create_lead,
    "log_activity": log_activity,
    "plan_activity": plan_activity,
    "move_lead": move_lead,
    "show_customer": show_customer,
    "list_leads": list_leads,
    "book_appointment": book_appointment,
    "record_payment": record_payment,
    "request_leave": request_leave,
    "log_overtime": log_overtime,
    "kpi_report": kpi_report,
    "dashboard": dashboard,
    "chart": chart,
    "stock_query": stock_query,
    "create_case": create_case,
    "list_cases": nothing,
    "leave_balance": nothing,
    "help": nothing,
    "unknown": nothing,
}
