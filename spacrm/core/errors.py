"""Domain errors are codes with parameters; the chat and web edges translate them."""

from __future__ import annotations

from enum import StrEnum
from typing import Any


class ErrorCode(StrEnum):
    NOT_FOUND = "not_found"
    AMBIGUOUS = "ambiguous"
    INVALID_PHONE = "invalid_phone"
    INVALID_EMAIL = "invalid_email"
    INVALID_TAX_CODE = "invalid_tax_code"
    INVALID_CITIZEN_ID = "invalid_citizen_id"
    INVALID_STAGE = "invalid_stage"
    INVALID_VALUE = "invalid_value"
    NAME_REQUIRED = "name_required"
    DUPLICATE_VISIBLE = "duplicate_visible"
    DUPLICATE_HIDDEN = "duplicate_hidden"
    SAME_STAGE = "same_stage"
    STALE = "stale"
    FORBIDDEN = "forbidden"
    UNKNOWN_LOGIN = "unknown_login"
    USER_EXISTS = "user_exists"
    USER_INACTIVE = "user_inactive"
    CODE_WRONG = "code_wrong"
    CODE_EXPIRED = "code_expired"
    CODE_LOCKED = "code_locked"
    MAIL_FAILED = "mail_failed"
    NOT_AVAILABLE = "not_available"
    TOO_MANY_CHANNELS = "too_many_channels"
    CHANNEL_NOT_FOUND = "channel_not_found"
    IMPORT_FAILED = "import_failed"
    # Sales (#9, #35, #37)
    ITEM_NOT_FOUND = "item_not_found"
    BAD_QUANTITY = "bad_quantity"
    BAD_AMOUNT = "bad_amount"
    PRICE_OVERRIDE = "price_override"
    OVERPAYMENT = "overpayment"
    ORDER_CANCELLED = "order_cancelled"
    ORDER_PAID = "order_paid"
    ORDER_EMPTY = "order_empty"
    ORDER_HAS_PAYMENTS = "order_has_payments"
    ALREADY_DONE = "already_done"
    NO_PRINTER = "no_printer"  # printing (area pay)
    RATE_LIMITED = "rate_limited"


class DomainError(Exception):
    def __init__(self, code: ErrorCode, **params: Any) -> None:
        super().__init__(f"{code.value} {params}")
        self.code = code
        self.params = params
