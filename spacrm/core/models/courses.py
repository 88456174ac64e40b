"""Treatment courses (#37): the sessions of a service a customer has paid for, from an order line."""

from __future__ import annotations

from tortoise import fields

from spacrm.core.models.crm import Owned

COURSE_STATUSES = ("active", "finished", "expired", "cancelled")


class Course(Owned):
    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=200)
    lead_id = fields.IntField(null=True, db_index=True)
    customer_name = fields.CharField(max_length=200)
    order_id = fields.IntField(db_index=True)
    order_line_id = fields.IntField(unique=True)  # one course per line, created exactly once
    service_id = fields.IntField(null=True)
    site_branch_id = fields.IntField(null=True, db_index=True)
    sessions_total = fields.IntField()
    sessions_used = fields.IntField(default=0)
    expires_on = fields.DateField(null=True)
    status = fields.CharField(max_length=10, default="active", db_index=True)
    technician_id = fields.IntField(null=True, db_index=True)
    commission_pct = fields.IntField(default=0)
    discount_pct = fields.IntField(default=0)
    session_amount = fields.BigIntField()  # line total ÷ sessions
    commission_amount = fields.BigIntField(default=0)  # per session
    description = fields.TextField(null=True)

    class Meta:
        table = "course"

    @property
    def sessions_left(self) -> int:
        return self.sessions_total - self.sessions_used
