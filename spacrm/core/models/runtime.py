"""What the running server keeps so a restart loses nothing: inbound updates stored before they
are acknowledged to the provider, and which terminal chats are open (for reminders)."""

from __future__ import annotations

from typing import Any

from tortoise import fields
from tortoise.models import Model


class InboundUpdate(Model):
    """A provider update, stored before the provider is told it arrived (polling: before the
    offset moves on; webhook: before the 200), processed by a worker, then deleted. Rows of one
    chat are processed one at a time, in order; `next_attempt_at` is the worker's lease."""

    id = fields.IntField(primary_key=True)
    source = fields.CharField(max_length=20)
    key = fields.CharField(max_length=120)
    chat_key = fields.CharField(max_length=80, default="")
    payload: dict[str, Any] = fields.JSONField()
    status = fields.CharField(max_length=8, default="new", db_index=True)  # new failed
    attempts = fields.IntField(default=0)
    next_attempt_at = fields.DatetimeField(db_index=True)
    last_error = fields.TextField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "inbound_update"
        unique_together = (("source", "key"),)


class ChatPresence(Model):
    """An open `spacrm chat` session: reminders are printed there while it is open."""

    id = fields.IntField(primary_key=True)
    user_id = fields.IntField(db_index=True)
    chat_id = fields.CharField(max_length=80, unique=True)
    seen_at = fields.DatetimeField()

    class Meta:
        table = "chat_presence"
