"""#6: names are found by the starts of their words ("Yến" finds "Lê Thị Yến", never "Nguyễn").

SQLite: a contentless FTS5 trigram table over the folded name padded with spaces (" le thi yen "),
so '" yen"' is a word start and '" yen "' a whole word, anywhere in the name; it replaces the
substring table of 0002 (kept in step by triggers, as before). PostgreSQL keeps pg_trgm (LIKE
'% yen%' uses its word-start trigrams). Both get a b-tree index on the folded name. Also the lead's
birthday (edit_customer)."""

from typing import Any

from tortoise import fields, migrations
from tortoise.migrations import operations as ops

INDEX = "CREATE INDEX IF NOT EXISTS search_entry_name_key ON search_entry (name_key);"

SQLITE = """
DROP TRIGGER IF EXISTS search_entry_ai;
DROP TRIGGER IF EXISTS search_entry_ad;
DROP TRIGGER IF EXISTS search_entry_au;
DROP TABLE IF EXISTS search_fts;
CREATE VIRTUAL TABLE IF NOT EXISTS search_words USING fts5(words, content='', tokenize='trigram');
INSERT INTO search_words(rowid, words) SELECT id, ' ' || name_key || ' ' FROM search_entry;
CREATE TRIGGER IF NOT EXISTS search_words_ai AFTER INSERT ON search_entry BEGIN
    INSERT INTO search_words(rowid, words) VALUES (new.id, ' ' || new.name_key || ' ');
END;
CREATE TRIGGER IF NOT EXISTS search_words_ad AFTER DELETE ON search_entry BEGIN
    INSERT INTO search_words(search_words, rowid, words)
        VALUES ('delete', old.id, ' ' || old.name_key || ' ');
END;
CREATE TRIGGER IF NOT EXISTS search_words_au AFTER UPDATE OF name_key ON search_entry BEGIN
    INSERT INTO search_words(search_words, rowid, words)
        VALUES ('delete', old.id, ' ' || old.name_key || ' ');
    INSERT INTO search_words(rowid, words) VALUES (new.id, ' ' || new.name_key || ' ');
END;
"""


async def forward(apps: Any, schema_editor: Any) -> None:
    client = schema_editor.client
    await client.execute_script(INDEX)
    if client.capabilities.dialect == "sqlite":
        await client.execute_script(SQLITE)


class Migration(migrations.Migration):
    dependencies = [('models', '0009_unanswered_questions')]
    operations = [
        ops.RunPython(forward),
        ops.AddField(
            model_name="Lead",
            name="birthday",
            field=fields.CharField(max_length=10, null=True),
        ),
    ]
