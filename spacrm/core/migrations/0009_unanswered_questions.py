"""Customer chatbot training (issue 7): questions the bot could not answer surely."""

from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0005_case_conversation')]

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
    ]
