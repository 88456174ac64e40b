"""`parse(text, now)`: a staff message -> intent and slots, rule based and fast."""

from __future__ import annotations

import logging
import re
from datetime import date, datetime

from spacrm.bot.nlu import stock_moves
from spacrm.bot.nlu.contacts import find_phones
from spacrm.bot.nlu.corrections import apply_corrections
from spacrm.bot.nlu.course_slots import transfer_course
from spacrm.bot.nlu.crm_slots import CRM_EXTRACTORS
from spacrm.bot.nlu.dates import find_dates
from spacrm.bot.nlu.deal_link import EXTRACTORS as DEAL_EXTRACTORS
from spacrm.bot.nlu.deal_link import SLOT_ORDER as DEAL_SLOT_ORDER
from spacrm.bot.nlu.intents import Facts, classify
from spacrm.bot.nlu.money import find_money
from spacrm.bot.nlu.money_docs import EXTRACTORS as MONEY_EXTRACTORS
from spacrm.bot.nlu.money_docs import SLOT_ORDER as MONEY_SLOT_ORDER
from spacrm.bot.nlu.names import find_named, given_names, leave_subject
from spacrm.bot.nlu.ops_rules import (
    APPOINTMENT_WORDS,
    HOWTO,
    ORDER_NUMBER,
    POLITE,
    QUESTION,
    QUESTION_EXEMPT,
    REPORTED,
    WRITES,
)
from spacrm.bot.nlu.ops_slots import OPS_EXTRACTORS
from spacrm.bot.nlu.periods import find_period
from spacrm.bot.nlu.reports import find_report
from spacrm.bot.nlu.result import NluResult
from spacrm.bot.nlu.slots import EXTRACTORS
from spacrm.bot.nlu.stages import find_stage
from spacrm.bot.nlu.text import Doc
from spacrm.bot.nlu.times import find_times
from spacrm.bot.nlu.vocab import REFERENCE, SERVICE
from spacrm.core import clock

log = logging.getLogger(__name__)

_HAS_WORD = re.compile(r"[a-z0-9]")
_CONTACT = re.compile(r"@|(?<![a-z])(?:mst|ma so thue|cong ty|kh|khach)(?![a-z])")
# A question about buying asks what was bought, whatever else it holds ("đã mua gói X chưa").
_BOUGHT = re.compile(r"(?<![a-z0-9])mua(?![a-z0-9])")
_MOVE_PREPOSITION = re.compile(
    r"(?<![a-z])(?:sang|ve|qua|thanh|len|xuong|vao|la|thanh|o)\s+(?:trang thai\s+|giai doan\s+|muc\s+|stage\s+)?$"
)


