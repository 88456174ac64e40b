"""A bare "the" (thẻ) as the payment method: "thu chị Hoa 2tr3 the", "c Lan trả thẻ 1tr".

Without diacritics "the" is also "thể" ("có thể") or English, so it is a card only where a
payment puts it: next to an amount, after a paying verb, or last in a message with an amount.
"thẻ" written with its mark is a card anywhere, except where a card is what is sold ("bán thẻ",
"thẻ thành viên").
"""

from __future__ import annotations

import re

from spacrm.bot.nlu.money import find_money
from spacrm.bot.nlu.text import Doc

_THE = re.compile(r"(?<![a-z0-9])the(?![a-z0-9])")
_SOLD_BEFORE = re.compile(r"(?<![a-z0-9])(?:ban|mua|lay|lam|cap|tang|g0i|goi|nap)\s*$")
_SOLD_AFTER = re.compile(r"^\s*(?:thanh vien|vip|tra truoc|qua tang|membership|dich vu|dv)")
_PAY_BEFORE = re.compile(
    r"(?<![a-z0-9])(?:tra|tt|thanh toan|thu|dong|coc|bang|qua|quet|ca|cha)\s*$"
)
_GAP = re.compile(r"^[\s,.;:/-]*$")


def card_word(doc: Doc) -> tuple[int, int] | None:
    """Where a bare "the"/"thẻ" in `doc` names the card payment, if one does."""
    key = doc.key
    matches = list(_THE.finditer(key))
    if not matches:
        return None
    # Amounts already used by another slot still place the word, so scan a clean copy.
    money = find_money(Doc(text=doc.text, key=key, has_marks=doc.has_marks), plain=False)
    for m in matches:
        before, after = key[: m.start()], key[m.end() :]
        if _SOLD_BEFORE.search(before) or _SOLD_AFTER.match(after):
            continue
        written = doc.text[m.start() : m.end()].lower()
        if written == "thẻ":
            return m.span()
        if written != "the":
            continue  # "thể", "thè": another word
        next_to_money = any(
            (h.end <= m.start() and _GAP.match(key[h.end : m.start()]))
            or (m.end() <= h.start and _GAP.match(key[m.end() : h.start]))
            for h in money
        )
        last = _GAP.match(after) is not None and bool(money)
        if next_to_money or last or _PAY_BEFORE.search(before):
            return m.span()
    return None
