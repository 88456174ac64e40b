"""KPI settings (#23): targets for one employee or one team over a date range."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

# The target columns, in the order reports show them.
TARGETS = (
    "calls",
    "meetings",
    "callcenter_calls",
    "emails",
    "quote_emails",
    "new_leads",
    "leads_contacted",
    "leads_converted",
    "revenue",
    "new_buyers",
    "returning_buyers",
)


class KpiSetting(Model):
    """Applies to `user_id` or to every member of `team_id` (exactly one is set). Branch and
    region are copied from the target so managers see the settings of their scope."""

    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=120)
    active = fields.BooleanField(default=True)
    start_date = fields.DateField()
    end_date = fields.DateField()
    description = fields.TextField(null=True)
    user_id = fields.IntField(null=True, db_index=True)
    team_id = fields.IntField(null=True, db_index=True)
    branch_id = fields.IntField(null=True, db_index=True)
    region_id = fields.IntField(null=True, db_index=True)
    commission_pct = fields.IntField(default=0)  # of the employee's revenue
    calls = fields.IntField(default=0)
    meetings = fields.IntField(default=0)
    callcenter_calls = fields.IntField(default=0)
    emails = fields.IntField(default=0)
    quote_emails = fields.IntField(default=0)
    new_leads = fields.IntField(default=0)
    leads_contacted = fields.IntField(default=0)
    leads_converted = fields.IntField(default=0)
    revenue = fields.BigIntField(default=0)  # VND
    new_buyers = fields.IntField(default=0)
    returning_buyers = fields.IntField(default=0)
    created_by_id = fields.IntField()
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "kpi_setting"


class ReportSend(Model):
    """A scheduled report sent to one user for one day: the unique row makes it go out once,
    also across restarts and with two schedulers."""

    id = fields.IntField(primary_key=True)
    kind = fields.CharField(max_length=20)  # morning
    user_id = fields.IntField()
    day = fields.DateField()
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "report_send"
        unique_together = (("kind", "user_id", "day"),)
