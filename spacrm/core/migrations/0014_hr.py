"""Staff life (#12): leave, overtime, salary profiles, pay adjustments, dated rates, holidays,
payroll runs and payslips."""

from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from json import dumps, loads
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0013_kpi')]

    initial = False

    operations = [
        ops.CreateModel(
            name='Holiday',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('day', fields.DateField(unique=True)),
                ('name', fields.CharField(max_length=120)),
            ],
            options={'table': 'holiday', 'app': 'models', 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='LeaveRequest',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('user_id', fields.IntField(db_index=True)),
                ('day_from', fields.DateField()),
                ('day_to', fields.DateField()),
                ('part', fields.CharField(default='full', max_length=10)),
                ('paid', fields.BooleanField(default=True)),
                ('halves', fields.IntField()),
                ('reason', fields.CharField(default='', max_length=300)),
                ('status', fields.CharField(default='pending', db_index=True, max_length=10)),
                ('approver_id', fields.IntField(null=True)),
                ('decided_by_id', fields.IntField(null=True)),
                ('decided_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'leave_request', 'app': 'models', 'pk_attr': 'id', 'table_description': 'Leave from `day_from` to `day_to`, a half day (`part` morning/afternoon) is one day only.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='OrderTask',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('order_id', fields.IntField(db_index=True)),
                ('user_id', fields.IntField(db_index=True)),
                ('day', fields.DateField(db_index=True)),
                ('details', fields.CharField(max_length=300)),
                ('commission', fields.BigIntField(default=0)),
                ('created_by_id', fields.IntField()),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'order_task', 'app': 'models', 'pk_attr': 'id', 'table_description': 'Work a person did on an order (#30: details, day, who) and the commission it earned,'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='OvertimeEntry',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('user_id', fields.IntField(db_index=True)),
                ('day', fields.DateField()),
                ('minutes', fields.IntField()),
                ('day_kind', fields.CharField(max_length=10)),
                ('night', fields.BooleanField(default=False)),
                ('rate_pct', fields.IntField()),
                ('note', fields.CharField(default='', max_length=300)),
                ('status', fields.CharField(default='pending', db_index=True, max_length=10)),
                ('approver_id', fields.IntField(null=True)),
                ('decided_by_id', fields.IntField(null=True)),
                ('decided_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'overtime_entry', 'app': 'models', 'pk_attr': 'id', 'table_description': 'Overtime worked on `day`, `rate_pct` is fixed when it is logged (from the dated rates).'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='PayAdjustment',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('user_id', fields.IntField(db_index=True)),
                ('month', fields.CharField(db_index=True, max_length=7)),
                ('kind', fields.CharField(max_length=10)),
                ('amount', fields.BigIntField()),
                ('note', fields.CharField(default='', max_length=300)),
                ('created_by_id', fields.IntField()),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'pay_adjustment', 'app': 'models', 'pk_attr': 'id', 'table_description': 'A bonus, penalty or advance for a month ("YYYY-MM").'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='PayRate',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('key', fields.CharField(max_length=40)),
                ('valid_from', fields.DateField()),
                ('value', fields.BigIntField()),
            ],
            options={'table': 'pay_rate', 'app': 'models', 'unique_together': (('key', 'valid_from'),), 'pk_attr': 'id', 'table_description': 'A dated payroll figure (overtime %, insurance %, caps, tax deductions): the row with the'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='PayrollRun',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('month', fields.CharField(unique=True, max_length=7)),
                ('status', fields.CharField(default='draft', max_length=10)),
                ('computed_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('computed_by_id', fields.IntField()),
                ('locked_by_id', fields.IntField(null=True)),
                ('locked_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'payroll_run', 'app': 'models', 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Payslip',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('run_id', fields.IntField(db_index=True)),
                ('user_id', fields.IntField(db_index=True)),
                ('gross', fields.BigIntField()),
                ('net', fields.BigIntField()),
                ('lines', fields.JSONField(encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
            ],
            options={'table': 'payslip', 'app': 'models', 'unique_together': (('run_id', 'user_id'),), 'pk_attr': 'id', 'table_description': "One person's pay for a run, `lines` are [key, amount, detail] so each figure is traceable."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='SalaryProfile',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('user_id', fields.IntField(unique=True)),
                ('basis', fields.CharField(default='month', max_length=6)),
                ('base_amount', fields.BigIntField()),
                ('allowance', fields.BigIntField(default=0)),
                ('standard_days', fields.IntField(null=True)),
                ('insured_salary', fields.BigIntField(null=True)),
                ('dependants', fields.IntField(default=0)),
                ('payroll_viewer', fields.BooleanField(default=False)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'salary_profile', 'app': 'models', 'pk_attr': 'id', 'table_description': 'How a person is paid: `basis` month (base for the standard days), day or hour rate.'},
            bases=['Model'],
        ),
    ]
