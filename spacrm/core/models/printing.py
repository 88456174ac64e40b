"""Counter printers and their print jobs. The printer agent pulls jobs over HTTP with its token."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

JOB_STATUSES = ("queued", "claimed", "printed", "failed")


class Printer(Model):
    """A receipt printer at a branch (no branch: serves every branch). Only the token's hash is kept."""

    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=60, unique=True)
    branch_id = fields.IntField(null=True, db_index=True)
    paper = fields.CharField(max_length=4, default="k80")  # k80 (576 dots) / k57 (384 dots)
    token_hash = fields.CharField(max_length=64, unique=True)
    active = fields.BooleanField(default=True)
    last_seen_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "printer"


class PrintJob(Model):
    """queued → claimed → printed, or back to queued on a reported failure until the attempts run
    out (failed). A claim left unconfirmed past its lease is handed out again (the agent died)."""

    id = fields.IntField(primary_key=True)
    printer: fields.ForeignKeyRelation[Printer] = fields.ForeignKeyField(
        "models.Printer", related_name="jobs", on_delete=fields.CASCADE
    )
    printer_id: int
    kind = fields.CharField(max_length=20, default="bill")
    ref = fields.CharField(max_length=40, default="")  # e.g. the order number, for people
    image = fields.BinaryField()  # PNG, exactly the printer's dot width
    status = fields.CharField(max_length=10, default="queued", db_index=True)
    attempts = fields.IntField(default=0)
    last_error = fields.TextField(null=True)
    requested_by_id = fields.IntField(null=True)
    claimed_at = fields.DatetimeField(null=True)
    printed_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "print_job"
