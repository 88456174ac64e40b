"""Guards the database itself enforces: one customer per identifier, and rate-limit counters."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model


class CustomerKey(Model):
    """One row per identifier (phone, email, tax code, citizen ID) of a customer. Every customer
    starts as a lead, so the lead holds the key; its contact and account carry the same values.
    The unique (kind, value) index, not the check before the insert, is what keeps concurrent
    creators (staff chat, widget, Facebook, Zalo, several processes) from making two records.
    One database is one company, so "unique within the company" is unique in the table."""

    id = fields.IntField(primary_key=True)
    kind = fields.CharField(max_length=12)  # phone email tax_code citizen_id
    value = fields.CharField(max_length=200)  # the normalised value (validate_identifiers)
    lead_id = fields.IntField(db_index=True)

    class Meta:
        table = "customer_key"
        unique_together = (("kind", "value"),)


class RateEvent(Model):
    """One counted action (a link code mailed, a widget lead, a sign-in try) under a key such as
    "link-login:12". Kept in the database so a limit holds across processes and restarts."""

    id = fields.IntField(primary_key=True)
    key = fields.CharField(max_length=160)
    at = fields.DatetimeField()

    class Meta:
        table = "rate_event"
        indexes = (("key", "at"),)
