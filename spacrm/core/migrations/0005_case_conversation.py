"""Cases (#15): the customer conversation a case was opened from (replies go to the customer)."""

from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0004_case_replies')]

    initial = False

    operations = [
        ops.AddField(
            model_name='Complaint',
            name='conversation_id',
            field=fields.IntField(null=True, db_index=True),
        ),
    ]
