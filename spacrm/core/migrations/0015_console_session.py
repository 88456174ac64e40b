"""Admin console (#11): signed-in browser sessions (token hashes, expiry); the kanban's index."""

from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0014_hr')]

    initial = False

    operations = [
        ops.CreateModel(
            name='ConsoleSession',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('user', fields.ForeignKeyField('models.User', source_field='user_id', db_constraint=True, to_field='id', related_name='console_sessions', on_delete=OnDelete.CASCADE)),
                ('token_hash', fields.CharField(unique=True, max_length=64)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('expires_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'console_session', 'app': 'models', 'pk_attr': 'id', 'table_description': "Only the token's hash is stored: a database leak does not hand out live sessions."},
            bases=['Model'],
        ),
        ops.AddIndex(model_name='Lead', index=Index(fields=['stage', 'created_at'])),
    ]
