"""Spreadsheet imports (#21): one batch per import and one row per record it created or changed,
so "undo this import" can put everything back exactly."""

from __future__ import annotations

from typing import Any

from tortoise import fields
from tortoise.models import Model


class ImportBatch(Model):
    """One import of one file by one user (the counts are what the import did)."""

    id = fields.IntField(primary_key=True)
    user_id = fields.IntField(db_index=True)
    kind = fields.CharField(max_length=20)  # leads
    filename = fields.CharField(max_length=255)
    status = fields.CharField(max_length=10, default="running")  # running done undone failed
    expected = fields.IntField(default=0)  # rows the file seems to have (for the progress bar)
    total = fields.IntField(default=0)
    created = fields.IntField(default=0)
    updated = fields.IntField(default=0)
    skipped = fields.IntField(default=0)
    refused = fields.IntField(default=0)
    created_at = fields.DatetimeField(auto_now_add=True)
    undone_at = fields.DatetimeField(null=True)

    class Meta:
        table = "import_batch"


class ImportChange(Model):
    """A record the batch created (before is null) or updated (before = the values it replaced)."""

    id = fields.IntField(primary_key=True)
    batch_id = fields.IntField(db_index=True)
    lead_id = fields.IntField(db_index=True)
    action = fields.CharField(max_length=10)  # created updated
    before: dict[str, Any] | None = fields.JSONField(null=True)
    version = fields.IntField()  # the lead's version right after the import, to spot later edits

    class Meta:
        table = "import_change"
