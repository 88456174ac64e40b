"""Printing (#9, printer_agent): counter printers with a per-printer token, and their print jobs."""

from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields
from tortoise.fields.base import OnDelete

class Migration(migrations.Migration):
    dependencies = [('models', '0007_sales')]

    initial = False

    operations = [
        ops.CreateModel(
            name='Printer',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('name', fields.CharField(unique=True, max_length=60)),
                ('branch_id', fields.IntField(null=True, db_index=True)),
                ('paper', fields.CharField(default='k80', max_length=4)),
                ('token_hash', fields.CharField(unique=True, max_length=64)),
                ('active', fields.BooleanField(default=True)),
                ('last_seen_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'printer', 'app': 'models', 'pk_attr': 'id', 'table_description': 'A receipt printer at a branch (no branch: serves every branch). Only the token\'s hash is kept.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='PrintJob',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('printer', fields.ForeignKeyField('models.Printer', source_field='printer_id', db_constraint=True, to_field='id', related_name='jobs', on_delete=OnDelete.CASCADE)),
                ('kind', fields.CharField(default='bill', max_length=20)),
                ('ref', fields.CharField(default='', max_length=40)),
                ('image', fields.BinaryField()),
                ('status', fields.CharField(default='queued', db_index=True, max_length=10)),
                ('attempts', fields.IntField(default=0)),
                ('last_error', fields.TextField(null=True, unique=False)),
                ('requested_by_id', fields.IntField(null=True)),
                ('claimed_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('printed_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'print_job', 'app': 'models', 'pk_attr': 'id', 'table_description': 'queued → claimed → printed, or back to queued on a reported failure until the attempts run'},
            bases=['Model'],
        ),
    ]
