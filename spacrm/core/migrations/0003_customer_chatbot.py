from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from json import dumps, loads
from tortoise.fields.base import OnDelete
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0002_search_index')]

    initial = False

    operations = [
        ops.CreateModel(
            name='Conversation',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('channel', fields.CharField(max_length=12)),
                ('account_ref', fields.CharField(max_length=80)),
                ('customer_ref', fields.CharField(max_length=120)),
                ('display_name', fields.CharField(null=True, max_length=120)),
                ('phone', fields.CharField(null=True, max_length=15)),
                ('lead_id', fields.IntField(null=True)),
                ('assignee_id', fields.IntField(null=True)),
                ('state', fields.CharField(default='bot', max_length=10)),
                ('last_customer_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('last_customer_msg_id', fields.CharField(null=True, max_length=120)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'conversation', 'app': 'models', 'unique_together': (('channel', 'account_ref', 'customer_ref'),), 'pk_attr': 'id', 'table_description': 'One customer on one channel account (a PSID on a page, a Zalo user on the OA, a widget'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='ConversationMessage',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('conversation', fields.ForeignKeyField('models.Conversation', source_field='conversation_id', db_constraint=True, to_field='id', related_name='messages', on_delete=OnDelete.CASCADE)),
                ('author', fields.CharField(max_length=10)),
                ('staff_id', fields.IntField(null=True)),
                ('text', fields.TextField(unique=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'conversation_message', 'app': 'models', 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='CustomerChannel',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('kind', fields.CharField(max_length=12)),
                ('external_id', fields.CharField(max_length=80)),
                ('name', fields.CharField(default='', max_length=120)),
                ('access_token', fields.TextField(unique=False)),
                ('refresh_token', fields.TextField(null=True, unique=False)),
                ('token_expires_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('app_id', fields.CharField(null=True, max_length=80)),
                ('secret_key', fields.TextField(null=True, unique=False)),
                ('assignees', fields.JSONField(default=list, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('rr_cursor', fields.IntField(default=0)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'customer_channel', 'app': 'models', 'unique_together': (('kind', 'external_id'),), 'pk_attr': 'id', 'table_description': 'A Facebook page or the Zalo OA the spa connected. Tokens are secrets: never logged.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='QARecord',
            fields=[
                ('id', fields.CharField(primary_key=True, unique=True, db_index=True, max_length=80)),
                ('question', fields.TextField(unique=False)),
                ('answer', fields.TextField(unique=False)),
                ('variants', fields.JSONField(default=list, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('approved', fields.BooleanField(default=True)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'qa_record', 'app': 'models', 'pk_attr': 'id', 'table_description': 'A trained question/answer pair (what `spacrm kb import` writes).'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='StaffReplyTarget',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('channel', fields.CharField(max_length=20)),
                ('chat_id', fields.CharField(max_length=80)),
                ('conversation_id', fields.IntField()),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'staff_reply_target', 'app': 'models', 'unique_together': (('channel', 'chat_id'),), 'pk_attr': 'id', 'table_description': 'After "Trả lời", the staff member\'s next typed text goes to this conversation.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='VariantSuggestion',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('qa_id', fields.CharField(db_index=True, max_length=80)),
                ('text', fields.TextField(unique=False)),
                ('status', fields.CharField(default='pending', max_length=10)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'variant_suggestion', 'app': 'models', 'pk_attr': 'id', 'table_description': 'A phrasing suggested (by Gemini) for a Q&A pair, counted only once staff approve it.'},
            bases=['Model'],
        ),
    ]
