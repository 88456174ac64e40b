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
