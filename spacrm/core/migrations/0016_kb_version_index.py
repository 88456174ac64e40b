"""Issue 13 §7: the customer bot asks "has the Q&A changed" on every message; an index keeps it
a lookup at 100k pairs."""

from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0015_console_session')]

    initial = False

    operations = [
        ops.AddIndex(model_name='QARecord', index=Index(fields=['approved', 'updated_at'])),
    ]
