"""Spreadsheet imports (#21): the batch and the records it created or changed (for "undo")."""

from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0020_stored_settings')]

    initial = False

    operations = [
        ops.CreateModel(
            name='ImportBatch',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('user_id', fields.IntField(db_index=True)),
                ('kind', fields.CharField(max_length=20)),
                ('filename', fields.CharField(max_length=255)),
                ('status', fields.CharField(default='running', max_length=10)),
                ('expected', fields.IntField(default=0)),
                ('total', fields.IntField(default=0)),
                ('created', fields.IntField(default=0)),
                ('updated', fields.IntField(default=0)),
                ('skipped', fields.IntField(default=0)),
                ('refused', fields.IntField(default=0)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('undone_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'import_batch', 'app': 'models', 'pk_attr': 'id', 'table_description': 'One import of one file by one user (the counts are what the import did).'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='ImportChange',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('batch_id', fields.IntField(db_index=True)),
                ('lead_id', fields.IntField(db_index=True)),
                ('action', fields.CharField(max_length=10)),
                ('before', fields.JSONField(null=True)),
                ('version', fields.IntField()),
            ],
            options={'table': 'import_change', 'app': 'models', 'pk_attr': 'id', 'table_description': 'A record the batch created (before is null) or updated (before = the values it replaced).'},
            bases=['Model'],
        ),
    ]
