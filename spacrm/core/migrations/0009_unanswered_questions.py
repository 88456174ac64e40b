"""Customer chatbot (issue 7): questions the bot could not answer surely, cached Q&A embeddings."""

from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from json import dumps, loads
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0008_printing')]

    initial = False

    operations = [
        ops.CreateModel(
            name='UnansweredQuestion',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('text', fields.TextField(unique=False)),
                ('channel', fields.CharField(default='', max_length=12)),
                ('conversation_id', fields.IntField(null=True)),
                ('confidence', fields.FloatField(default=0.0)),
                ('best_match', fields.CharField(null=True, max_length=80)),
                ('handed_off', fields.BooleanField(default=True)),
                ('status', fields.CharField(default='open', db_index=True, max_length=10)),
                ('taught_pair_id', fields.CharField(null=True, max_length=80)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'unanswered_question', 'app': 'models', 'pk_attr': 'id', 'table_description': 'A customer question the bot handed off or answered with low confidence (issue 7): kept so'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='QAEmbedding',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('pair_id', fields.CharField(db_index=True, max_length=80)),
                ('model', fields.CharField(max_length=80)),
                ('text_hash', fields.CharField(max_length=64)),
                ('vector', fields.JSONField(default=list, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'qa_embedding', 'app': 'models', 'unique_together': (('pair_id', 'model'),), 'pk_attr': 'id', 'table_description': "A Q&A pair's embedding by one model (Gemini), cached. The text hash tells when the pair"},
            bases=['Model'],
        ),
    ]
