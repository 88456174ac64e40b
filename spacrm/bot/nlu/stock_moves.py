"""Goods issue, stock transfer and refund (#34, sales): the writes that used to be hints only.

The classifier's veto keeps a refund or a stock-out from reading as a payment or a stock arrival
(it leaves "unknown"); here such an "unknown", when it is no question, becomes the intent that
does it. A transfer is goods with a count moved to another branch ("chuyển 10 hộp mặt nạ sang Gò
Vấp"); a count of sessions or a person moved stays with the course and lead rules.
"""

from __future__ import annotations

import re
from datetime import date

from spacrm.bot.nlu.ops_rules import _REFUND, _STOCK_OUT
from spacrm.bot.nlu.ops_slots import OPS_EXTRACTORS
from spacrm.bot.nlu.text import WORD, Doc, kw

Slots = dict[str, object]

_UNITS = r"(?:hop|chai|lo|tuyp|g0i|goi|cai|bo|ong|mieng|khay|tui|hu|thung|loc|ml|lit|kg|g|cuon)"
_TRANSFER = kw(
    r"(?:chuyen|dieu chuyen|dieu) kho",
    r"dieu chuyen",
    rf"(?:chuyen|dieu|gui|chuyen giao) (?:cho |qua |sang )?\d{{1,5}}\s*{_UNITS}",
)
_TO = kw(r"sang", r"qua", r"ve", r"toi", r"den", r"cho")
_FROM = kw(r"tu")
_BRANCH_WORD = kw(r"chi nhanh", r"cn", r"kho", r"co so", r"cs", r"shop")
# Where the reason of an issue starts: "… cho phòng 3 dùng", "… hư hỏng", "… vì hết hạn".
_REASON = kw(
    r"cho", r"vi", r"do", r"ly do", r"de", r"d0ng", r"dung", r"bi", r"hu", r"hong", r"het han",
    r"vo", r"mau thu", r"tang", r"dao tao",
)  # fmt: skip
# "chị Hà trả lại 300k": the customer, named before the verb, gives money back (change, a debt),
# the opposite of a refund; "trả lại 300k cho chị Hà" is one. Left to ask rather than guessed.
_GIVES_BACK = re.compile(
    r"\b(?:c|chi|a|anh|e|em|co|chu|bac|kh|khach)(?: [a-z]+){1,3} tra lai\b(?!.*\bcho\b)"
)
_QUESTION = kw(
    r"bao nhieu", r"bn", r"may", r"khong", r"ko", r"chua", r"sao", r"the nao", r"nhu nao"
)


_NOT_A_TRANSFER_YET = frozenset(("unknown", "stock_query", "stock_in", "show_customer", "reassign"))


def redirect(doc: Doc, intent: str) -> str:
    """The new write for a message the rules left as a hint (or read as a stock lookup)."""
    key = doc.intent_key
    if "?" in doc.text or _QUESTION.search(key):
        return intent  # "còn bao nhiêu serum", "hoàn tiền được không?": never a write
    if intent in _NOT_A_TRANSFER_YET and _TRANSFER.search(key):
        # "chuyển 5 hộp mặt nạ từ Q1 sang Gò Vấp": a capitalised branch read as a customer, or
        # "chuyển kho … cho Gò Vấp" as a customer handed over, is goods moved all the same
        return "transfer_stock"
    if intent in ("unknown", "show_order") and _REFUND.search(key) and not _GIVES_BACK.search(key):
        return "refund"  # "hoàn tiền đơn HD… 100k": the order is named, the money goes back
    if intent != "unknown":
        return intent
    if _STOCK_OUT.search(key):
        return "stock_out"
    return intent


def _split_reason(product: str) -> tuple[str, str]:
    """ "mặt nạ hư hỏng" -> ("mặt nạ", "hư hỏng"): the reason starts at its first marker word
    after the product's first word."""
    key = Doc.of(product).key
    words = list(WORD.finditer(key))
    for m in words[1:]:
        if _REASON.match(key, m.start()):
            return product[: m.start()].strip(" ,"), product[m.start() :].strip(" ,")
    return product, ""


def stock_out(doc: Doc, today: date) -> Slots:
    # The verb is no product: taken first, or a short product ("bông") lost to "xuất".
    for m in list(doc.find(kw(r"xuat kho", r"xuat(?= (?:ra )?\d)"))):
        doc.take(m.start(), m.end())
    slots = OPS_EXTRACTORS["stock_in"](doc, today)
    product = str(slots.get("product") or "")
    for lead in ("xuất ", "xuat "):  # "xuất kho" is taken, a bare "xuất" is left on the product
        if product.lower().startswith(lead):
            product = product[len(lead) :]
    if product:
        slots["product"], reason = _split_reason(product)
        if reason:
            slots["reason"] = reason
    return slots


def _branch_after(doc: Doc, marker: re.Pattern[str]) -> str | None:
    """The branch named after "sang"/"từ" (and an optional "chi nhánh"), up to the next comma."""
    for m in doc.find(marker):
        pos = m.end()
        word = _BRANCH_WORD.match(doc.key, pos + 1) if doc.key[pos : pos + 1] == " " else None
        start = word.end() if word else pos
        end = len(doc.key)
        stop = re.search(r"[,;.!?]|(?<![a-z0-9])(?:tu|sang|qua)(?![a-z0-9])", doc.key[start:])
        if stop:
            end = start + stop.start()
        name = doc.text[start:end].strip(" ,:")
        if name and not re.match(r"\d", name):
            doc.take(m.start(), end)
            return name
    return None


def transfer_stock(doc: Doc, today: date) -> Slots:
    slots: Slots = {}
    to_branch = _branch_after(doc, _TO)
    from_branch = _branch_after(doc, _FROM)
    for m in list(doc.find(kw(r"(?:chuyen|dieu chuyen|dieu|gui) kho", r"dieu chuyen", r"chuyen"))):
        doc.take(m.start(), m.end())
    found = OPS_EXTRACTORS["stock_in"](doc, today)
    for name in ("product", "quantity"):
        if name in found:
            slots[name] = found[name]
    if from_branch:
        slots["branch"] = from_branch
    if to_branch:
        slots["to_branch"] = to_branch
    return slots


def refund(doc: Doc, today: date) -> Slots:
    """Whom, how much, how, and the order when its number is written: a receipt's slots."""
    return OPS_EXTRACTORS["record_payment"](doc, today)


EXTRACTORS = {"stock_out": stock_out, "transfer_stock": transfer_stock, "refund": refund}
SLOT_ORDER: dict[str, tuple[str, ...]] = {
    "stock_out": ("product", "quantity", "branch", "reason"),
    "transfer_stock": ("product", "quantity", "branch", "to_branch"),
    "refund": ("customer", "phone", "amount", "method", "order"),
}
