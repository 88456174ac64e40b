"""Order roll-ups (#10): orders not cancelled per local day and owner (count, total), and the days
each customer bought per month and owner, kept exact by triggers on `sales_order` and filled
from the existing rows. The KPI report's revenue and new / returning buyers, the orders chart
and the dashboard read these instead of a period's (or every earlier) order."""

from typing import Any

from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields
from tortoise.indexes import Index


async def forward(apps: Any, schema_editor: Any) -> None:
    # The trigger and rebuild SQL live with the service, so `spacrm report rebuild-rollup`
    # installs exactly what this migration installs.
    from spacrm.core.services.rollup import install_orders

    await install_orders(schema_editor.client)


class Migration(migrations.Migration):
    dependencies = [('models', '0027_lead_board_indexes')]

    initial = False

    operations = [
        ops.CreateModel(
            name='OrderDay',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('day', fields.IntField()),
                ('owner_id', fields.IntField()),
                ('team_id', fields.IntField()),
                ('branch_id', fields.IntField()),
                ('region_id', fields.IntField()),
                ('site_branch_id', fields.IntField()),
                ('n', fields.IntField()),
                ('total', fields.BigIntField()),
            ],
            options={'table': 'order_day', 'app': 'models', 'unique_together': (('day', 'owner_id', 'team_id', 'branch_id', 'region_id', 'site_branch_id'),), 'indexes': [Index(fields=['owner_id', 'day', 'n', 'total'])], 'pk_attr': 'id', 'table_description': 'Orders not cancelled of one local day and one owner: how many and their total.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='LeadBuy',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('month', fields.IntField()),
                ('lead_id', fields.IntField()),
                ('owner_id', fields.IntField()),
                ('team_id', fields.IntField()),
                ('branch_id', fields.IntField()),
                ('region_id', fields.IntField()),
                ('site_branch_id', fields.IntField()),
                ('days', fields.IntField()),
            ],
            options={'table': 'lead_buy', 'app': 'models', 'unique_together': (('month', 'lead_id', 'owner_id', 'team_id', 'branch_id', 'region_id', 'site_branch_id'),), 'indexes': [Index(fields=['month', 'branch_id', 'owner_id', 'lead_id', 'days']), Index(fields=['owner_id', 'month', 'days', 'lead_id']), Index(fields=['lead_id', 'month', 'days', 'owner_id', 'branch_id'])], 'pk_attr': 'id', 'table_description': 'The local days of one month on which a lead bought from one owner.'},
            bases=['Model'],
        ),
        ops.RunPython(forward),
    ]
