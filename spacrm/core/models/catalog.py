"""The catalogue (#6, #38): services, goods and consumables in one table, and packages.

A package is an order template ("Triệt nách 10 buổi"): its items and their share of the price.
`name_key` is the folded name so "triet nach" finds "Triệt nách".
"""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

ITEM_KINDS = ("service", "goods", "consumable")


class CatalogItem(Model):
    id = fields.IntField(primary_key=True)
    code = fields.CharField(max_length=40, unique=True)
    name = fields.CharField(max_length=200)
    name_key = fields.CharField(max_length=200, db_index=True)
    kind = fields.CharField(max_length=12, db_index=True)  # service goods consumable
    category = fields.CharField(max_length=80, null=True, db_index=True)
    unit = fields.CharField(max_length=20, default="")
    origin = fields.CharField(max_length=80, null=True)
    duration_min = fields.IntField(default=0)
    price = fields.BigIntField(default=0, db_index=True)
    cost = fields.BigIntField(default=0)
    commission_pct = fields.IntField(default=0)
    description = fields.TextField(null=True)
    active = fields.BooleanField(default=True)
    sales_commission_pct = fields.IntField(
        default=0, db_default=0
    )  # the seller's share when it is paid (#12)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "catalog_item"


class ServiceConsumable(Model):
    """How much of a consumable one session of a service uses (stock deducts it per session)."""

    id = fields.IntField(primary_key=True)
    service_id = fields.IntField(db_index=True)
    consumable_id = fields.IntField()
    quantity = fields.FloatField()

    class Meta:
        table = "service_consumable"
        unique_together = (("service_id", "consumable_id"),)


class Package(Model):
    id = fields.IntField(primary_key=True)
    code = fields.CharField(max_length=40, unique=True)
    name = fields.CharField(max_length=200)
    name_key = fields.CharField(max_length=200, db_index=True)
    price = fields.BigIntField()
    validity_months = fields.IntField(default=12)
    description = fields.TextField(null=True)
    active = fields.BooleanField(default=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "package"


class PackageItem(Model):
    """One item of a package: a service with N sessions, or goods with a quantity, and the part
    of the package price it carries (the shares add up to the package price)."""

    id = fields.IntField(primary_key=True)
    package_id = fields.IntField(db_index=True)
    item_id = fields.IntField()
    quantity = fields.IntField(default=1)
    sessions = fields.IntField(default=0)
    amount = fields.BigIntField()

    class Meta:
        table = "package_item"
