"""Issue 11: the console kanban at 100k leads with any filter (owner, source, date range) and
either sort. Each board query (counts and values per stage, a column's top cards) reads stage,
created_at, value, source, owner_id and one scope column; the lead indexes it can use are widened
to hold all of them, so whichever index the planner picks answers from the index alone (a
narrower one made it read up to 70k rows at random: 300-650 ms). The new indexes start with
the old ones' columns, so every query that used an old one uses its wider successor."""

from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.indexes import Index

SCOPES = ['owner_id', 'team_id', 'branch_id', 'region_id']
REPLACED = [
    (['owner_id', 'stage', 'created_at'], ['value', 'source', 'team_id', 'branch_id', 'region_id']),
    (['stage', 'created_at'], ['value', 'source', *SCOPES]),
    (['stage', 'value'], ['created_at', 'source', *SCOPES]),
    (['team_id', 'stage', 'created_at', 'converted_at'], ['value', 'source', 'owner_id']),
    (['branch_id', 'stage', 'created_at', 'converted_at'], ['value', 'source', 'owner_id']),
    (['region_id', 'stage', 'created_at', 'converted_at'], ['value', 'source', 'owner_id']),
]


class Migration(migrations.Migration):
    dependencies = [('models', '0026_console_lists')]

    initial = False

    operations = [
        op
        for old, extra in REPLACED
        for op in (
            ops.RemoveIndex(model_name='Lead', fields=old),
            ops.AddIndex(model_name='Lead', index=Index(fields=[*old, *extra])),
        )
    ]
