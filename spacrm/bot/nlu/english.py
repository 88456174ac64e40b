"""Staff messages typed in English ("Lan paid 500k cash", "who is off today", "book Lan facial
3pm tomorrow"), rewritten into the Vietnamese words the parser reads, so an English-speaking
manager is understood by the same rules (and the same guards against a wrong write) as everyone
else. Only a message that reads as English is rewritten (`lang.detect`, the customer bot's test);
a customer's name keeps its capital and gets "khách" before it, the way the desk writes it. Words
this table does not know stay English, and the parser then asks rather than guesses."""

from __future__ import annotations

import re

from spacrm.intents.customer import lang

_NAME = r"([A-Z][a-zà-ỹ]+(?: [A-Z][a-zà-ỹ]+)?)"
# Where a customer's name stands in English: before what she did, after "for"/"book"/"customer",
# before "'s" of what she has.
_NAMED = [
    (r"\badd\s+(?:a\s+)?(?:new\s+)?(?:customer|lead|client)\b", "thêm khách"),
    (rf"\b{_NAME}'s\s+(appointment|booking|order|package|course|card)s?\b", r"\2 của khách \1"),
    (rf"\b(?:customer|client|ms\.?|mrs\.?|miss|mr\.?)\s+{_NAME}", r"khách \1"),
    (rf"\b(?:for|to)\s+{_NAME}\b", r"cho khách \1"),
    (rf"\b(book|cancel|reschedule|move|check in)\s+{_NAME}\b", r"\1 khách \2"),
    (
        rf"(?<!khách )\b{_NAME}\s+(?=(?:paid|pays|has paid|transferred|bought|buys|purchased|"
        r"checked in|arrived|is here|wants|didn't come|did not come|no-showed|cancelled|canceled))",
        r"khách \1 ",
    ),
]
_WORDS = [
    (r"\bwho(?:'s| is| are)?\s+(?:off|on leave|absent)\b", "ai nghỉ"),
    (r"\bwho(?:'s| is| are)?\s+(?:free|available)\b", "ktv nào rảnh"),
    (r"\b(?:has\s+)?paid\b|\bpays\b", "trả"),
    (r"\b(?:bank\s+)?transfer(?:red)?\b", "chuyển khoản"),
    (r"\bin\s+cash\b|\bcash\b", "tiền mặt"),
    (r"\b(?:by|with)\s+card\b|\bcard\b", "quẹt thẻ"),
    (r"\bbought\b|\bbuys?\b|\bpurchased\b", "mua"),
    (r"\bchecked\s+in\b|\barrived\b|\bis\s+here\b", "đã tới"),
    (r"\bcheck\s+in\b", "check in"),
    (r"\bdidn't\s+come\b|\bdid\s+not\s+come\b|\bno-?showed\b|\bno-?show\b", "không tới"),
    (r"\brevenue\b|\bsales\b|\bturnover\b", "doanh thu"),
    (r"\bthis\s+month\b", "tháng này"),
    (r"\blast\s+month\b", "tháng trước"),
    (r"\bthis\s+week\b", "tuần này"),
    (r"\blast\s+week\b", "tuần trước"),
    (r"\byesterday\b", "hôm qua"),
    (r"\b(?:request|take|need|want)\s+(?:a\s+)?(?:day\s+off|leave)\b", "xin nghỉ"),
    (r"\bday\s+off\b", "nghỉ"),
    (r"\bovertime\b", "tăng ca"),
    (r"\b(\d+(?:[.,]5)?)\s*(?:hours?|hrs?)\b", r"\1 tiếng"),
    (r"\b(?:left\s+)?in\s+stock\b|\b(?:stock|inventory)\b", "tồn kho"),
    (r"\bleft\b", "còn"),
    (r"\b(\d+(?:[.,]\d+)?)\s*(?:m|mil|million)\b", r"\1tr"),
    (r"\b(\d+)\s*(?:thousand)\b", r"\1k"),
    (r"\bhow\s+many\b|\bhow\s+much\b", "bao nhiêu"),
    (r"\bsessions?(?:\s+of)?\b", "buổi"),
    (r"\bpackage\b", "gói"),
    (r"\bappointments?\b|\bbookings?\b", "lịch hẹn"),
    (r"\bcancel\b", "hủy"),
    (r"\bnote\b", "ghi chú"),
    (r"\bremind\s+me\s+to\b", "nhắc em"),
    (r"\bcall\b", "gọi"),
]


# English words no Vietnamese message typed without diacritics is made of ("the", "not", "in",
# "day", "book" are: "quẹt thẻ", "trả nốt", "in bill", "dạy", "book lịch").
_ENGLISH = frozenset(
    """paid pays cash card transfer transferred bought buys purchased checked arrived customer
    client sessions session package note for of with revenue sales turnover overtime hours stock
    inventory left appointment appointments booking bookings cancel who free leave remind didn't
    come want need request take this last month week yesterday today tomorrow add new how many
    much is are my her his what"""
    "".split()
)


def reads_english(text: str) -> bool:
    """English by the customer bot's test, or two words of it no Vietnamese chat has."""
    found = lang.detect(re.sub(r"\d+\w*", " ", text))  # "500k" is no Vietnamese "k" (không)
    if found is not None:
        return found == "en"
    return len({w for w in re.findall(r"[a-z']+", text.lower()) if w in _ENGLISH}) >= 2


def to_vietnamese(text: str) -> str | None:
    """The message in the parser's Vietnamese words, or None when it is not English."""
    if not reads_english(text):
        return None
    out = text
    for pattern, words in _NAMED:
        out = re.sub(pattern, words, out)
    for pattern, words in _WORDS:
        out = re.sub(pattern, words, out, flags=re.IGNORECASE)
    # Dates, clock times and treatment names as the customer bot reads them.
    return lang.english_words(out)
