"""Search (#6): a b-tree index on the folded name, for names starting with a short word ("Hồ")."""

from typing import Any

from tortoise import migrations
from tortoise.migrations import operations as ops

SQL = "CREATE INDEX IF NOT EXISTS search_entry_name_key ON search_entry (name_key);"


async def forward(apps: Any, schema_editor: Any) -> None:
    await schema_editor.client.execute_script(SQL)


class Migration(migrations.Migration):
    dependencies = [("models", "0005_case_conversation")]
    operations = [ops.RunPython(forward)]
