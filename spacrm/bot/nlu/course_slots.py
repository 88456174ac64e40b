"""Slots of `transfer_course` (#9): "chuyển 2 buổi triệt lông của chị Lan sang chị Mai".

The receiver is the person (or phone) after "sang" / "qua" / "cho"; the giver is the customer
named elsewhere; `sessions` is the count before "buổi" ("hết" / "tất cả": left out, meaning all
that is left); `service` the known service words that remain.
"""

from __future__ import annotations

from datetime import date

from spacrm.bot.nlu.contacts import find_phones
from spacrm.bot.nlu.names import find_person_after, find_title_after
from spacrm.bot.nlu.ops_slots import _customer, _int, _service
from spacrm.bot.nlu.slots import Slots, _take_all
from spacrm.bot.nlu.text import Doc, kw

TO = kw(r"sang", r"qua", r"cho")
FROM = kw(r"cua", r"tu")
_SESSIONS = kw(r"(?P<n>\d{1,3})\s*(?:buoi|lan|b)(?![a-z])")
_WORDS = kw(
    r"chuyen(?: nhuong)?", r"nhuong(?: lai)?", r"lieu trinh", r"buoi(?: con lai)?", r"het",
    r"tat ca", r"toan bo", r"con lai", r"so", r"cua", r"tu",
)  # fmt: skip
_FILLERS = frozenset("cua tu cho sang qua het ca tat toan bo con lai so buoi nhe a giup".split())


def transfer_course(doc: Doc, today: date) -> Slots:
    slots: Slots = {}
    marker = doc.first(TO)
    for hit in find_phones(doc):
        doc.take(hit.start, hit.end)
        key = "to_phone" if marker is not None and hit.start > marker.start() else "phone"
        slots.setdefault(key, hit.value)
    if "to_phone" not in slots:
        who = find_title_after(doc, TO) or find_person_after(doc, TO)
        if who is not None:
            doc.take(who.start, who.end)
            slots["to_customer"] = who.value
    sessions = _int(doc, _SESSIONS)
    if sessions is not None:
        slots["sessions"] = sessions
    if "phone" not in slots:
        giver = find_title_after(doc, FROM) or find_person_after(doc, FROM)
        if giver is not None:
            doc.take(giver.start, giver.end)
            slots["customer"] = giver.value
        else:
            _customer(doc, slots)
    _take_all(doc, _WORDS)
    service = _service(doc, _FILLERS, need_known=True)
    if service:
        slots["service"] = service
    return slots
