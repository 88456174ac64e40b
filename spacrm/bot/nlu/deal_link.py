"""Linking an order to an opportunity (#32, profit by opportunity): "gắn đơn HD2026-000012 vào
cơ hội Trọn gói cưới", "đơn HD2026-12 thuộc cơ hội VIP", "gắn cơ hội VIP cho đơn HD2026-12".

The rule needs both a link verb and the word "cơ hội"/"deal"; the slots are the order number and
the opportunity's name (the words after "cơ hội", up to "cho đơn …" or the end).
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from spacrm.bot.nlu.ops_rules import ORDER_NUMBER
from spacrm.bot.nlu.text import Doc, kw

_DEAL = r"(?:co hoi(?: ban hang)?|deal|opportunity)"
# Not "của": "lợi nhuận của cơ hội …" is a report, not a link.
_VERB = r"(?:gan|lien ket|link|ghep|thuoc|tinh vao)"
RULES: tuple[tuple[str, re.Pattern[str], int], ...] = (
    ("link_order_deal", kw(rf"{_VERB}(?:\s+[a-z0-9-]+){{0,4}}?\s+(?:vao |voi |cho |thanh )?{_DEAL}",
                           rf"(?:gan|lien ket|link|ghep) {_DEAL}"), 17),
)  # fmt: skip
_DEAL_WORD = kw(_DEAL)
_TAIL = kw(r"(?:cho|voi|vao|cua) (?:don|hoa don|don hang)")
_FILLER = re.compile(r"^(?:(?:la|ten|ten la|so)\s+)+")


def link_order_deal(doc: Doc, today: date) -> dict[str, Any]:
    slots: dict[str, Any] = {}
    m = doc.first(ORDER_NUMBER)
    if m is not None:
        slots["order"] = re.sub(r"\s", "", doc.text[m.start() : m.end()]).upper()
        doc.take(m.start(), m.end())
    deal = doc.first(_DEAL_WORD)
    if deal is not None:
        end = len(doc.key)
        tail = _TAIL.search(doc.key, deal.end())
        if tail is not None:
            end = tail.start()
        if m is not None and m.start() > deal.end():
            end = min(end, m.start())
        start = deal.end()
        cut = _FILLER.match(doc.key[start:end].lstrip())
        if cut:
            start = start + (len(doc.key[start:end]) - len(doc.key[start:end].lstrip())) + cut.end()
        name = doc.clean_slice(start, end)
        if name:
            slots["deal"] = name
    return slots


EXTRACTORS = {"link_order_deal": link_order_deal}
SLOT_ORDER: dict[str, tuple[str, ...]] = {"link_order_deal": ("order", "deal")}
