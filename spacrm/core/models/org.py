"""Organisation tree (Company → Region → Branch → Team → User) and staff identities."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model


class Region(Model):
    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=120)
    code = fields.CharField(max_length=40, unique=True)

    class Meta:
        table = "region"


class Branch(Model):
    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=120)
    code = fields.CharField(max_length=40, unique=True)
    region: fields.ForeignKeyRelation[Region] = fields.ForeignKeyField(
        "models.Region", related_name="branches", on_delete=fields.RESTRICT
    )
    region_id: int
    director_id = fields.IntField(null=True, db_index=True)

    class Meta:
        table = "branch"


class Team(Model):
    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=120)
    code = fields.CharField(max_length=40, unique=True)
    branch: fields.ForeignKeyRelation[Branch] = fields.ForeignKeyField(
        "models.Branch", related_name="teams", on_delete=fields.RESTRICT
    )
    branch_id: int
    lead_id = fields.IntField(null=True)

    class Meta:
        table = "team"


class User(Model):
    id = fields.IntField(primary_key=True)
    login = fields.CharField(max_length=60, unique=True)
    email = fields.CharField(max_length=200, unique=True)
    full_name = fields.CharField(max_length=120)
    name_key = fields.CharField(max_length=120, db_index=True)
    role = fields.CharField(max_length=20)
    region_id = fields.IntField(null=True)
    branch_id = fields.IntField(null=True)
    team_id = fields.IntField(null=True)
    password_hash = fields.CharField(max_length=200, null=True)
    lang = fields.CharField(max_length=5, default="vi")
    active = fields.BooleanField(default=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    # Operations flags (DESIGN §2): the front desk ("lễ tân") serves every customer of the
    # branch; a technician ("KTV") does the sessions.
    is_front_desk = fields.BooleanField(default=False)
    is_technician = fields.BooleanField(default=False)

    class Meta:
        table = "app_user"


class ChannelIdentity(Model):
    """A staff member's account on a chat channel (Telegram id, Zalo user id, ...)."""

    id = fields.IntField(primary_key=True)
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="identities", on_delete=fields.CASCADE
    )
    user_id: int
    channel = fields.CharField(max_length=20)
    external_id = fields.CharField(max_length=80)
    chat_id = fields.CharField(max_length=80)
    linked_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "channel_identity"
        unique_together = (("channel", "external_id"),)


class LinkCode(Model):
    """A pending two-step link: the emailed code (hashed), its expiry and the tries left."""

    id = fields.IntField(primary_key=True)
    channel = fields.CharField(max_length=20)
    external_id = fields.CharField(max_length=80)
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="link_codes", on_delete=fields.CASCADE
    )
    user_id: int
    code_hash = fields.CharField(max_length=128)
    expires_at = fields.DatetimeField()
    tries_left = fields.IntField()
    used = fields.BooleanField(default=False)

    class Meta:
        table = "link_code"
        indexes = (("channel", "external_id"),)
