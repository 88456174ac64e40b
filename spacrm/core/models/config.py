"""Settings an admin changed in the console (#11): they win over the environment's defaults."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model


class StoredSetting(Model):
    """One setting's value as text, validated like the environment variable of the same name."""

    id = fields.IntField(primary_key=True)
    key = fields.CharField(max_length=60, unique=True)
    value = fields.CharField(max_length=500)
    updated_by = fields.IntField(null=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "stored_setting"
