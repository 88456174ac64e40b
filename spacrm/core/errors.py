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
    # Bookings and stock (#9, #34)
    OUTSIDE_HOURS = "outside_hours"
    DAY_OFF = "day_off"
    PAST_TIME = "past_time"
    NOT_QUALIFIED = "not_qualified"
    ROOM_NOT_ALLOWED = "room_not_allowed"
    SLOT_TAKEN = "slot_taken"
    NO_TECHNICIAN = "no_technician"
    NO_ROOM = "no_room"
    WRONG_STATUS = "wrong_status"
    SESSION_NOT_TODAY = "session_not_today"
    CHECK_IN_NOT_TODAY = "check_in_not_today"
    NO_SHOW_TOO_EARLY = "no_show_too_early"
    COURSE_EMPTY = "course_empty"
    COURSE_EXPIRED = "course_expired"
    COURSE_OTHER_BRANCH = "course_other_branch"
    STOCK_NEGATIVE = "stock_negative"
    SAME_WAREHOUSE = "same_warehouse"
    # Sales (#9, #35, #37)
    ITEM_NOT_FOUND = "item_not_found"
    BAD_QUANTITY = "bad_quantity"
    BAD_AMOUNT = "bad_amount"
    PRICE_OVERRIDE = "price_override"
    OVERPAYMENT = "overpayment"
    ORDER_CANCELLED = "order_cancelled"
    ORDER_PAID = "order_paid"
    ORDER_EMPTY = "order_empty"
    WALK_IN_COURSE = "walk_in_course"
    ORDER_HAS_PAYMENTS = "order_has_payments"
    ALREADY_DONE = "already_done"
    NO_PRINTER = "no_printer"  # printing (area pay)
    # reports and KPI (#10)
    BAD_PERIOD = "bad_period"
    FUTURE_PERIOD = "future_period"
    UNKNOWN_REPORT = "unknown_report"
    KPI_DATES = "kpi_dates"
    KPI_NEGATIVE = "kpi_negative"
    EMPLOYEE_NOT_FOUND = "employee_not_found"
    # Staff life (#12): leave, overtime, payroll
    LEAVE_PAST = "leave_past"
    LEAVE_RANGE = "leave_range"
    LEAVE_OVERLAP = "leave_overlap"
    LEAVE_NO_WORKDAY = "leave_no_workday"
    LEAVE_BALANCE = "leave_balance"
    OVERTIME_HOURS = "overtime_hours"
    OWN_REQUEST = "own_request"
    REQUEST_DECIDED = "request_decided"
    PAYROLL_LOCKED = "payroll_locked"
    NO_SALARY_PROFILE = "no_salary_profile"
    REQUEST_WITHDRAWN = "request_withdrawn"  # staff life, continued (#12)
    OVERTIME_CAP = "overtime_cap"
    NO_OPEN_REQUEST = "no_open_request"
    ORDER_TASK_PERSON = "order_task_person"
    ORDER_TASK_WHO = "order_task_who"
    RATE_LIMITED = "rate_limited"
    # Bookings, the rest of #9: sessions of a course moved to another customer
    TRANSFER_SAME_CUSTOMER = "transfer_same_customer"
    # Console configuration (#11)
    ORG_CODE_TAKEN = "org_code_taken"
    # Console configuration, continued (#11): Q&A variants, days off and opening hours
    QA_TEXT = "qa_text"
    VARIANT_EXISTS = "variant_exists"
    DAYS_PAST = "days_past"
    DAYS_ORDER = "days_order"
    DAYS_TOO_MANY = "days_too_many"
    HOURS_WRONG = "hours_wrong"
    # reports2 (#32): an order linked to an opportunity
    DEAL_LINK_REFUSED = "deal_link_refused"
    # ops: a refund beyond what the order holds
    OVER_REFUND = "over_refund"


class DomainError(Exception):
    def __init__(self, code: ErrorCode, **params: Any) -> None:
        super().__init__(f"{code.value} {params}")
        self.code = code
        self.params = params
