"""Cases (#15): replies on a case, when it was closed, the knowledge-base article drafted from it."""

from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0003_customer_chatbot')]

    initial = False

    operations = [
        ops.CreateModel(
            name='ComplaintReply',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('complaint_id', fields.IntField(db_index=True)),
                ('author_id', fields.IntField()),
                ('text', fields.TextField(unique=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'complaint_reply', 'app': 'models', 'pk_attr': 'id', 'table_description': "A staff member's reply on a case (typed on the case, or sent to the customer's chat)."},
            bases=['Model'],
        ),
        ops.AddField(
            model_name='Complaint',
            name='closed_at',
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.AddField(
            model_name='Complaint',
            name='kb_article_id',
            field=fields.CharField(null=True, max_length=80),
        ),
    ]
