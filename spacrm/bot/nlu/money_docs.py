"""Slots of the money-document intents (rules in money_rules.py): the amount, the reason and
the method of a payment voucher ("chi 500k mua khăn" → 500000, "Mua khăn"), a period to list."""

from __future__ import annotations

from datetime import date

from spacrm.bot.nlu.money import find_money
from spacrm.bot.nlu.money_rules import ORDER_STATUS_WORDS
from spacrm.bot.nlu.ops_slots import show_order
from spacrm.bot.nlu.periods import find_period
from spacrm.bot.nlu.slots import Slots, _longest_free_run
from spacrm.bot.nlu.text import Doc, kw

_FILLERS = frozenset(
    "lap tao ghi viet them ra phieu chi da vua cho de nhe nha a voi la bang qua".split()
)
_METHOD_WORDS = (
    ("transfer", kw(r"chuyen khoan", r"ck", r"banking", r"stk")),
    ("card", kw(r"quet the", r"ca the", r"the")),
    ("cash", kw(r"tien mat", r"tm")),
)


def create_expense(doc: Doc, today: date) -> Slots:
    slots: Slots = {}
    money = find_money(doc, plain=True)
    if money:
        slots["amount"] = money[0].value
        doc.take(money[0].start, money[0].end)
    for method, pattern in _METHOD_WORDS:
        m = doc.first(pattern)
        if m is not None:
            slots["method"] = method
            doc.take(m.start(), m.end())
            break
    span = _longest_free_run(doc, _FILLERS, None)
    if span is not None:
        reason = doc.clean_slice(*span)
        if reason:
            slots["reason"] = reason[:1].upper() + reason[1:]
    return slots


def list_expenses(doc: Doc, today: date) -> Slots:
    period = find_period(doc, today)
    return {"period": period.value} if period else {}


def list_orders(doc: Doc, today: date) -> Slots:
    """A status and a period; a customer or an order number named makes it show_order's list."""
    slots: Slots = {}
    for status, pattern in ORDER_STATUS_WORDS:
        m = doc.first(pattern)
        if m is not None:
            slots["status"] = status
            doc.take(m.start(), m.end())
            break
    period = find_period(doc, today)
    if period:
        slots["period"] = period.value
        doc.take(period.start, period.end)
    return {**show_order(doc, today), **slots}


def bank_reviews(doc: Doc, today: date) -> Slots:
    return {}


EXTRACTORS = {
    "create_expense": create_expense,
    "list_expenses": list_expenses,
    "bank_reviews": bank_reviews,
    "list_orders": list_orders,
}
SLOT_ORDER: dict[str, tuple[str, ...]] = {
    "create_expense": ("amount", "reason", "method"),
    "list_expenses": ("period",),
    "bank_reviews": (),
    "list_orders": ("status", "period", "order", "customer", "phone"),
}
