"""Vietnamese identifiers: phone numbers, tax codes (MST), citizen IDs (CCCD).

Rules are in shared/protocols/vietnam.md. Every function is pure and total: it returns None
(or False) for input it cannot make sense of, never raises.
"""

from __future__ import annotations

import re
from datetime import date

_SEPARATORS = re.compile(r"[\s.\-()/]")

# 2018 conversion of 11-digit mobile prefixes to 10-digit ones.
OLD_MOBILE_PREFIXES: dict[str, str] = {
    "0162": "032", "0163": "033", "0164": "034", "0165": "035", "0166": "036",
    "0167": "037", "0168": "038", "0169": "039",
    "0120": "070", "0121": "079", "0122": "077", "0126": "076", "0128": "078",
    "0123": "083", "0124": "084", "0125": "085", "0127": "081", "0129": "082",
    "0186": "056", "0188": "058", "0199": "059",
}  # fmt: skip

# libphonenumber's VN mobile pattern on the 9-digit national significant number.
_MOBILE_NSN = re.compile(
    r"(?:5(?:2[238]|59)|89[6-9]|99[013-9])\d{6}|(?:3\d|5[2589]|7[06-9]|8[1-9]|9\d)\d{7}"
)
_LANDLINE_NSN = re.compile(r"2\d{9}")


def normalize_phone(raw: str) -> str | None:
    """Return the national form ("0912345678"; landlines "02838123456") or None if not a VN phone."""
    digits = _SEPARATORS.sub("", raw.strip())
    if digits.startswith("+"):
        digits = digits[1:]
    elif digits.startswith("0084"):
        digits = digits[2:]
    if not digits.isdigit():
        return None
    if digits.startswith("84") and len(digits) in (11, 12):
        digits = "0" + digits[2:]
    if len(digits) == 11 and digits[:4] in OLD_MOBILE_PREFIXES:
        digits = OLD_MOBILE_PREFIXES[digits[:4]] + digits[4:]
    if len(digits) == 10 and digits[0] == "0" and _MOBILE_NSN.fullmatch(digits[1:]):
        return digits
    if len(digits) == 11 and digits[0] == "0" and _LANDLINE_NSN.fullmatch(digits[1:]):
        return digits
    return None


def format_phone(phone: str) -> str:
    """Show a stored phone grouped 4-3-3 ("0912 345 678"); landlines 4-3-4."""
    if len(phone) == 10:
        return f"{phone[:4]} {phone[4:7]} {phone[7:]}"
    if len(phone) == 11:
        return f"{phone[:4]} {phone[4:7]} {phone[7:]}"
    return phone


def phone_e164_digits(phone: str) -> str:
    """ "0912345678" -> "84912345678" (the form ZNS wants)."""
    return "84" + phone[1:] if phone.startswith("0") else phone


_MST_WEIGHTS = (31, 29, 23, 19, 17, 13, 7, 5, 3)


def normalize_tax_code(raw: str) -> str | None:
    """Return "0100233488" / "0100233488-001" / a 12-digit personal code, or None if invalid."""
    digits = _SEPARATORS.sub("", raw.strip())
    if not digits.isdigit() or len(digits) not in (10, 12, 13):
        return None
    if len(digits) == 12:
        return digits if normalize_citizen_id(digits) else None
    head = digits[:10]
    if head[2:9] == "0000000":
        return None
    total = sum(w * int(d) for w, d in zip(_MST_WEIGHTS, head[:9], strict=True))
    remainder = total % 11
    if remainder == 0:
        return None
    check = (10 - remainder) % 10
    if int(head[9]) != check:
        return None
    if len(digits) == 13:
        suffix = digits[10:]
        return None if suffix == "000" else f"{head}-{suffix}"
    return head


# Province codes of the 63 pre-2025 provinces (PPP in a CCCD); the 2025 merger kept old numbers.
_CCCD_PROVINCES = frozenset(
    "001 002 004 006 008 010 011 012 014 015 017 019 020 022 024 025 026 027 030 031 033 034 035 "
    "036 037 038 040 042 044 045 046 048 049 051 052 054 056 058 060 062 064 066 067 068 070 072 "
    "074 075 077 079 080 082 083 084 086 087 089 091 092 093 094 095 096".split()
)


def normalize_citizen_id(raw: str, *, today: date | None = None) -> str | None:
    """A 12-digit CCCD with a known province code and a birth year not in the future, else None."""
    digits = _SEPARATORS.sub("", raw.strip())
    if len(digits) != 12 or not digits.isdigit():
        return None
    if digits[:3] not in _CCCD_PROVINCES:
        return None
    century = 1900 + 100 * (int(digits[3]) // 2)
    year = century + int(digits[4:6])
    if year > (today or date.today()).year:
        return None
    return digits


def looks_like_phone_suffix(raw: str) -> bool:
    """Front desks look customers up by the last 3-6 digits of a phone."""
    digits = _SEPARATORS.sub("", raw.strip())
    return digits.isdigit() and 3 <= len(digits) <= 6
