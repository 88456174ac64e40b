"""Staff life (#12), continued: half-day days off in the booking engine, the seller's commission
% in the catalogue and on order lines, the seller's accrued commissions, an order task's %."""

from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0021_imports')]

    initial = False

    operations = [
        ops.AddField(
            model_name='TechnicianDayOff',
            name='part',
            field=fields.CharField(default='full', db_default='full', max_length=10),
        ),
        ops.AddField(
            model_name='CatalogItem',
            name='sales_commission_pct',
            field=fields.IntField(default=0, db_default=0),
        ),
        ops.AddField(
            model_name='OrderLine',
            name='sales_commission_pct',
            field=fields.IntField(default=0, db_default=0),
        ),
        ops.AddField(
            model_name='OrderTask',
            name='commission_bp',
            field=fields.IntField(null=True),
        ),
        ops.CreateModel(
            name='SalesCommission',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('order_id', fields.IntField(db_index=True)),
                ('user_id', fields.IntField(db_index=True)),
                ('day', fields.DateField(db_index=True)),
                ('amount', fields.BigIntField()),
                ('received', fields.BigIntField()),
                ('detail', fields.CharField(max_length=200)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'sales_commission', 'app': 'models', 'pk_attr': 'id', 'table_description': "The seller's commission on an order, accrued as money is received (a signed amount: a"},
            bases=['Model'],
        ),
    ]
