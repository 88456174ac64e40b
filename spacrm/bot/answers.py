"""Reading a one-field answer to a question the bot asked ("khi nào?" → "thứ 6 3h chiều")."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from spacrm.bot.nlu import (
    parse,
    parse_date,
    parse_money,
    parse_pay_method,
    parse_stage,
    parse_time,
)
from spacrm.core.ids import normalize_phone
from spacrm.core.textnorm import fold_words

_KINDS = (("bao gia", "quote_email"), ("quote", "quote_email"), ("mail", "email"), ("gap", "meeting"),
          ("meet", "meeting"), ("goi", "call"), ("call", "call"), ("dien thoai", "call"))  # fmt: skip


def answer_slots(awaiting: str, text: str, now: datetime) -> dict[str, Any] | None:
    """The slots `text` fills for the awaited field, or None when it does not answer it."""
    text = text.strip()
    if not text:
        return None
    if awaiting in ("customer", "pick"):
        phone = normalize_phone(text)
        if phone:
            return {"phone": phone}
        if "@" in text:
            return {"email": text}
        slots = parse("xem khách " + text, now=now).slots
        if slots.get("phone") or slots.get("customer"):
            return {
                k: v for k, v in slots.items() if k in ("phone", "customer", "email", "tax_code")
            }
        return {"customer": text} if len(text) <= 60 else None
    if awaiting == "name":
        slots = parse("thêm khách " + text, now=now).slots
        return {
            k: v
            for k, v in slots.items()
            if k in ("customer", "phone", "email", "source", "interest")
        } or None
    if awaiting == "date":
        day = parse_date(text, now)
        if day is None:
            return None
        out: dict[str, Any] = {"date": day.isoformat()}
        at = parse_time(text)
        if at is not None:
            out["time"] = at.strftime("%H:%M")
        return out
    if awaiting == "stage":
        stage = parse_stage(text)
        return {"stage": stage} if stage else None
    if awaiting == "money":  # "12tr", "500k", "1.200.000"
        amount = parse_money(text)
        return {"value": amount} if amount is not None else None
    if awaiting == "text":  # free text: a complaint, a reply, a resolution
        return {"text": text}
    if awaiting == "product":  # stock: the product asked about (a request instead is new)
        return {"text": text} if len(text) <= 120 else None
    if awaiting == "item":  # sales: the service, package or product to sell
        return {"item": text} if len(text) <= 120 else None
    if awaiting == "amount":  # sales: the amount to take for an order
        amount = parse_money(text)
        return {"amount": amount} if amount else None
    if awaiting == "method":  # sales: "ck", "tiền mặt", "thẻ" typed instead of pressed
        method = parse_pay_method(text)
        return {"method": method} if method else None
    if awaiting == "order":  # sales: an order number (assigning a bank transfer)
        return {"order": text}
    if awaiting == "order_task":  # work on an order, typed after its card's "Ghi công" (#30)
        slots = parse("ghi công " + text, now=now).slots
        slots.pop("order", None)
        return slots if slots.get("employee") else None
    if awaiting == "amount_as":  # sales: "tổng" / "đơn giá" typed instead of pressed
        folded = fold_words(text)
        if "tong" in folded.split() or "ca hai" in folded:
            return {"amount_as": "total"}
        if "don gia" in folded or "moi" in folded.split():
            return {"amount_as": "unit"}
        return None
    if awaiting == "kind":
        folded = fold_words(text)
        for word, kind in _KINDS:
            if word in folded:
                return {"kind": kind}
    return None
