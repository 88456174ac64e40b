"""A lead's fields checked without the database (#2, #21): identifiers, name length, amounts.

Kept apart from leads.py so that an import's reader process (imports.py) can use them without
loading the ORM and the models, which takes seconds on a busy machine.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacrm.core import clock
from spacrm.core.errors import DomainError, ErrorCode
from spacrm.core.ids import normalize_citizen_id, normalize_phone, normalize_tax_code
from spacrm.core.textnorm import fold

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$", re.IGNORECASE)
MAX_NAME = 120


@dataclass(frozen=True, slots=True)
class Identifiers:
    phone: str | None
    email: str | None
    tax_code: str | None
    citizen_id: str | None


def validate_identifiers(
    *, phone: str | None, email: str | None, tax_code: str | None, citizen_id: str | None
) -> Identifiers:
    norm_phone = None
    if phone:
        norm_phone = normalize_phone(phone)
        if norm_phone is None:
            raise DomainError(ErrorCode.INVALID_PHONE, value=phone)
    if email and not _EMAIL.match(email.strip()):
        raise DomainError(ErrorCode.INVALID_EMAIL, value=email)
    norm_tax = None
    if tax_code:
        norm_tax = normalize_tax_code(tax_code)
        if norm_tax is None:
            raise DomainError(ErrorCode.INVALID_TAX_CODE, value=tax_code)
    norm_cid = None
    if citizen_id:
        norm_cid = normalize_citizen_id(citizen_id, today=clock.today())
        if norm_cid is None:
            raise DomainError(ErrorCode.INVALID_CITIZEN_ID, value=citizen_id)
    return Identifiers(norm_phone, email.strip().lower() if email else None, norm_tax, norm_cid)


def parse_number(raw: str) -> int:
    """Whole numbers with thousands separators; "5tr" / "500k" as in chat."""
    text = fold(raw).replace(" ", "")
    scale = 1
    for suffix, factor in (("trieu", 1_000_000), ("tr", 1_000_000), ("k", 1000), ("d", 1)):
        if text.endswith(suffix):
            text, scale = text.removesuffix(suffix), factor
            break
    digits = text.replace(".", "").replace(",", "")
    if not digits.isdigit() or len(digits) > 15:
        raise DomainError(ErrorCode.INVALID_VALUE, field="number", value=raw[:30])
    return int(digits) * scale
