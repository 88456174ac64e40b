"""Report roll-ups (#10): done activities counted per local day and per employee, written by
database triggers on `activity` (core/services/rollup.py), so every insert, edit, delete, cascade
and reassignment keeps them exact in the same transaction. Reports read these instead of scanning
a month of activities. Scope columns are the activity's own (what `scoped(Activity, …)` filters
on), 0 standing for none (a unique key cannot hold NULL)."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model


class RollupScope(Model):
    """The scope columns a roll-up row is kept per: its source row's own, 0 for none."""

    owner_id = fields.IntField()
    team_id = fields.IntField()
    branch_id = fields.IntField()
    region_id = fields.IntField()

    class Meta:
        abstract = True


class OrderRollupScope(RollupScope):
    """An order's scope: the seller's four columns and the branch where the sale happens (what
    the front desk's `ops_scoped` sees)."""

    site_branch_id = fields.IntField()

    class Meta:
        abstract = True


class ActivityDay(RollupScope):
    """How many done activities of one kind an owner had on one local day (`day` = YYYYMMDD)."""

    id = fields.IntField(primary_key=True)
    day = fields.IntField()
    kind = fields.CharField(max_length=20)
    n = fields.IntField()

    class Meta:
        table = "activity_day"
        unique_together = (("day", "kind", "owner_id", "team_id", "branch_id", "region_id"),)
        indexes = (("owner_id", "day", "kind"),)


class LeadTouch(RollupScope):
    """The local days of one month (`month` = YYYYMM) on which a lead had a done activity of one
    owner: bit d-1 of `days` is day d. Distinct leads cared for in any run of days are then one
    row per lead and month, not one per activity."""

    id = fields.IntField(primary_key=True)
    month = fields.IntField()
    lead_id = fields.IntField()
    days = fields.IntField()

    class Meta:
        table = "lead_touch"
        unique_together = (("month", "lead_id", "owner_id", "team_id", "branch_id", "region_id"),)
        indexes = (
            # a whole chain, a region or a branch: the month's rows read from the index alone, in
            # owner and lead order (the KPI's distinct leads per owner need no sort)
            ("month", "branch_id", "owner_id", "lead_id", "days", "team_id", "region_id"),
            ("owner_id", "month", "days", "lead_id"),
        )


class OrderDay(OrderRollupScope):
    """Orders not cancelled of one local day (`day` = YYYYMMDD of `order_date`) and one owner:
    how many and their total. Kept by triggers on `sales_order` (core/services/rollup.py), with
    the order's scope columns (what `ops_scoped(Order, …)` filters on, 0 for none)."""

    id = fields.IntField(primary_key=True)
    day = fields.IntField()
    n = fields.IntField()
    total = fields.BigIntField()

    class Meta:
        table = "order_day"
        unique_together = (
            ("day", "owner_id", "team_id", "branch_id", "region_id", "site_branch_id"),
        )
        indexes = (("owner_id", "day", "n", "total"),)


class LeadBuy(OrderRollupScope):
    """The local days of one month (`month` = YYYYMM) on which a lead bought from one owner (an
    order not cancelled): bit d-1 of `days` is day d. The KPI's buyers of a period, and whether
    each had bought before it, are then one row per buyer and month, not every order ever."""

    id = fields.IntField(primary_key=True)
    month = fields.IntField()
    lead_id = fields.IntField()
    days = fields.IntField()

    class Meta:
        table = "lead_buy"
        unique_together = (
            ("month", "lead_id", "owner_id", "team_id", "branch_id", "region_id", "site_branch_id"),
        )
        indexes = (
            # a chain, a region or a branch: the period's buyers from the index alone
            ("month", "branch_id", "owner_id", "lead_id", "days"),
            # one employee's buyers
            ("owner_id", "month", "days", "lead_id"),
            # "had this customer bought before the period?": a seek per buyer
            ("lead_id", "month", "days", "owner_id", "branch_id"),
        )
