"""The console's Q&A list (#11) is paged by id among approved pairs (or drafts): an index on both
reads a page, and counts the pairs, from the index alone at 100k pairs."""

from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0024_reports2')]

    initial = False

    operations = [
        ops.AddIndex(model_name='QARecord', index=Index(fields=['approved', 'id'])),
    ]
