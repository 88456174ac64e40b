"""How the engine reads a message beyond the parser (#6): a change asked as a question is a
read, a new lead's value/tax code/citizen ID as typed are kept, and whether a message typed while
a question is pending is a request of its own."""

from __future__ import annotations

import re
from typing import Any

from spacrm.bot.nlu import NluResult, english, parse, parse_money
from spacrm.bot.nlu.ops_rules import unsupported
from spacrm.bot.nlu.text import Doc
from spacrm.bot.nlu.vocab import BARE_HONORIFICS, HONORIFICS, REFERENCE
from spacrm.intents.context import Ctx

# A change asked as a question is a read: "khách này đang chăm sóc hay đặt lịch rồi?",
# "lịch sử chăm sóc chị Vy", "chị Lan đặt lịch chưa".
_QUESTION = re.compile(
    r"\?|(?<![a-z])(?:hay|lich su|phai khong|the nao|ra sao|bao gio)(?![a-z])"
    r"|(?<![a-z])(?:chua|khong|ko|k)\s*$"
)
_READ_SLOTS = ("customer", "phone", "email", "tax_code")
# Typed answers to "Bạn đang nói về khách Vy phải không?".
YES = frozenset("u uh um co dung phai vang da ok oke yes y chuan".split()) | {"dung roi"}
NO = frozenset("khong ko k sai no n".split()) | {"khong phai", "khach khac"}
# Words an answer to "which customer?" may carry besides the name or phone itself.
_ANSWER_WORDS = HONORIFICS | BARE_HONORIFICS | {"hang", "so", "sdt", "la", "ten"}
_TAX_CODE = re.compile(
    r"(?<![a-z])(?:mst|ma so thue|ma so doanh nghiep)\s*(?:la|:|-)?\s*(\d+(?:[ .\-]\d{3,})*)"
)
_CITIZEN_ID = re.compile(
    r"(?<![a-z])(?:cccd|can cuoc(?: cong dan)?|cmnd)\s*(?:so|la|:|-)?\s*(\d+(?:[ .]\d{3})*)"
)
_MONEY_TOKEN = re.compile(r"(?<![\w.,])\d+(?:[.,]\d+)?\s*(?:tr|trieu|triệu|k|m)\d*(?![\w])", re.I)


def understand(ctx: Ctx, text: str) -> NluResult:
    """The parse, with the engine's own guards: a change asked as a question is a read. A
    message typed in English is read in the Vietnamese words it says (nlu/english.py)."""
    text = english.to_vietnamese(text) or text
    result = parse(text, now=ctx.now)
    key = Doc.of(text).key
    focus_ref = getattr(result, "focus_ref", None)
    ctx.focus_ref = bool(REFERENCE.search(key)) if focus_ref is None else bool(focus_ref)
    ctx.named = result.named
    ctx.subject = result.subject
    if result.intent == "move_lead" and _QUESTION.search(key.strip()):
        slots = {k: v for k, v in result.slots.items() if k in _READ_SLOTS}
        return NluResult("show_customer", slots)
    if result.intent == "create_lead":
        return NluResult("create_lead", {**result.slots, **_lead_extras(key, result.slots)})
    if result.intent == "unknown":
        hint = unsupported(key)  # a refund, a stock-out: say where it is done
        if hint:
            return NluResult("unknown", {"hint": hint})
    return result


def _lead_extras(key: str, slots: dict[str, Any]) -> dict[str, Any]:
    """What a new lead's message says beyond the parser's slots: a value ("12tr"), a tax code or
    a citizen ID as typed — the service validates them, so a wrong one is refused, not dropped."""
    extra: dict[str, Any] = {}
    money = _MONEY_TOKEN.search(key)
    amount = parse_money(money.group(0)) if money and "value" not in slots else None
    if amount:
        extra["value"] = amount
    for slot, pattern in (("tax_code", _TAX_CODE), ("citizen_id", _CITIZEN_ID)):
        found = pattern.search(key)
        if found and not slots.get(slot):
            extra[slot] = found.group(1).strip()
    return extra


def new_request(awaiting: str, result: NluResult, text: str) -> bool:
    """Whether a message typed while a question is pending is a request of its own.

    Strict answers (a date, a stage, a kind, a free text) are tried first elsewhere; a name or a
    phone may be typed as a bare answer ("chị Yến", "0975766532"), but "xem khách 0975766532"
    or "đã gọi chị Lan" are requests and must not be read as the pick."""
    if result.intent == "unknown" or awaiting in ("text", "order_task"):
        return False
    if awaiting == "product":
        # A product's name carries no period, money, person or day ("tháng này lãi bao nhiêu"
        # typed after "which product?" is a report); its words may read as a stage ("kem chăm
        # sóc da"), so the intent alone does not tell.
        return bool(_REQUEST_SLOTS & set(result.slots))
    if awaiting == "order" and result.intent == "show_order" and set(result.slots) <= {"order"}:
        return False  # sales: a bare order number answers "which order?"
    if awaiting == "method" and set(result.slots) <= {"method"}:
        return False  # sales: a bare "ck" / "tiền mặt" answers "paid how?"
    if awaiting not in ("customer", "name", "pick"):
        return True
    if result.intent != "show_customer":
        return True
    words = Doc.of(text).key.split()
    values = " ".join(str(v) for v in result.slots.values())
    named = set(Doc.of(values).key.split()) | {_digits(values)}
    return any(w not in _ANSWER_WORDS and w not in named and _digits(w) != w for w in words)


_REQUEST_SLOTS = frozenset(
    {"period", "report", "amount", "customer", "phone", "date", "time", "employee", "order"}
)


def _digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())
