"""Reports (#10): the CRM usage log (#33), one row per staff chat turn and console action."""

from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0017_expense_category')]

    initial = False

    operations = [
        ops.CreateModel(
            name='UsageEvent',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('user_id', fields.IntField()),
                ('at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('source', fields.CharField(max_length=10)),
                ('channel', fields.CharField(max_length=20)),
                ('action', fields.CharField(max_length=40)),
                ('record_kind', fields.CharField(null=True, max_length=20)),
                ('record_id', fields.IntField(null=True)),
                ('changed', fields.BooleanField(default=False)),
            ],
            options={'table': 'usage_event', 'app': 'models', 'indexes': [Index(fields=['at', 'user_id'])], 'pk_attr': 'id', 'table_description': 'Who did what, when, through which channel, and which record it changed (if any).'},
            bases=['Model'],
        ),
        # the conversions chart: one year of conversions, counted per month
        ops.AddIndex(model_name='Lead', index=Index(fields=['converted_at'])),
        # the dashboard and charts of a team, branch or region: leads by stage, created or
        # converted in a period, from the index alone
        ops.AddIndex(model_name='Lead', index=Index(fields=['team_id', 'stage', 'created_at', 'converted_at'])),
        ops.AddIndex(model_name='Lead', index=Index(fields=['branch_id', 'stage', 'created_at', 'converted_at'])),
        ops.AddIndex(model_name='Lead', index=Index(fields=['region_id', 'stage', 'created_at', 'converted_at'])),
        # KPI: an employee's done activities of a period, from the index alone
        ops.AddIndex(model_name='Activity', index=Index(fields=['owner_id', 'status', 'done_at', 'kind', 'lead_id', 'team_id', 'branch_id', 'region_id'])),
    ]
