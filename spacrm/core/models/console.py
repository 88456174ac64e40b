"""Admin console sign-in (#10, #11): one row per signed-in browser session."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

from spacrm.core.models.org import User


class ConsoleSession(Model):
    """Only the token's hash is stored: a database leak does not hand out live sessions."""

    id = fields.IntField(primary_key=True)
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="console_sessions", on_delete=fields.CASCADE
    )
    user_id: int
    token_hash = fields.CharField(max_length=64, unique=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    expires_at = fields.DatetimeField()

    class Meta:
        table = "console_session"
