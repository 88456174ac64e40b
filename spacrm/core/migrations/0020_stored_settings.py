"""Admin console (#11): settings changed in the console, stored over the environment's defaults."""

from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0019_usage')]

    initial = False

    operations = [
        ops.CreateModel(
            name='StoredSetting',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('key', fields.CharField(unique=True, max_length=60)),
                ('value', fields.CharField(max_length=500)),
                ('updated_by', fields.IntField(null=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'stored_setting', 'app': 'models', 'pk_attr': 'id', 'table_description': "One setting's value as text, validated like the environment variable of the same name."},
            bases=['Model'],
        ),
    ]
