"""One customer per identifier (issue 13 #3) and DB-backed rate limits (#10).

`customer_key` holds each lead's phone, email, tax code and citizen ID under a unique index. Old
data may already hold duplicates (made before this index, e.g. by concurrent creators): the
migration never fails on them and never changes or deletes a customer. For each value the OLDEST
lead (lowest id) gets the key; the later duplicates keep their data and stay searchable, and are
counted in a warning so an admin can merge them. From then on no new duplicate can be created.
"""

import logging
from typing import Any

from tortoise import fields, migrations
from tortoise.indexes import Index
from tortoise.migrations import operations as ops

log = logging.getLogger("spacrm.migrations")
KINDS = ("phone", "email", "tax_code", "citizen_id")


async def forward(apps: Any, schema_editor: Any) -> None:
    client = schema_editor.client
    for kind in KINDS:
        # `kind` is one of four column names above, never user input.
        await client.execute_script(
            f"INSERT INTO customer_key (kind, value, lead_id) SELECT '{kind}', {kind}, MIN(id)"
            f" FROM lead WHERE {kind} IS NOT NULL AND {kind} <> '' GROUP BY {kind}"
        )
        rows = await client.execute_query_dict(
            f"SELECT COUNT(*) AS n FROM (SELECT {kind} FROM lead WHERE {kind} IS NOT NULL"
            f" AND {kind} <> '' GROUP BY {kind} HAVING COUNT(*) > 1) AS d"
        )
        if rows and int(rows[0]["n"]):
            log.warning(
                "%s existing %s value(s) are shared by several leads; the oldest lead keeps each,"
                " the others are left as they are (merge them by hand)", rows[0]["n"], kind,
            )  # fmt: skip


class Migration(migrations.Migration):
    dependencies = [('models', '0005_case_conversation')]

    initial = False

    operations = [
        ops.CreateModel(
            name="CustomerKey",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                ("kind", fields.CharField(max_length=12)),
                ("value", fields.CharField(max_length=200)),
                ("lead_id", fields.IntField(db_index=True)),
            ],
            options={
                "table": "customer_key",
                "app": "models",
                "pk_attr": "id",
                "unique_together": (("kind", "value"),),
            },
            bases=["Model"],
        ),  # fmt: skip
        ops.CreateModel(
            name="RateEvent",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                ("key", fields.CharField(max_length=160)),
                ("at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "rate_event",
                "app": "models",
                "pk_attr": "id",
                "indexes": [Index(fields=["key", "at"])],
            },
            bases=["Model"],
        ),  # fmt: skip
        ops.RunPython(forward),
    ]
