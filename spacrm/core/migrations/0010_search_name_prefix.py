"""#6: a b-tree index on the folded search name (names starting with a short word, "Hồ"), and
the lead's birthday (edit_customer)."""

from typing import Any

from tortoise import fields, migrations
from tortoise.migrations import operations as ops

SQL = "CREATE INDEX IF NOT EXISTS search_entry_name_key ON search_entry (name_key);"


async def forward(apps: Any, schema_editor: Any) -> None:
    await schema_editor.client.execute_script(SQL)


class Migration(migrations.Migration):
    dependencies = [("models", "0005_case_conversation")]
    operations = [
        ops.RunPython(forward),
        ops.AddField(
            model_name="Lead",
            name="birthday",
            field=fields.CharField(max_length=10, null=True),
        ),
    ]
