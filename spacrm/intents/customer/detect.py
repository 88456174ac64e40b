"""Cheap signals in a customer message: a phone number, a complaint."""

from __future__ import annotations

import re

from spacrm.core.ids import normalize_phone
from spacrm.core.textnorm import fold, fold_words

_PHONE_RUN = re.compile(r"(?<![\d])(?:\+?84|0)[\d .\-]{8,14}\d(?!\d)")

_COMPLAINT = (
    "khieu nai", "phan nan", "that vong", "te qua", "qua te", "rat te", "buc minh", "buc qua",
    "khong hai long", "ko hai long", "k hai long", "kem chat luong", "bi di ung", "bi noi man",
    "bi rat", "bi bong", "bong da", "lua dao", "thai do", "mat day", "lam an kieu",
    "de nghi xu ly", "boi thuong", "bi hu", "chan that", "kinh khung", "toi te",
)  # fmt: skip
# Emergencies go to a person at once, like complaints: never answered from the Q&A (an aftercare
# rule is no answer to bleeding or fainting).
_URGENT = (
    "ngat", "ngat xiu", "bat tinh", "choang", "kho tho", "chay mau", "sot cao", "cap cuu",
    "noi me day", "sung to", "sung dau", "sung ma", "nhiem trung", "mung mu", "co giat",
    "tai nan", "bong nang", "chan thuong", "gay xuong", "dau du doi", "ngo doc", "bi thuong",
)  # fmt: skip


def _padded(text: str) -> str:
    return " " + " ".join(re.findall(r"[a-z0-9]+", fold(text))) + " "


def _has(text: str, phrases: tuple[str, ...]) -> bool:
    padded = _padded(text)
    return any(f" {p} " in padded for p in phrases)


def find_phone(text: str) -> str | None:
    """The first Vietnamese phone number in any usual writing (0912 345 678, +84 912.345.678)."""
    for match in _PHONE_RUN.finditer(text[:2000]):
        phone = normalize_phone(match.group(0))
        if phone:
            return phone
    return None


def without_phones(text: str) -> str:
    """The message with its phone numbers taken out (to see what else the customer said)."""
    return _PHONE_RUN.sub(" ", text[:2000]).strip(" ,.;:-")


def has_question(text: str) -> bool:
    """More than a name or "sđt của mình là": at least a few words besides phone chatter."""
    words = [w for w in fold_words(text).split() if w not in _PHONE_CHATTER]
    return len(words) >= 3


_PHONE_CHATTER = frozenset(
    "sdt so dien thoai dt cua minh em chi anh toi la day nhe nha a ah goi lai giup cho lien he".split()
)


def is_complaint(text: str) -> bool:
    """A complaint or an emergency: staff take it over (a case is opened)."""
    return _has(text[:2000], _COMPLAINT) or _has(text[:2000], _URGENT)


# "em tên Lan", "tên mình là Nguyễn Thu Hà", "Mình là Hoa, sđt 09..." (the last form only with a
# capitalised name: "em là khách cũ" names nobody).
_PRONOUN = r"(?:em|mình|minh|tôi|toi|chị|chi|anh|tui)"
_NAMED = re.compile(
    rf"(?:\b(?:tên|ten)(?:\s+(?:của|cua))?(?:\s+{_PRONOUN})?(?:\s+(?:là|la))?"
    rf"|\b{_PRONOUN}\s+(?:là|la)(?=\s+(?-i:[A-ZÀ-Ỹ])))"
    r"\s+(?P<name>[^\W\d_]+(?:\s+[^\W\d_]+){0,3})",
    re.IGNORECASE,
)
_NOT_NAME = frozenset(
    """sdt so dt dien thoai nhe nha a ah oi day do khach cu moi minh em toi gi vay muon dat
    hoi can o lam den qua goi xin cho va""".split()
)


# "My name is Anna", "I'm Anna Lee", "this is Mai": English visitors, a capitalised name only.
_NAMED_EN = re.compile(
    r"\b(?i:my name is|my name's|name is|i am|i'm|this is)\s+"
    r"(?P<name>[A-ZÀ-Ỹ][^\W\d_]+(?:\s+[A-ZÀ-Ỹ][^\W\d_]+){0,2})"
)


def find_name(text: str) -> str | None:
    """The name a customer gives in a message, title-cased; None when none is given."""
    match = _NAMED.search(text[:500]) or _NAMED_EN.search(text[:500])
    if not match:
        return None
    words: list[str] = []
    for word in match.group("name").split():
        if fold(word) in _NOT_NAME:
            break
        words.append(word[:1].upper() + word[1:].lower())
    return " ".join(words) or None


# A number written like a Vietnamese phone but with a digit too few or too many ("091234567").
_NEAR_PHONE = re.compile(r"(?<![\d])(?:\+?84|0)\d(?:[ .\-]?\d){6,10}(?![\d])")


def near_phone(text: str) -> str | None:
    """A phone-like number that is no valid phone (to ask her to check it); None otherwise."""
    for match in _NEAR_PHONE.finditer(text[:2000]):
        digits = re.sub(r"\D", "", match.group(0))
        if not normalize_phone(match.group(0)) and 8 <= len(digits) <= 12:
            return match.group(0)
    return None


def bare_name(text: str) -> str | None:
    """ "Lan", "Nguyễn Thu Hà": a reply that is only a name (after the bot asked for her name and
    phone and the phone is taken out); None when it says more than a name."""
    named = find_name(text)
    if named:
        return named
    words = re.findall(r"[^\W\d_]+", text)
    if not 1 <= len(words) <= 4 or any(fold(w) in _NOT_NAME | _PHONE_CHATTER for w in words):
        return None
    return " ".join(w[:1].upper() + w[1:].lower() for w in words)
