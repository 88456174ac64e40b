"""Bookings and stock (#9, #34): rooms, technician skills/shifts/days off, branch hours, service
buffers, appointments, commissions, warehouses and the stock ledger."""

from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0005_case_conversation')]

    initial = False

    operations = [
        ops.CreateModel(
            name='Appointment',
            fields=[
                ('owner_id', fields.IntField(db_index=True)),
                ('team_id', fields.IntField(null=True, db_index=True)),
                ('branch_id', fields.IntField(null=True, db_index=True)),
                ('region_id', fields.IntField(null=True, db_index=True)),
                ('created_at', fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
                ('version', fields.IntField(default=1)),
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('site_branch_id', fields.IntField(db_index=True)),
                ('lead_id', fields.IntField(null=True, db_index=True)),
                ('customer_name', fields.CharField(max_length=200)),
                ('customer_phone', fields.CharField(null=True, max_length=15)),
                ('service_id', fields.IntField()),
                ('service_name', fields.CharField(max_length=200)),
                ('technician_id', fields.IntField(db_index=True)),
                ('room_id', fields.IntField(db_index=True)),
                ('starts_at', fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=False)),
                ('ends_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('busy_until', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('start_s', fields.BigIntField()),
                ('busy_s', fields.BigIntField()),
                ('status', fields.CharField(default='booked', db_index=True, max_length=12)),
                ('late_cancel', fields.BooleanField(default=False)),
                ('course_id', fields.IntField(null=True, db_index=True)),
                ('amount', fields.BigIntField(default=0)),
                ('note', fields.TextField(null=True, unique=False)),
                ('created_by_id', fields.IntField()),
                ('checked_in_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('done_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('cancelled_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'appointment', 'app': 'models', 'indexes': [Index(fields=['technician_id', 'start_s']), Index(fields=['room_id', 'start_s']), Index(fields=['site_branch_id', 'starts_at'])], 'pk_attr': 'id', 'table_description': 'A booked session of a service with a technician in a room.'},
            bases=['Owned'],
        ),
        ops.CreateModel(
            name='AppointmentReminder',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('appointment_id', fields.IntField()),
                ('hours', fields.IntField()),
                ('sent_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'appointment_reminder', 'app': 'models', 'unique_together': (('appointment_id', 'hours'),), 'pk_attr': 'id', 'table_description': 'One reminder of an appointment, `hours` before its start, claimed once by the unique row'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='BranchHours',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('branch_id', fields.IntField()),
                ('weekday', fields.IntField()),
                ('open_min', fields.IntField()),
                ('close_min', fields.IntField()),
            ],
            options={'table': 'branch_hours', 'app': 'models', 'unique_together': (('branch_id', 'weekday'),), 'pk_attr': 'id', 'table_description': "Opening hours of a branch on a weekday, a branch without rows uses the settings' hours."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Commission',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('appointment_id', fields.IntField(unique=True)),
                ('technician_id', fields.IntField(db_index=True)),
                ('site_branch_id', fields.IntField(db_index=True)),
                ('course_id', fields.IntField(null=True)),
                ('service_id', fields.IntField()),
                ('base_amount', fields.BigIntField()),
                ('commission_pct', fields.IntField()),
                ('amount', fields.BigIntField()),
                ('earned_on', fields.DateField(db_index=True)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'commission', 'app': 'models', 'pk_attr': 'id', 'table_description': 'What a technician earned for one completed session (DESIGN §8), payroll sums these.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Room',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('branch_id', fields.IntField(db_index=True)),
                ('name', fields.CharField(max_length=80)),
                ('name_key', fields.CharField(max_length=80)),
                ('capacity', fields.IntField(default=1)),
                ('active', fields.BooleanField(default=True)),
            ],
            options={'table': 'room', 'app': 'models', 'pk_attr': 'id', 'table_description': 'A room or a bed of a branch, capacity customers can be served in it at the same time.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='RoomService',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('room_id', fields.IntField(db_index=True)),
                ('service_id', fields.IntField()),
            ],
            options={'table': 'room_service', 'app': 'models', 'unique_together': (('room_id', 'service_id'),), 'pk_attr': 'id', 'table_description': 'A service a room allows. A room without rows allows every service.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='ServiceBuffer',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('service_id', fields.IntField(unique=True)),
                ('minutes', fields.IntField()),
            ],
            options={'table': 'service_buffer', 'app': 'models', 'pk_attr': 'id', 'table_description': 'Minutes a technician and a room stay blocked after a session of this service (cleaning).'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='StockMove',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('product_id', fields.IntField()),
                ('warehouse_id', fields.IntField()),
                ('qty_milli', fields.BigIntField()),
                ('kind', fields.CharField(max_length=12)),
                ('unit_cost', fields.BigIntField(null=True)),
                ('appointment_id', fields.IntField(null=True)),
                ('note', fields.CharField(default='', max_length=200)),
                ('created_by_id', fields.IntField(null=True)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('idem_key', fields.CharField(null=True, unique=True, max_length=80)),
            ],
            options={'table': 'stock_move', 'app': 'models', 'indexes': [Index(fields=['product_id', 'warehouse_id', 'qty_milli'])], 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='StockThreshold',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('product_id', fields.IntField(unique=True)),
                ('min_qty_milli', fields.BigIntField()),
            ],
            options={'table': 'stock_threshold', 'app': 'models', 'pk_attr': 'id', 'table_description': "Below this on-hand the branch's managers are warned (per product, all warehouses)."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='TechnicianDayOff',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('user_id', fields.IntField()),
                ('day', fields.DateField()),
                ('reason', fields.CharField(default='', max_length=200)),
            ],
            options={'table': 'technician_day_off', 'app': 'models', 'unique_together': (('user_id', 'day'),), 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='TechnicianShift',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('user_id', fields.IntField(db_index=True)),
                ('weekday', fields.IntField()),
                ('start_min', fields.IntField()),
                ('end_min', fields.IntField()),
            ],
            options={'table': 'technician_shift', 'app': 'models', 'pk_attr': 'id', 'table_description': 'Working hours of a technician on a weekday (0 = Monday). A technician without rows works'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='TechnicianSkill',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('user_id', fields.IntField(db_index=True)),
                ('service_id', fields.IntField(db_index=True)),
            ],
            options={'table': 'technician_skill', 'app': 'models', 'unique_together': (('user_id', 'service_id'),), 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Warehouse',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('branch_id', fields.IntField(unique=True)),
                ('name', fields.CharField(max_length=120)),
            ],
            options={'table': 'warehouse', 'app': 'models', 'pk_attr': 'id'},
            bases=['Model'],
        ),
    ]