# Slot order of the DESIGN §6 table, so printed results read the same way as the contract.
SLOT_ORDER: dict[str, tuple[str, ...]] = {
    "create_lead": ("customer", "phone", "email", "source", "interest", "note"),
    "log_activity": ("kind", "customer", "phone", "note", "next_date", "next_time"),
    "plan_activity": ("kind", "customer", "phone", "date", "time", "note"),
    "move_lead": ("customer", "phone", "stage"),
    "show_customer": ("customer", "phone", "email", "tax_code"),
    "list_leads": ("stage", "sort", "order"),
    "book_appointment": ("customer", "phone", "service", "date", "time", "technician", "party"),
    "record_payment": ("customer", "phone", "amount", "method"),
    "request_leave": ("date", "date_to", "part", "paid", "reason", "withdraw"),
    "log_overtime": ("date", "hours", "withdraw"),
    "kpi_report": ("period", "employee"),
    "dashboard": ("period",),
    "chart": ("report", "period"),
    "stock_query": ("product", "branch", "low"),
    "create_case": ("customer", "phone", "note"),
    "create_order": (
        "customer", "phone", "walk_in", "item", "quantity", "sessions", "amount", "discount_pct",
        "discount", "method", "paid", "rest_method",
    ),
    "show_order": ("order", "customer", "phone"),
    "show_course": ("customer", "phone", "service"),
    "list_appointments": ("date", "technician", "customer", "phone"),
    "on_duty": ("date", "time", "part", "rooms"),
    "cancel_appointment": ("customer", "phone", "date", "time"),
    "reschedule_appointment": ("customer", "phone", "date", "time", "technician"),
    "check_in": ("customer", "phone"),
    "complete_session": ("customer", "phone", "service", "technician"),
    "no_show": ("customer", "phone", "date"),
    "confirm_appointment": ("customer", "phone", "date"),
    "stock_in": ("product", "quantity", "branch", "amount"),
    "export_report": ("report", "period", "employee"),
    "payslip": ("period", "employee"),
    "approve_leave": ("employee", "date", "overtime"),
    "list_leave": ("period",),
    "list_birthdays": ("period",),
    "list_lapsed": ("days",),
    "leave_balance": (),
    "edit_customer": ("customer", "phone", "field", "value"),
    "reassign": ("customer", "phone", "employee"),
    "add_note": ("customer", "phone", "note"),
    "list_tasks": ("date", "kind"),
    "order_task": ("order", "details", "employee", "pct", "amount"),
}  # fmt: skip
SLOT_ORDER["record_payment"] += ("order",)
SLOT_ORDER["chart"] += ("by",)  # profit by opportunity (#32)
SLOT_ORDER.update(MONEY_SLOT_ORDER)  # sales (issue 8): payment vouchers, bank reviews
_EXTRACTORS = {**EXTRACTORS, **OPS_EXTRACTORS, **CRM_EXTRACTORS, "undo": EXTRACTORS["help"]}
_EXTRACTORS.update(MONEY_EXTRACTORS)
# Bookings (#9): a course's sessions to another customer.
SLOT_ORDER["transfer_course"] = (
    "customer",
    "phone",
    "service",
    "sessions",
    "to_customer",
    "to_phone",
)
_EXTRACTORS["transfer_course"] = transfer_course
_EXTRACTORS.update(DEAL_EXTRACTORS)  # an order's opportunity (#32)
SLOT_ORDER.update(DEAL_SLOT_ORDER)
# Goods issue, stock transfer, refund (ops): the writes the hints used to point elsewhere.
_EXTRACTORS.update(stock_moves.EXTRACTORS)
SLOT_ORDER.update(stock_moves.SLOT_ORDER)


# "vào làm gội đầu bây giờ": a walk-in, booked for now. Only typed with its marks: folded,
# "bay gio" is also "bảy giờ" (seven o'clock).
_NOW = re.compile(r"(?<!\w)(?:bây giờ|bây h|bâygiờ|luôn bây giờ)(?!\w)", re.IGNORECASE)
_WALK_IN_STEP = 5  # minutes: "now" is the next step of the clock


def _walk_in_time(now: datetime | date | None) -> tuple[str, str]:
    """The day and the clock time a booking "for now" takes: the next five minutes."""
    moment = (
        clock.local_now()
        if not isinstance(now, datetime)
        else (now.astimezone(clock.TZ) if now.tzinfo else now)
    )
    minutes = (moment.hour * 60 + moment.minute + _WALK_IN_STEP) // _WALK_IN_STEP * _WALK_IN_STEP
    minutes = min(minutes, 23 * 60 + 55)
    return moment.date().isoformat(), f"{minutes // 60:02d}:{minutes % 60:02d}"


def local_today(now: datetime | date | None) -> date:
    """The day in Vietnam for `now` (naive datetimes are Vietnam time already)."""
    if now is None:
        return clock.today()
    if isinstance(now, datetime):
        return now.astimezone(clock.TZ).date() if now.tzinfo else now.date()
    return now


def _facts(doc: Doc, today: date) -> Facts:
    phones = find_phones(doc)
    for hit in phones:
        doc.take(hit.start, hit.end)
    stage = find_stage(doc)
    after_prep = bool(
        stage and _MOVE_PREPOSITION.search(doc.key, max(0, stage.start - 24), stage.start)
    )
    name = find_named(doc)
    if name is not None:
        doc.take(name.start, name.end)  # "chị Mai Anh" names someone, it is no "mai" (tomorrow)
    dates = find_dates(doc, today)
    for d in dates:
        doc.take(d.start, d.end)
    times = find_times(doc)
    money = find_money(doc, plain=False)
    doc.used[:] = bytes(len(doc.used))
    return Facts(
        phone=bool(phones),
        money=bool(money),
        stage=stage is not None,
        stage_after_preposition=after_prep,
        name=name is not None,
        reference=REFERENCE.search(doc.key) is not None,
        contact=_CONTACT.search(doc.key) is not None,
        date=bool(dates),
        future_date=any(d.value >= today for d in dates),
        time=bool(times) or _NOW.search(doc.text) is not None,
        service=doc.has(SERVICE),
        report=find_report(doc) is not None,
        period=find_period(doc, today) is not None,
    )


