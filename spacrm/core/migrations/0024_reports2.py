"""Reports (#10), continued: an order's opportunity (profit by opportunity, #32) and the records
each usage row created and changed, per kind (#33)."""

from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0023_report_rollup')]

    initial = False

    operations = [
        ops.AddField(
            model_name='Order',
            name='opportunity_id',
            field=fields.IntField(null=True, db_index=True),
        ),
        ops.CreateModel(
            name='UsageChange',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('event_id', fields.IntField(db_index=True)),
                ('user_id', fields.IntField()),
                ('at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('kind', fields.CharField(max_length=40)),
                ('created', fields.IntField(default=0)),
                ('changed', fields.IntField(default=0)),
            ],
            options={'table': 'usage_change', 'app': 'models', 'indexes': [Index(fields=['at', 'user_id'])], 'pk_attr': 'id', 'table_description': 'How many records of one kind a usage row (one turn or console action) created and changed:'},
            bases=['Model'],
        ),
    ]
