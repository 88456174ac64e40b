"""Stock (#34): one warehouse per branch and a ledger of moves. On-hand is the sum of the moves
of a (product, warehouse), never a number edited in place (DESIGN §2).

Quantities are thousandths of the product's unit (`qty_milli`): a session uses 0.05 bottle,
integers sum exactly on every database.
"""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

MOVE_KINDS = (
    "in",
    "session",
    "sale",
    "issue",
    "transfer_in",
    "transfer_out",
    "adjust",
    "sale_return",
)


class Warehouse(Model):
    id = fields.IntField(primary_key=True)
    branch_id = fields.IntField(unique=True)
    name = fields.CharField(max_length=120)

    class Meta:
        table = "warehouse"


class StockMove(Model):
    id = fields.IntField(primary_key=True)
    product_id = fields.IntField()
    warehouse_id = fields.IntField()
    qty_milli = fields.BigIntField()  # + in, - out
    kind = fields.CharField(max_length=12)
    unit_cost = fields.BigIntField(null=True)  # VND per unit, on stock in when given
    appointment_id = fields.IntField(null=True)
    note = fields.CharField(max_length=200, default="")
    created_by_id = fields.IntField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    # One key per business event (a session's consumable): a retried completion never issues twice.
    idem_key = fields.CharField(max_length=80, null=True, unique=True)

    class Meta:
        table = "stock_move"
        # qty_milli in the index: on-hand is summed from the index alone.
        indexes = (("product_id", "warehouse_id", "qty_milli"),)


class StockThreshold(Model):
    """Below this on-hand the branch's managers are warned (per product, all warehouses)."""

    id = fields.IntField(primary_key=True)
    product_id = fields.IntField(unique=True)
    min_qty_milli = fields.BigIntField()

    class Meta:
        table = "stock_threshold"
