"""Runtime (#13): inbound updates stored before they are acknowledged; open terminal chats."""

import functools
from json import dumps, loads

from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0010_search_name_prefix')]

    initial = False

    operations = [
        ops.CreateModel(
            name='InboundUpdate',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('source', fields.CharField(max_length=20)),
                ('key', fields.CharField(max_length=120)),
                ('chat_key', fields.CharField(default='', max_length=80)),
                ('payload', fields.JSONField(encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('status', fields.CharField(default='new', max_length=8, db_index=True)),
                ('attempts', fields.IntField(default=0)),
                ('next_attempt_at', fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=False)),
                ('last_error', fields.TextField(null=True, unique=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'inbound_update', 'app': 'models', 'unique_together': (('source', 'key'),), 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='ChatPresence',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('user_id', fields.IntField(db_index=True)),
                ('chat_id', fields.CharField(max_length=80, unique=True)),
                ('seen_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'chat_presence', 'app': 'models', 'pk_attr': 'id'},
            bases=['Model'],
        ),
    ]
