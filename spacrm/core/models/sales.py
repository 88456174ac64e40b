"""Orders (#9), vouchers (#35: receipts and payment vouchers), document counters and bank transfers.

Operations records carry the four ownership columns of the seller plus `site_branch_id`, the
branch where the sale happens: the front desk of that branch sees and acts on it (DESIGN §2).
"""

from __future__ import annotations

from typing import Any

from tortoise import fields
from tortoise.models import Model

from spacrm.core.models.crm import Owned

ORDER_STATUSES = ("draft", "confirmed", "partly_paid", "paid", "cancelled")
VOUCHER_KINDS = ("receipt", "payment", "other")
VOUCHER_STATUSES = ("planned", "done", "cancelled", "other")
PAY_METHODS = ("cash", "transfer", "card", "other")


class DocCounter(Model):
    """The last number given per document type and year, locked while a number is taken, so
    numbers are gapless and never reused."""

    id = fields.IntField(primary_key=True)
    kind = fields.CharField(max_length=12)
    year = fields.IntField()
    last_seq = fields.IntField(default=0)

    class Meta:
        table = "doc_counter"
        unique_together = (("kind", "year"),)


class Order(Owned):
    id = fields.IntField(primary_key=True)
    number = fields.CharField(max_length=30, unique=True)
    # The number without separators ("HD2026000123"): what a bank transfer note is matched on.
    code = fields.CharField(max_length=30, unique=True)
    order_date = fields.DateField(db_index=True)
    site_branch_id = fields.IntField(null=True, db_index=True)
    lead_id = fields.IntField(null=True, db_index=True)
    contact_id = fields.IntField(null=True, db_index=True)
    # The opportunity (deal) this sale closes, when known (profit by opportunity, #32): set at
    # creation when the customer has exactly one open deal, or linked later by hand.
    opportunity_id = fields.IntField(null=True, db_index=True)
    customer_name = fields.CharField(max_length=200)
    customer_phone = fields.CharField(max_length=15, null=True)
    status = fields.CharField(max_length=12, default="confirmed", db_index=True)
    subtotal = fields.BigIntField(default=0)
    discount = fields.BigIntField(default=0)
    total = fields.BigIntField(default=0)
    paid = fields.BigIntField(default=0)
    note = fields.TextField(null=True)
    created_by_id = fields.IntField()
    paid_at = fields.DatetimeField(null=True)
    cancelled_at = fields.DatetimeField(null=True)

    class Meta:
        table = "sales_order"
        indexes = (("lead_id", "order_date"), ("site_branch_id", "order_date"))


class OrderLine(Model):
    id = fields.IntField(primary_key=True)
    order_id = fields.IntField(db_index=True)
    item_id = fields.IntField(null=True)
    package_id = fields.IntField(null=True)
    kind = fields.CharField(max_length=12)  # service goods consumable
    name = fields.CharField(max_length=200)
    quantity = fields.IntField(default=1)
    sessions = fields.IntField(default=0)  # a service sold as N sessions (a course)
    list_price = fields.BigIntField()  # the catalogue's unit price at the time of sale
    unit_price = fields.BigIntField()
    amount = fields.BigIntField()  # after the order discount share, so lines add up to the total
    commission_pct = fields.IntField(default=0)
    validity_months = fields.IntField(null=True)
    sales_commission_pct = fields.IntField(
        default=0, db_default=0
    )  # the catalogue's seller % at the sale

    class Meta:
        table = "order_line"


class Voucher(Owned):
    """A receipt (phiếu thu), a payment voucher (phiếu chi) or another money document."""

    id = fields.IntField(primary_key=True)
    number = fields.CharField(max_length=30, unique=True)
    kind = fields.CharField(max_length=10, db_index=True)
    name = fields.CharField(max_length=200)
    voucher_date = fields.DateField(db_index=True)
    amount = fields.BigIntField()
    status = fields.CharField(max_length=10, default="done", db_index=True)
    method = fields.CharField(max_length=10, default="cash")
    site_branch_id = fields.IntField(null=True, db_index=True)
    lead_id = fields.IntField(null=True, db_index=True)
    order_id = fields.IntField(null=True, db_index=True)
    note = fields.TextField(null=True)
    created_by_id = fields.IntField()
    # A button press or a bank transfer gives one key; a second identical press finds the first.
    idem_key = fields.CharField(max_length=80, null=True, unique=True)
    # What a payment voucher (chi) was for: a key of services/expenses.CATEGORIES.
    category = fields.CharField(max_length=20, null=True)

    class Meta:
        table = "voucher"
        # A period's payment vouchers ("phiếu chi tháng này") without the receipts of that period.
        indexes = (("site_branch_id", "voucher_date"), ("kind", "voucher_date"))


class BankTransfer(Model):
    """A credited transfer a bank webhook reported, once per (provider, provider_id)."""

    id = fields.IntField(primary_key=True)
    provider = fields.CharField(max_length=20)
    provider_id = fields.CharField(max_length=80)
    amount = fields.BigIntField()
    note = fields.TextField()
    account = fields.CharField(max_length=40, default="")
    received_at = fields.DatetimeField()
    payload: dict[str, Any] = fields.JSONField(default=dict)  # the provider's body, for audits
    status = fields.CharField(max_length=10, default="matched")  # matched review
    order_id = fields.IntField(null=True)
    voucher_id = fields.IntField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "bank_transfer"
        unique_together = (("provider", "provider_id"),)


class BankReview(Model):
    """A transfer that could not be applied by itself: the front desk and managers of the branch
    assign it to an order or ignore it."""

    id = fields.IntField(primary_key=True)
    transfer_id = fields.IntField(unique=True)
    reason = fields.CharField(
        max_length=20
    )  # no_code two_codes unknown_order amount cancelled paid
    order_id = fields.IntField(null=True)  # the order the note named, when there was one
    branch_id = fields.IntField(null=True, db_index=True)
    status = fields.CharField(max_length=10, default="open", db_index=True)  # open assigned ignored
    resolved_by_id = fields.IntField(null=True)
    resolved_at = fields.DatetimeField(null=True)
    voucher_id = fields.IntField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "bank_review"
