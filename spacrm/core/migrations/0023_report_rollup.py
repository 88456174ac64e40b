"""Report roll-ups (#10): done activities per local day and employee, and the days each lead was
cared for per month, kept exact by triggers on `activity` and filled from the existing rows."""

from typing import Any

from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields
from tortoise.indexes import Index


async def forward(apps: Any, schema_editor: Any) -> None:
    # The trigger and rebuild SQL live with the service, so `spacrm report rebuild-rollup`
    # installs exactly what this migration installs.
    from spacrm.core.services.rollup import install

    await install(schema_editor.client)


class Migration(migrations.Migration):
    dependencies = [('models', '0022_staff_life')]

    initial = False

    operations = [
        ops.CreateModel(
            name='ActivityDay',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('day', fields.IntField()),
                ('kind', fields.CharField(max_length=20)),
                ('owner_id', fields.IntField()),
                ('team_id', fields.IntField()),
                ('branch_id', fields.IntField()),
                ('region_id', fields.IntField()),
                ('n', fields.IntField()),
            ],
            options={'table': 'activity_day', 'app': 'models', 'unique_together': (('day', 'kind', 'owner_id', 'team_id', 'branch_id', 'region_id'),), 'indexes': [Index(fields=['owner_id', 'day', 'kind'])], 'pk_attr': 'id', 'table_description': 'How many done activities of one kind an owner had on one local day (`day` = YYYYMMDD).'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='LeadTouch',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('month', fields.IntField()),
                ('lead_id', fields.IntField()),
                ('owner_id', fields.IntField()),
                ('team_id', fields.IntField()),
                ('branch_id', fields.IntField()),
                ('region_id', fields.IntField()),
                ('days', fields.IntField()),
            ],
            options={'table': 'lead_touch', 'app': 'models', 'unique_together': (('month', 'lead_id', 'owner_id', 'team_id', 'branch_id', 'region_id'),), 'indexes': [Index(fields=['month', 'branch_id', 'owner_id', 'lead_id', 'days', 'team_id', 'region_id']), Index(fields=['owner_id', 'month', 'days', 'lead_id'])], 'pk_attr': 'id', 'table_description': 'The local days of one month (`month` = YYYYMM) on which a lead had a done activity of one'},
            bases=['Model'],
        ),
        ops.AddIndex(model_name='Activity', index=Index(fields=['lead_id', 'status', 'done_at'])),
        ops.AddIndex(model_name='Lead', index=Index(fields=['id', 'owner_id', 'stage', 'team_id', 'branch_id', 'region_id'])),
        ops.RunPython(forward),
    ]
