"""Substring search on folded names: an FTS5 trigram table on SQLite, pg_trgm on PostgreSQL."""

from typing import Any

from tortoise import migrations
from tortoise.migrations import operations as ops

SQLITE = """
CREATE VIRTUAL TABLE IF NOT EXISTS search_fts USING fts5(
    name_key, content='search_entry', content_rowid='id', tokenize='trigram');
CREATE TRIGGER IF NOT EXISTS search_entry_ai AFTER INSERT ON search_entry BEGIN
    INSERT INTO search_fts(rowid, name_key) VALUES (new.id, new.name_key);
END;
CREATE TRIGGER IF NOT EXISTS search_entry_ad AFTER DELETE ON search_entry BEGIN
    INSERT INTO search_fts(search_fts, rowid, name_key) VALUES ('delete', old.id, old.name_key);
END;
CREATE TRIGGER IF NOT EXISTS search_entry_au AFTER UPDATE ON search_entry BEGIN
    INSERT INTO search_fts(search_fts, rowid, name_key) VALUES ('delete', old.id, old.name_key);
    INSERT INTO search_fts(rowid, name_key) VALUES (new.id, new.name_key);
END;
"""

POSTGRES = """
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX IF NOT EXISTS search_entry_name_trgm ON search_entry USING gin (name_key gin_trgm_ops);
"""


async def forward(apps: Any, schema_editor: Any) -> None:
    client = schema_editor.client
    if client.capabilities.dialect == "sqlite":
        await client.execute_script(SQLITE)
    else:
        await client.execute_script(POSTGRES)


class Migration(migrations.Migration):
    dependencies = [('models', '0001_initial')]
    operations = [ops.RunPython(forward)]
