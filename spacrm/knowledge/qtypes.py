"""What kind of answer a question wants, and which kinds a trained pair can give.

A customer asking "giá massage body bao nhiêu" wants a price; a pair "Massage body mất bao lâu?"
answered "gói 60 phút và 90 phút" shares every topic word but cannot answer it. Sending it would
look like the bot dodging the question (or worse, like a price), so the retriever lowers the
confidence of a pair that gives none of the kinds asked, and the question goes to a person.

Kinds: PRICE (a money amount, "giá", "miễn phí"), DURATION ("60 phút", "6-10 buổi"), TIME (of day:
"9h00", "chủ nhật"), PLACE ("số 12", "quận 1", "trước cửa") and YES_NO ("có ... không", "được
ko"). A yes/no question can be answered by any pair ("có massage không" -> "Dạ có, 60 phút..."),
so YES_NO never makes a pair incompatible; it is reported for callers and tests.

A pair *gives* a kind when its question asks it (the owner wrote that pair for it, whatever the
answer says) or when its answer states it. The answer detectors are deliberately generous: a
missed detection hands a right answer off, an extra one only keeps today's behaviour.
"""

from __future__ import annotations

import re

from spacrm.core.textnorm import fold_words

PRICE = "price"
DURATION = "duration"
TIME = "time"
PLACE = "place"
YES_NO = "yes_no"

# Lexicon question concepts (analysis.Analysis.question_kinds) -> the kind of answer they want.
# "how" and "definition" are answered by any description, so they constrain nothing.
CONCEPT_KINDS = {
    "price": PRICE,
    "fee": PRICE,
    "duration": DURATION,
    "hours": TIME,
    "where": PLACE,
}

_NUMBER = r"\d+(?:[.,]\d+)*"
# Folded text (fold_words: no diacritics, punctuation -> spaces, so "1.500.000đ" -> "1.500.000d").
_GIVES: dict[str, re.Pattern[str]] = {
    PRICE: re.compile(
        rf"{_NUMBER} ?(?:d|vnd|dong|k|ng|nghin|ngan|tr|trieu|cu|lit)\b"
        r"|\d+ ?tr ?\d+\b|\d+k\d*\b|\d+ ?%"
        r"|\bgia\b|\bphi\b|\bfree\b|\bkhong tinh tien\b|\bkhong mat tien\b|\btinh them\b"
    ),
    DURATION: re.compile(
        # Not "gói 10 buổi": a package is a count of sessions, not how long anything takes.
        rf"(?<!goi )(?<!combo )(?<!the )\b{_NUMBER}(?: ?- ?{_NUMBER})? ?"
        r"(?:phut|p|tieng|gio dong ho|buoi|lan|tuan|thang|ngay|nam)\b"
        r"|\d+h\d*p\b|\b(?:mat|khoang|trong|tam) \d+(?:[.,]\d+)? ?h\b|\b(?:nua|mot|hai|ba) (?:tieng|gio)\b|\btieng ruoi\b|\bbao lau\b|\bkeo dai\b"
    ),
    TIME: re.compile(
        r"\b\d{1,2} ?(?:h|g|gio|:) ?\d{0,2}\b|\bthu (?:\d|hai|ba|tu|nam|sau|bay)\b"
        r"|\bchu nhat\b|\bcuoi tuan\b|\bngay le\b|\ble tet\b|\btet\b|\bmo cua\b|\bdong cua\b"
        r"|\b(?:moi|hang|tat ca cac|ca) ngay\b|\bsang\b|\bchieu\b|\btoi\b|\bnghi\b|\b24 ?7\b"
    ),
    PLACE: re.compile(
        r"\bso \d|\bduong\b|\bquan\b|\bphuong\b|\bhuyen\b|\btp\b|\bthanh pho\b|\bhcm\b|\bha noi\b"
        r"|\bhem\b|\bngo\b|\bkiet\b|\btang\b|\btoa\b|\bchung cu\b|\btrung tam\b"
        r"|\bgan\b|\bcanh\b|\bdoi dien\b|\btruoc\b|\bben hong\b|\bsau lung\b|\bbai\b"
        r"|\bmap\b|\bban do\b|\bdinh vi\b|\bchi nhanh\b|\bdia chi\b|\bnam o\b"
    ),
}

# Folded yes/no question shapes: "có ... không", "được ko", "phải không", a trailing "hông"/"hok".
_YES_NO = re.compile(
    r"\b(?:khong|ko|k|hong|hok|hem|kg|khg|hk|chua)\s*$"
    r"|\b(?:duoc|dc|dk|co|phai|kip|nhan|lam)\s+(?:khong|ko|k|hong|hok|hem|kg|khg|hk)\b"
    r"|\bco\b.*\b(?:khong|ko|k|hong|hok|hem|kg|khg|hk)\b"
)


def asked(question_kinds: frozenset[str], text: str = "") -> frozenset[str]:
    """The kinds a question wants: from its lexicon question concepts, plus YES_NO from `text`."""
    kinds = {CONCEPT_KINDS[c] for c in question_kinds if c in CONCEPT_KINDS}
    if text and _YES_NO.search(fold_words(text[:600])):
        kinds.add(YES_NO)
    return frozenset(kinds)


def given(question_kinds: frozenset[str], answer: str) -> frozenset[str]:
    """The kinds a pair can answer: what its question(s) ask plus what its answer states."""
    folded = fold_words(answer)
    stated = {kind for kind, pattern in _GIVES.items() if pattern.search(folded)}
    return frozenset(stated | {CONCEPT_KINDS[c] for c in question_kinds if c in CONCEPT_KINDS})


def compatible(wanted: frozenset[str], offered: frozenset[str]) -> bool:
    """Whether a pair giving `offered` answers a question wanting `wanted`: at least one kind
    asked is given. YES_NO, or no kind at all ("how", "what is"), fits every pair."""
    specific = wanted - {YES_NO}
    return not specific or bool(specific & offered)
