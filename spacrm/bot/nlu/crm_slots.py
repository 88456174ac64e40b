"""Slots of the CRM rows added with issue 6 (DESIGN §6): edit_customer, reassign, add_note,
list_tasks. Typed values first (phone, email, date, amount), then names, then free text."""

from __future__ import annotations

import re
from datetime import date

from spacrm.bot.nlu.contacts import find_email, find_phones
from spacrm.bot.nlu.money import find_money
from spacrm.bot.nlu.ops_rules import BIRTHDAY, NOTE_AFTER
from spacrm.bot.nlu.ops_slots import _customer, _person
from spacrm.bot.nlu.slots import Slots, _dates, _phone, _take_all
from spacrm.bot.nlu.text import Doc, kw
from spacrm.bot.nlu.vocab import REFERENCE, SOURCES

_NEW_VALUE = kw(r"thanh", r"sang", r"la", r"moi la", r"lai la", r"moi")
_COLON = re.compile(r"\s*[:=]\s*")
_FIELDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("birthday", BIRTHDAY),
    ("email", kw(r"email", r"e-mail", r"mail", r"gmail")),
    ("phone", kw(r"sdt", r"so dien thoai", r"so dt", r"dien thoai", r"dt", r"so")),
    ("address", kw(r"dia chi", r"dc", r"d/c")),
    ("company", kw(r"cong ty", r"cty")),
    ("source", kw(r"nguon")),
    ("needs", kw(r"nhu cau", r"quan tam")),
    ("value", kw(r"gia tri", r"doanh so", r"gia tri don")),
    ("name", kw(r"ho ten", r"ten")),
)
_DAY_MONTH = re.compile(
    r"(?<![\d/])(?P<d>\d{1,2})\s*[/.-]\s*(?P<m>\d{1,2})(?:\s*[/.-]\s*(?P<y>\d{4}|\d{2}))?(?![\d/])"
)
_ASSIGN_TO = kw(r"(?:sang |qua )?cho(?:\s+(?:nv|nhan vien|ktv|sale|ban))?")
_NOTE_MARKER = re.compile(r"^\W*(?:them\s+)?(?:ghi chu|note|gc|luu y)(?:\s+(?:cho|ve|ve khach))?")
_TASK_KINDS = (
    ("call", kw(r"goi", r"cuoc goi", r"call")),
    ("meeting", kw(r"gap", r"cuoc gap", r"meeting", r"hen gap")),
    ("email", kw(r"email", r"mail")),
)


def _birthday(doc: Doc) -> str | None:
    m = doc.first(_DAY_MONTH)
    if m is None:
        return None
    d, mo, y = int(m.group("d")), int(m.group("m")), m.group("y")
    year = (
        int(y) + (1900 if len(y) == 2 and int(y) > 30 else 2000 if len(y) == 2 else 0) if y else 0
    )
    try:
        value = date(year or 2000, mo, d)  # 2000: a leap year, so 29/2 without a year is valid
    except ValueError:
        return None
    doc.take(m.start(), m.end())
    return value.isoformat() if year else value.strftime("--%m-%d")


def _text_value(doc: Doc, start: int) -> str | None:
    marker = _NEW_VALUE.search(doc.key, start) or _COLON.search(doc.key, start)
    if marker is None or not doc.free(marker.start(), marker.end()):
        return None
    value = doc.clean_slice(marker.end(), len(doc.key))
    if value:
        doc.take(marker.start(), len(doc.key))
    return value or None


def edit_customer(doc: Doc, today: date) -> Slots:
    slots: Slots = {}
    field_hit = None
    field: str | None = None
    for name, pattern in _FIELDS:
        field_hit = doc.first(pattern)
        if field_hit:
            field = slots["field"] = name
            doc.take(field_hit.start(), field_hit.end())
            break
    value: object = None
    phones = find_phones(doc)
    for hit in phones:
        doc.take(hit.start, hit.end)
    if field == "phone" and phones:
        after = field_hit.end() if field_hit else 0
        if len(phones) > 1 or phones[0].start > after:
            value = phones[-1].value
            phones = phones[:-1]
    if phones:
        slots["phone"] = phones[0].value
    if field == "email":
        email = find_email(doc)
        if email:
            doc.take(email.start, email.end)
            value = email.value
    elif field == "birthday":
        value = _birthday(doc)
    elif field == "value":
        money = find_money(doc)
        if money:
            doc.take(money[0].start, money[0].end)
            value = money[0].value
    _customer(doc, slots, loose=field not in ("name", "address", "company"))
    if value is None and field in ("name", "address", "company", "needs", "source"):
        start = field_hit.end() if field_hit else 0
        text = _text_value(doc, start)
        if text and field == "source":
            text = next((s for p, s in SOURCES if kw(p).search(doc.key)), text)
        value = text
    if value is not None:
        slots["value"] = value
    return slots


def reassign(doc: Doc, today: date) -> Slots:
    slots: Slots = {}
    _phone(doc, slots)
    employee = _person(doc, _ASSIGN_TO, fallback=False)
    _customer(doc, slots)
    if employee:
        slots["employee"] = employee
    return slots


def add_note(doc: Doc, today: date) -> Slots:
    slots: Slots = {}
    marker = _NOTE_MARKER.match(doc.key)
    after = None if marker else NOTE_AFTER.search(doc.key)
    end = len(doc.key) if after is None else after.start()
    if marker:
        doc.take(marker.start(), marker.end())
    if after:
        doc.take(after.start(), after.end())
    _take_all(doc, REFERENCE)
    _phone(doc, slots)
    _customer(doc, slots)
    last_used = max((i + 1 for i, u in enumerate(doc.used[:end]) if u), default=0)
    note = doc.clean_slice(last_used, end)
    if note:
        slots["note"] = note
    return slots


def list_tasks(doc: Doc, today: date) -> Slots:
    slots: Slots = {}
    dates = _dates(doc, today)
    if dates:
        slots["date"] = dates[0].value.isoformat()
    for kind, pattern in _TASK_KINDS:
        if doc.has(pattern):
            slots["kind"] = kind
            break
    return slots


CRM_EXTRACTORS = {
    "edit_customer": edit_customer,
    "reassign": reassign,
    "add_note": add_note,
    "list_tasks": list_tasks,
}
