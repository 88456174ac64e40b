"""CRM records: leads, accounts, contacts, opportunities, activities, attachments, complaints.

Every owned record carries owner/team/branch/region ids copied from its owner, so visibility is
one indexed filter (core.permissions). `version` changes on every edit so a stale button is caught.
"""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model


class Owned(Model):
    owner_id = fields.IntField(db_index=True)
    team_id = fields.IntField(null=True, db_index=True)
    branch_id = fields.IntField(null=True, db_index=True)
    region_id = fields.IntField(null=True, db_index=True)
    created_at = fields.DatetimeField(auto_now_add=True, db_index=True)
    updated_at = fields.DatetimeField(auto_now=True)
    version = fields.IntField(default=1)

    class Meta:
        abstract = True


class Account(Owned):
    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=200)
    name_key = fields.CharField(max_length=200, db_index=True)
    phone = fields.CharField(max_length=15, null=True, db_index=True)
    tax_code = fields.CharField(max_length=20, null=True, db_index=True)
    address = fields.TextField(null=True)
    billing_address = fields.TextField(null=True)
    email = fields.CharField(max_length=200, null=True, db_index=True)
    fax = fields.CharField(max_length=30, null=True)
    description = fields.TextField(null=True)
    parent: fields.ForeignKeyNullableRelation[Account] = fields.ForeignKeyField(
        "models.Account", related_name="members", null=True, on_delete=fields.SET_NULL
    )
    parent_id: int | None

    class Meta:
        table = "account"


class Contact(Owned):
    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=200)
    name_key = fields.CharField(max_length=200, db_index=True)
    email = fields.CharField(max_length=200, null=True, db_index=True)
    phone = fields.CharField(max_length=15, null=True, db_index=True)
    address = fields.TextField(null=True)
    company = fields.CharField(max_length=200, null=True)
    title = fields.CharField(max_length=100, null=True)
    department = fields.CharField(max_length=100, null=True)
    description = fields.TextField(null=True)
    citizen_id = fields.CharField(max_length=12, null=True, db_index=True)
    account: fields.ForeignKeyNullableRelation[Account] = fields.ForeignKeyField(
        "models.Account", related_name="contacts", null=True, on_delete=fields.SET_NULL
    )
    account_id: int | None

    class Meta:
        table = "contact"


class Lead(Owned):
    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=200)
    name_key = fields.CharField(max_length=200, db_index=True)
    company = fields.CharField(max_length=200, null=True)
    email = fields.CharField(max_length=200, null=True, db_index=True)
    phone = fields.CharField(max_length=15, null=True, db_index=True)
    address = fields.TextField(null=True)
    area = fields.CharField(max_length=100, null=True)
    stage = fields.CharField(max_length=20, default="potential", db_index=True)
    needs = fields.TextField(null=True)
    potential_level = fields.CharField(max_length=20, null=True)
    source = fields.CharField(max_length=40, null=True, db_index=True)
    value = fields.BigIntField(default=0, db_index=True)
    tax_code = fields.CharField(max_length=20, null=True, db_index=True)
    citizen_id = fields.CharField(max_length=12, null=True, db_index=True)
    birthday = fields.CharField(max_length=10, null=True)  # "1990-03-08", or "--03-08" (no year)
    calls = fields.IntField(default=0)
    meetings = fields.IntField(default=0)
    emails = fields.IntField(default=0)
    quote_emails = fields.IntField(default=0)
    converted_at = fields.DatetimeField(null=True)
    contact: fields.ForeignKeyNullableRelation[Contact] = fields.ForeignKeyField(
        "models.Contact", related_name="leads", null=True, on_delete=fields.SET_NULL
    )
    contact_id: int | None
    account: fields.ForeignKeyNullableRelation[Account] = fields.ForeignKeyField(
        "models.Account", related_name="leads", null=True, on_delete=fields.SET_NULL
    )
    account_id: int | None

    class Meta:
        table = "lead"
        # The console kanban (#11) and reports (#10): by stage, created or converted in a period,
        # for everyone, a team, branch, region or one owner. Each index also holds the other
        # columns the kanban filters, sorts and sums (value, source, owner, scope), so its
        # queries never read the table, whichever index is picked (migration 0027).
        indexes = (("owner_id", "stage", "created_at", "value", "source", "team_id", "branch_id", "region_id"),
                   ("stage", "created_at", "value", "source", "owner_id", "team_id", "branch_id", "region_id"),
                   ("stage", "value", "created_at", "source", "owner_id", "team_id", "branch_id", "region_id"),
                   ("converted_at",),
                   ("team_id", "stage", "created_at", "converted_at", "value", "source", "owner_id"),
                   ("branch_id", "stage", "created_at", "converted_at", "value", "source", "owner_id"),
                   ("region_id", "stage", "created_at", "converted_at", "value", "source", "owner_id"),
                   # leads cared for (#10): the roll-up's lead ids looked up by id without
                   # reading the wide lead rows (SQLite: 7x on a month of 100k leads)
                   ("id", "owner_id", "stage", "team_id", "branch_id", "region_id"))  # fmt: skip


