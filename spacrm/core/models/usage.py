"""CRM usage (#33): one row per staff chat turn and per console action, written where the action
happens (the engine, the console), so the usage report counts what people did, not what records
suggest."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model


class UsageEvent(Model):
    """Who did what, when, through which channel, and which record it changed (if any)."""

    id = fields.IntField(primary_key=True)
    user_id = fields.IntField()
    at = fields.DatetimeField()
    source = fields.CharField(max_length=10)  # chat console
    channel = fields.CharField(max_length=20)  # telegram zalo terminal console
    action = fields.CharField(max_length=40)  # the intent, "button:mv", or the console action
    record_kind = fields.CharField(max_length=20, null=True)
    record_id = fields.IntField(null=True)
    changed = fields.BooleanField(default=False)

    class Meta:
        table = "usage_event"
        # The report reads one period (and scope's users) at a time.
        indexes = (("at", "user_id"),)


class UsageChange(Model):
    """How many records of one kind a usage row (one turn or console action) created and changed:
    counted by the ORM's save signals (core/changes.py), not guessed from the records."""

    id = fields.IntField(primary_key=True)
    event_id = fields.IntField(db_index=True)
    user_id = fields.IntField()
    at = fields.DatetimeField()
    kind = fields.CharField(max_length=40)  # order voucher appointment stock_move lead …
    created = fields.IntField(default=0)
    changed = fields.IntField(default=0)

    class Meta:
        table = "usage_change"
        indexes = (("at", "user_id"),)
