"""Chat plumbing that must survive restarts: dialog state, outbox, processed inbound ids."""

from __future__ import annotations

from typing import Any

from tortoise import fields
from tortoise.models import Model


class DialogState(Model):
    id = fields.IntField(primary_key=True)
    channel = fields.CharField(max_length=20)
    chat_id = fields.CharField(max_length=80)
    data: dict[str, Any] = fields.JSONField(default=dict)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "dialog_state"
        unique_together = (("channel", "chat_id"),)


class OutboxMessage(Model):
    """An outbound message, written in the same transaction as the change that caused it."""

    id = fields.IntField(primary_key=True)
    channel = fields.CharField(max_length=20, db_index=True)
    account_ref = fields.CharField(
        max_length=80, null=True
    )  # page id / OA id for customer channels
    chat_id = fields.CharField(max_length=80)
    payload: dict[str, Any] = fields.JSONField()
    status = fields.CharField(
        max_length=12, default="pending", db_index=True
    )  # pending sent failed
    attempts = fields.IntField(default=0)
    next_attempt_at = fields.DatetimeField(db_index=True)
    last_error = fields.TextField(null=True)
    provider_message_id = fields.CharField(max_length=80, null=True)
    thread_ref = fields.CharField(max_length=80, null=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    sent_at = fields.DatetimeField(null=True)

    class Meta:
        table = "outbox_message"


class ProcessedEvent(Model):
    """Inbound idempotency: a provider's update id seen once."""

    id = fields.IntField(primary_key=True)
    source = fields.CharField(max_length=30)
    event_id = fields.CharField(max_length=120)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "processed_event"
        unique_together = (("source", "event_id"),)


class SentMessageRef(Model):
    """Which outbound chat message refers to what (a handoff thread), so replies can be routed."""

    id = fields.IntField(primary_key=True)
    channel = fields.CharField(max_length=20)
    chat_id = fields.CharField(max_length=80)
    message_id = fields.CharField(max_length=80)
    thread_ref = fields.CharField(max_length=80)

    class Meta:
        table = "sent_message_ref"
        unique_together = (("channel", "chat_id", "message_id"),)


class TaxCodeCache(Model):
    tax_code = fields.CharField(max_length=20, primary_key=True)
    name = fields.CharField(max_length=300, null=True)
    address = fields.TextField(null=True)
    fetched_at = fields.DatetimeField()

    class Meta:
        table = "tax_code_cache"
