"""Reports and KPI (#10): KPI settings (targets per employee or team over a date range) and the
once-per-day marks of scheduled reports."""

from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0012_bookings')]

    initial = False

    operations = [
        ops.AddIndex(
            model_name='Activity',
            index=Index(fields=['status', 'done_at', 'kind', 'owner_id', 'team_id', 'branch_id', 'region_id', 'lead_id']),
        ),
        ops.CreateModel(
            name='KpiSetting',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('name', fields.CharField(max_length=120)),
                ('active', fields.BooleanField(default=True)),
                ('start_date', fields.DateField()),
                ('end_date', fields.DateField()),
                ('description', fields.TextField(null=True, unique=False)),
                ('user_id', fields.IntField(null=True, db_index=True)),
                ('team_id', fields.IntField(null=True, db_index=True)),
                ('branch_id', fields.IntField(null=True, db_index=True)),
                ('region_id', fields.IntField(null=True, db_index=True)),
                ('commission_pct', fields.IntField(default=0)),
                ('calls', fields.IntField(default=0)),
                ('meetings', fields.IntField(default=0)),
                ('callcenter_calls', fields.IntField(default=0)),
                ('emails', fields.IntField(default=0)),
                ('quote_emails', fields.IntField(default=0)),
                ('new_leads', fields.IntField(default=0)),
                ('leads_contacted', fields.IntField(default=0)),
                ('leads_converted', fields.IntField(default=0)),
                ('revenue', fields.BigIntField(default=0)),
                ('new_buyers', fields.IntField(default=0)),
                ('returning_buyers', fields.IntField(default=0)),
                ('created_by_id', fields.IntField()),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'kpi_setting', 'app': 'models', 'pk_attr': 'id', 'table_description': 'Applies to `user_id` or to every member of `team_id` (exactly one is set). Branch and region are copied from the target so managers see the settings of their scope.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='ReportSend',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('kind', fields.CharField(max_length=20)),
                ('user_id', fields.IntField()),
                ('day', fields.DateField()),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'report_send', 'app': 'models', 'unique_together': (('kind', 'user_id', 'day'),), 'pk_attr': 'id', 'table_description': 'A scheduled report sent to one user for one day: the unique row makes it go out once, also across restarts and with two schedulers.'},
            bases=['Model'],
        ),
    ]