def _asks(doc: Doc) -> bool:
    """A question word that is not part of a name ("gọi chị Hồng" ends in no "hông")."""
    reported = REPORTED.search(doc.key)
    for m in QUESTION.finditer(doc.key):
        if reported is not None and reported.start() < m.start():
            continue
        written = doc.text[m.start() : m.end()]
        if m.start() == 0 or not any(ch.isupper() for ch in written):
            return True
    return HOWTO.search(doc.key) is not None


def _read_if_asked(doc: Doc, facts: Facts, intent: str) -> str:
    """A question never changes anything (issue 6): "chị Vy đã đặt lịch chưa?", "đang chăm sóc
    hay đặt lịch rồi?" read the customer; "có lịch hẹn không" reads the appointments. A polite
    request ("… được không?", "giúp em") stays a request."""
    key = doc.intent_key
    if intent == "show_customer" and _BOUGHT.search(key) and _asks(doc):
        return "show_order"
    if intent not in WRITES or intent in QUESTION_EXEMPT:
        return intent
    if not _asks(doc) or POLITE.search(key):
        return intent
    if ORDER_NUMBER.search(key):
        return "show_order"  # "đơn HD2026-000412 trả đủ chưa": that order, read
    someone = facts.name or facts.phone or facts.reference
    if HOWTO.search(key) and not someone:
        return "help"
    if intent in ("book_appointment", "cancel_appointment", "reschedule_appointment") and (
        APPOINTMENT_WORDS.search(key) or not someone
    ):
        # "hôm nay có ai đặt lịch không", "mai ai hủy lịch": about nobody in particular, the
        # bookings are what is asked; about someone ("chị Vy đặt lịch chưa"), her card below.
        return "list_appointments"
    if intent == "stock_in":
        return "stock_query"
    if intent == "create_expense":
        return "list_expenses"  # "chi 500k mua khăn chưa?" asks, it writes no voucher
    if intent in ("request_leave", "log_overtime", "approve_leave", "order_task"):
        return "unknown"  # a question about leave or hours: nothing in §6 reads it yet
    if not someone:
        return "unknown"  # "giá gói tắm trắng bn": a question about nobody, no card to show
    if intent == "create_order" or _BOUGHT.search(key):
        return "show_order"  # "chị Yến mua gói gì rồi", "c Diễm mua những gì rồi": what she bought
    return "show_customer"


def parse(text: str, now: datetime | date | None = None) -> NluResult:
    """Understand one staff message. Never raises: anything unexpected is `unknown`."""
    try:
        doc = Doc.of(text if isinstance(text, str) else "")
        if not _HAS_WORD.search(doc.key):
            return NluResult("unknown", {})
        today = local_today(now)
        doc = apply_corrections(doc, today)  # "ck 2tr, à nhầm 2tr5" is a payment of 2tr5
        facts = _facts(doc, today)
        intent = _read_if_asked(doc, facts, classify(doc, facts))
        intent = stock_moves.redirect(doc, intent)
        focus_ref = REFERENCE.search(doc.key) is not None
        walk_in = list(_NOW.finditer(doc.text)) if intent == "book_appointment" else []
        for m in walk_in:
            doc.take(m.start(), m.end())  # "bây giờ" is no part of the service
        slots = _EXTRACTORS[intent](doc, today)
        if walk_in and "time" not in slots:
            slots["date"], slots["time"] = _walk_in_time(now)
        order = SLOT_ORDER.get(intent, ())
        own = intent in ("request_leave", "log_overtime")  # filed for the sender only
        return NluResult(
            intent, {name: slots[name] for name in order if name in slots}, focus_ref=focus_ref,
            named=given_names(text) if own else frozenset(),
            subject=leave_subject(text) if own else "",
        )  # fmt: skip
    except Exception:  # the chat must go on; the engine asks the user instead
        log.exception(
            "nlu failed on a message of %d chars", len(text) if isinstance(text, str) else -1
        )
        return NluResult("unknown", {})