class Opportunity(Owned):
    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=200)
    amount = fields.BigIntField(default=0)
    close_date = fields.DateField(null=True)
    campaign = fields.CharField(max_length=120, null=True)
    probability = fields.IntField(default=10)
    stage = fields.CharField(max_length=20, default="needs_analysis")
    description = fields.TextField(null=True)
    lead: fields.ForeignKeyNullableRelation[Lead] = fields.ForeignKeyField(
        "models.Lead", related_name="deals", null=True, on_delete=fields.SET_NULL
    )
    lead_id: int | None
    contact: fields.ForeignKeyNullableRelation[Contact] = fields.ForeignKeyField(
        "models.Contact", related_name="deals", null=True, on_delete=fields.SET_NULL
    )
    contact_id: int | None
    account: fields.ForeignKeyNullableRelation[Account] = fields.ForeignKeyField(
        "models.Account", related_name="deals", null=True, on_delete=fields.SET_NULL
    )
    account_id: int | None

    class Meta:
        table = "opportunity"


class Activity(Owned):
    id = fields.IntField(primary_key=True)
    kind = fields.CharField(max_length=20)  # call meeting email quote_email
    status = fields.CharField(max_length=10, db_index=True)  # planned done cancelled
    note = fields.TextField(null=True)
    result = fields.TextField(null=True)
    due_at = fields.DatetimeField(null=True, db_index=True)
    done_at = fields.DatetimeField(null=True, db_index=True)
    reminded = fields.BooleanField(default=False)
    lead: fields.ForeignKeyNullableRelation[Lead] = fields.ForeignKeyField(
        "models.Lead", related_name="activities", null=True, on_delete=fields.CASCADE
    )
    lead_id: int | None
    contact: fields.ForeignKeyNullableRelation[Contact] = fields.ForeignKeyField(
        "models.Contact", related_name="activities", null=True, on_delete=fields.CASCADE
    )
    contact_id: int | None
    account: fields.ForeignKeyNullableRelation[Account] = fields.ForeignKeyField(
        "models.Account", related_name="activities", null=True, on_delete=fields.CASCADE
    )
    account_id: int | None

    class Meta:
        table = "activity"
        indexes = (
            ("status", "reminded", "due_at"),
            # reports (#10): a period's done activities counted per employee without table reads
            (
                "status",
                "done_at",
                "kind",
                "owner_id",
                "team_id",
                "branch_id",
                "region_id",
                "lead_id",
            ),
            # KPI (#24): one employee's done activities of a period, by kind and distinct lead,
            # read from the index alone (the scope columns last, for the permission filter)
            (
                "owner_id",
                "status",
                "done_at",
                "kind",
                "lead_id",
                "team_id",
                "branch_id",
                "region_id",
            ),
            # report roll-ups (#10): a removed activity recounts its lead's days of that month
            # (core/services/rollup.py), and a lead's cascade delete finds its activities
            ("lead_id", "status", "done_at"),
        )


class Attachment(Owned):
    id = fields.IntField(primary_key=True)
    filename = fields.CharField(max_length=255)
    path = fields.CharField(max_length=500)
    size = fields.IntField()
    content_type = fields.CharField(max_length=100)
    lead_id = fields.IntField(null=True, db_index=True)
    contact_id = fields.IntField(null=True, db_index=True)
    account_id = fields.IntField(null=True, db_index=True)
    opportunity_id = fields.IntField(null=True, db_index=True)

    class Meta:
        table = "attachment"


class Complaint(Owned):
    """A case (#15): new → in_progress → resolved → closed."""

    id = fields.IntField(primary_key=True)
    title = fields.CharField(max_length=300)
    description = fields.TextField(null=True)
    status = fields.CharField(max_length=20, default="new", db_index=True)
    lead_id = fields.IntField(null=True, db_index=True)
    contact_id = fields.IntField(null=True, db_index=True)
    account_id = fields.IntField(null=True, db_index=True)
    first_response_at = fields.DatetimeField(null=True)
    resolved_at = fields.DatetimeField(null=True)
    resolution = fields.TextField(null=True)
    closed_at = fields.DatetimeField(null=True)
    kb_article_id = fields.CharField(max_length=80, null=True)  # the Q&A drafted from it (#16)
    # The customer chat it was opened from (Facebook/Zalo/widget): replies on the case go there.
    conversation_id = fields.IntField(null=True, db_index=True)

    class Meta:
        table = "complaint"


class ComplaintReply(Model):
    """A staff member's reply on a case (typed on the case, or sent to the customer's chat)."""

    id = fields.IntField(primary_key=True)
    complaint_id = fields.IntField(db_index=True)
    author_id = fields.IntField()
    text = fields.TextField()
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "complaint_reply"


class SearchEntry(Model):
    """One row per lead/contact/account: the company-wide lookup index (names folded, phones reversed
    so "last digits" is a prefix range on an ordinary index)."""

    id = fields.IntField(primary_key=True)
    kind = fields.CharField(max_length=10)  # lead contact account
    ref_id = fields.IntField()
    name_key = fields.CharField(max_length=200)
    phone = fields.CharField(max_length=15, null=True, db_index=True)
    phone_rev = fields.CharField(max_length=15, null=True, db_index=True)
    email = fields.CharField(max_length=200, null=True, db_index=True)
    tax_code = fields.CharField(max_length=20, null=True, db_index=True)
    citizen_id = fields.CharField(max_length=12, null=True, db_index=True)
    owner_id = fields.IntField(db_index=True)
    team_id = fields.IntField(null=True, db_index=True)
    branch_id = fields.IntField(null=True, db_index=True)
    region_id = fields.IntField(null=True, db_index=True)

    class Meta:
        table = "search_entry"
        unique_together = (("kind", "ref_id"),)
