"""Payment vouchers from chat (#35): what an expense was for (a category key, e.g. "utilities"),
and an index to read a period's payment vouchers without its receipts."""

from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0016_kb_version_index')]

    initial = False

    operations = [
        ops.AddField(
            model_name='Voucher',
            name='category',
            field=fields.CharField(null=True, max_length=20),
        ),
        ops.AddIndex(model_name='Voucher', index=Index(fields=['kind', 'voucher_date'])),
    ]
