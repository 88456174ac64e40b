"""The report roll-ups (core/models/rollup.py): the triggers that keep them exact, the rebuild,
and the period filters reports use on them. Activities: activity_day, lead_touch (migration
0023); orders: order_day, lead_buy (migration 0028), built the same way.

Triggers rather than service code: activities are written by many services, deleted by cascades
(a lead, a contact, an account) and moved by reassignments and imports; a trigger sees every one
of those writes in the writer's own transaction, so a figure read from the roll-up is the figure
the raw query would give, always. Days are local (Asia/Ho_Chi_Minh, UTC+7 all year, as in
clock.TZ), the days every report period is made of.

Each source table has two roll-ups: a day table (`activity_day`, `order_day`) kept by +1/-1
deltas of its counters, and a month table (`lead_touch`, `lead_buy`) whose `days` bit mask
cannot be decremented (two rows may share a day), so a removed row recomputes its month row from
the lead's rows of that month (a lead has a handful), after locking that row on PostgreSQL so a
concurrent writer's row is seen (each statement of the trigger function takes a fresh snapshot).
The SQL is written once (the builders below); each roll-up (`_Rollup`) states only what differs.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from tortoise import connections
from tortoise.expressions import RawSQL
from tortoise.transactions import in_transaction

# The scope columns every roll-up row is kept per (the source row's own, 0 standing for none).
SCOPE = ("owner_id", "team_id", "branch_id", "region_id")


@dataclass(frozen=True)
class _Rollup:
    """What one source table's roll-ups state of their own. Templates take the row as `{r}`."""

    name: str  # of the triggers and the PostgreSQL function: {name}_rollup…
    source: str  # the table the triggers are on
    alias: str  # the source table's alias in recounts
    live: str  # the row counts (e.g. a done activity)
    scope: tuple[str, ...]
    watched: tuple[str, ...]  # an update of these (or of the scope) moves the row's counts
    day_table: str
    by: tuple[str, ...]  # the day table's key columns besides day and scope, the row's own
    # The day table's counters: (column, the row's share, the rebuild's aggregate).
    counters: tuple[tuple[str, str, str], ...]
    month_table: str
    s_day: str  # SQLite: the row's local day as YYYYMMDD, its month as YYYYMM, its day's bit
    s_month: str
    s_bit: str
    p_day: str  # PostgreSQL (the month is the day / 100)
    p_bit: str

    def day_key(self) -> tuple[str, ...]:
        return ("day", *self.by, *self.scope)

    def day_columns(self) -> tuple[str, ...]:
        return (*self.day_key(), *(c for c, _, _ in self.counters))

    def month_key(self) -> tuple[str, ...]:
        return ("month", "lead_id", *self.scope)

    def changed(self, old: str, new: str, differs: str) -> str:
        """The trigger's WHEN: a watched column of `old` `differs` from `new`'s."""
        return " OR ".join(f"{old}.{c} {differs} {new}.{c}" for c in (*self.watched, *self.scope))


def _cols(cols: tuple[str, ...]) -> str:
    return ", ".join(cols)


def _positions(cols: tuple[str, ...]) -> str:
    """GROUP BY the first len(cols) result columns."""
    return ", ".join(str(i) for i in range(1, len(cols) + 1))


def _own(ru: _Rollup, r: str) -> str:
    """Row `r`'s scope as the values of a roll-up row."""
    return ", ".join(f"COALESCE({r}.{c}, 0)" for c in ru.scope)


def _key(ru: _Rollup, r: str) -> str:
    """The roll-up rows of row `r`'s scope."""
    return " AND ".join(f"{c} = COALESCE({r}.{c}, 0)" for c in ru.scope)


def _same_scope(ru: _Rollup, a: str, r: str) -> str:
    """Source row `a` has row `r`'s scope."""
    return " AND ".join(f"COALESCE({a}.{c}, 0) = COALESCE({r}.{c}, 0)" for c in ru.scope)


def _by(ru: _Rollup, r: str) -> list[str]:
    """Row `r`'s values of the day table's own key columns."""
    return [f"{r}.{c}" for c in ru.by]


def _shares(ru: _Rollup, r: str) -> str:
    """Row `r`'s share of each counter, as inserted values."""
    return ", ".join(share.format(r=r) for _, share, _ in ru.counters)


def _take(ru: _Rollup, r: str) -> str:
    """SET clause taking row `r`'s shares off the counters."""
    return ", ".join(f"{c} = {c} - {share.format(r=r)}" for c, share, _ in ru.counters)


def _add(ru: _Rollup, table: str = "") -> str:
    """SET clause adding the conflicting insert's shares (`table.` qualifies the old values)."""
    return ", ".join(f"{c} = {table}{c} + excluded.{c}" for c, _, _ in ru.counters)


# --- SQLite ---------------------------------------------------------------------------------


def _s_add(ru: _Rollup, r: str) -> str:
    """Statements counting row `r` (new) in, when it is live."""
    live = ru.live.format(r=r)
    own = _own(ru, r)
    day_values = ", ".join((ru.s_day.format(r=r), *_by(ru, r), own, _shares(ru, r)))
    return f"""
    INSERT INTO {ru.day_table} ({_cols(ru.day_columns())})
    SELECT {day_values} WHERE {live}
    ON CONFLICT ({_cols(ru.day_key())}) DO UPDATE SET {_add(ru)};
    INSERT INTO {ru.month_table} ({_cols(ru.month_key())}, days)
    SELECT {ru.s_month.format(r=r)}, {r}.lead_id, {own}, {ru.s_bit.format(r=r)}
    WHERE {live} AND {r}.lead_id IS NOT NULL
    ON CONFLICT ({_cols(ru.month_key())})
    DO UPDATE SET days = days | excluded.days;"""


def _s_remove(ru: _Rollup, r: str) -> str:
    """Statements counting row `r` (old) out, when it was live."""
    live = ru.live.format(r=r)
    key = _key(ru, r)
    a = ru.alias
    day_key = " AND ".join(
        (f"day = {ru.s_day.format(r=r)}", *(f"{c} = {r}.{c}" for c in ru.by), key)
    )
    month_key = f"month = {ru.s_month.format(r=r)} AND lead_id = {r}.lead_id AND {key}"
    same = (
        f"{a}.lead_id = {r}.lead_id AND {ru.live.format(r=a)} AND {_same_scope(ru, a, r)}"
        f" AND {ru.s_month.format(r=a)} = {ru.s_month.format(r=r)}"
    )
    return f"""
    UPDATE {ru.day_table} SET {_take(ru, r)} WHERE {live} AND {day_key};
    DELETE FROM {ru.day_table} WHERE {live} AND {day_key} AND n <= 0;
    UPDATE {ru.month_table} SET days = (
        SELECT COALESCE(SUM(DISTINCT {ru.s_bit.format(r=a)}), 0) FROM {ru.source} {a} WHERE {same})
    WHERE {live} AND {r}.lead_id IS NOT NULL AND {month_key};
    DELETE FROM {ru.month_table}
    WHERE {live} AND {r}.lead_id IS NOT NULL AND {month_key} AND days = 0;"""


def _sqlite_triggers(ru: _Rollup) -> str:
    n, changed = ru.name, ru.changed("old", "new", "IS NOT")
    return f"""
DROP TRIGGER IF EXISTS {n}_rollup_ai;
DROP TRIGGER IF EXISTS {n}_rollup_ad;
DROP TRIGGER IF EXISTS {n}_rollup_au;
CREATE TRIGGER {n}_rollup_ai AFTER INSERT ON {ru.source} BEGIN {_s_add(ru, "new")}
END;
CREATE TRIGGER {n}_rollup_ad AFTER DELETE ON {ru.source} BEGIN {_s_remove(ru, "old")}
END;
CREATE TRIGGER {n}_rollup_au AFTER UPDATE ON {ru.source} WHEN {changed} BEGIN
{_s_remove(ru, "old")}
{_s_add(ru, "new")}
END;
"""


def _rebuild(ru: _Rollup, day: str, month: str, days: str, first: str = "") -> str:
    """Both tables recounted from every source row: `day` and `month` are templates of a row's
    local day and month, `days` the aggregate of its days' bits; `first` runs before."""
    a = ru.alias
    day_values = ", ".join(
        (day.format(r=a), *_by(ru, a), _own(ru, a),
         *(agg.format(r=a) for _, _, agg in ru.counters))
    )  # fmt: skip
    return f"""{first}
DELETE FROM {ru.day_table};
DELETE FROM {ru.month_table};
INSERT INTO {ru.day_table} ({_cols(ru.day_columns())})
SELECT {day_values} FROM {ru.source} {a}
WHERE {ru.live.format(r=a)}
GROUP BY {_positions(ru.day_key())};
INSERT INTO {ru.month_table} ({_cols(ru.month_key())}, days)
SELECT {month.format(r=a)}, {a}.lead_id, {_own(ru, a)}, {days.format(r=a)}
FROM {ru.source} {a}
WHERE {ru.live.format(r=a)} AND {a}.lead_id IS NOT NULL
GROUP BY {_positions(ru.month_key())};
"""


def _sqlite_rebuild(ru: _Rollup) -> str:
    return _rebuild(ru, ru.s_day, ru.s_month, f"SUM(DISTINCT {ru.s_bit})")


# --- PostgreSQL -----------------------------------------------------------------------------


def _postgres_triggers(ru: _Rollup) -> str:
    n, a, changed = ru.name, ru.alias, ru.changed("OLD", "NEW", "IS DISTINCT FROM")
    day_key = " AND ".join(("day = d", *(f"{c} = OLD.{c}" for c in ru.by), _key(ru, "OLD")))
    month_key = f"month = d / 100 AND lead_id = OLD.lead_id AND {_key(ru, 'OLD')}"
    day_values = ", ".join(("d", *_by(ru, "NEW"), _own(ru, "NEW"), _shares(ru, "NEW")))
    return f"""
CREATE OR REPLACE FUNCTION {n}_rollup() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE d int;
BEGIN
    IF TG_OP <> 'INSERT' AND {ru.live.format(r="OLD")} THEN
        d := {ru.p_day.format(r="OLD")};
        UPDATE {ru.day_table} SET {_take(ru, "OLD")} WHERE {day_key};
        DELETE FROM {ru.day_table} WHERE {day_key} AND n <= 0;
        IF OLD.lead_id IS NOT NULL THEN
            -- lock first: the recount below then sees a concurrent writer's committed row
            PERFORM 1 FROM {ru.month_table} WHERE {month_key} FOR UPDATE;
            UPDATE {ru.month_table} SET days = COALESCE((
                SELECT bit_or({ru.p_bit.format(r=a)}) FROM {ru.source} {a}
                 WHERE {a}.lead_id = OLD.lead_id AND {ru.live.format(r=a)}
                   AND {_same_scope(ru, a, "OLD")}
                   AND {ru.p_day.format(r=a)} / 100 = d / 100), 0)
             WHERE {month_key};
            DELETE FROM {ru.month_table} WHERE {month_key} AND days = 0;
        END IF;
    END IF;
    IF TG_OP <> 'DELETE' AND {ru.live.format(r="NEW")} THEN
        d := {ru.p_day.format(r="NEW")};
        INSERT INTO {ru.day_table} ({_cols(ru.day_columns())})
        VALUES ({day_values})
        ON CONFLICT ({_cols(ru.day_key())})
        DO UPDATE SET {_add(ru, ru.day_table + ".")};
        IF NEW.lead_id IS NOT NULL THEN
            INSERT INTO {ru.month_table} ({_cols(ru.month_key())}, days)
            VALUES (d / 100, NEW.lead_id, {_own(ru, "NEW")}, {ru.p_bit.format(r="NEW")})
            ON CONFLICT ({_cols(ru.month_key())})
            DO UPDATE SET days = {ru.month_table}.days | excluded.days;
        END IF;
    END IF;
    RETURN NULL;
END $$;
DROP TRIGGER IF EXISTS {n}_rollup_id ON {ru.source};
DROP TRIGGER IF EXISTS {n}_rollup_u ON {ru.source};
CREATE TRIGGER {n}_rollup_id AFTER INSERT OR DELETE ON {ru.source}
    FOR EACH ROW EXECUTE FUNCTION {n}_rollup();
CREATE TRIGGER {n}_rollup_u AFTER UPDATE ON {ru.source}
    FOR EACH ROW WHEN ({changed}) EXECUTE FUNCTION {n}_rollup();
"""


def _postgres_rebuild(ru: _Rollup) -> str:
    return _rebuild(
        ru, ru.p_day, ru.p_day + " / 100", f"bit_or({ru.p_bit})",
        first=f"LOCK TABLE {ru.source} IN SHARE MODE;",
    )  # fmt: skip


# --- The roll-ups -----------------------------------------------------------------------------

# Done activities, by their local day (`done_at` is UTC): activity_day counts them per kind,
# lead_touch marks the days a lead was cared for.
_P_LOCAL = "({r}.done_at AT TIME ZONE 'Asia/Ho_Chi_Minh')"
ACTIVITIES = _Rollup(
    name="activity", source="activity", alias="a",
    live="{r}.status = 'done' AND {r}.done_at IS NOT NULL",
    scope=SCOPE, watched=("status", "done_at", "kind", "lead_id"),
    day_table="activity_day", by=("kind",), counters=(("n", "1", "COUNT(*)"),),
    month_table="lead_touch",
    s_day="CAST(strftime('%Y%m%d', {r}.done_at, '+7 hours') AS INTEGER)",
    s_month="CAST(strftime('%Y%m', {r}.done_at, '+7 hours') AS INTEGER)",
    s_bit="(1 << (CAST(strftime('%d', {r}.done_at, '+7 hours') AS INTEGER) - 1))",
    p_day="to_char(" + _P_LOCAL + ", 'YYYYMMDD')::int",
    p_bit="(1 << (extract(day FROM " + _P_LOCAL + ")::int - 1))",
)  # fmt: skip

# Orders not cancelled, by their `order_date` (a date, already local): order_day counts them
# and sums their totals, lead_buy marks the days a customer bought. Kept per the seller's scope
# and the branch where the sale happens.
ORDERS = _Rollup(
    name="order", source="sales_order", alias="o",
    live="{r}.status <> 'cancelled' AND {r}.order_date IS NOT NULL",
    scope=(*SCOPE, "site_branch_id"), watched=("status", "order_date", "total", "lead_id"),
    day_table="order_day", by=(),
    counters=(("n", "1", "COUNT(*)"), ("total", "{r}.total", "SUM({r}.total)")),
    month_table="lead_buy",
    s_day="CAST(strftime('%Y%m%d', {r}.order_date) AS INTEGER)",
    s_month="CAST(strftime('%Y%m', {r}.order_date) AS INTEGER)",
    s_bit="(1 << (CAST(strftime('%d', {r}.order_date) AS INTEGER) - 1))",
    p_day="to_char({r}.order_date, 'YYYYMMDD')::int",
    p_bit="(1 << (extract(day FROM {r}.order_date)::int - 1))",
)  # fmt: skip

SQLITE_TRIGGERS = _sqlite_triggers(ACTIVITIES)
SQLITE_REBUILD = _sqlite_rebuild(ACTIVITIES)
POSTGRES_TRIGGERS = _postgres_triggers(ACTIVITIES)
POSTGRES_REBUILD = _postgres_rebuild(ACTIVITIES)
SQLITE_ORDER_TRIGGERS = _sqlite_triggers(ORDERS)
SQLITE_ORDER_REBUILD = _sqlite_rebuild(ORDERS)
POSTGRES_ORDER_TRIGGERS = _postgres_triggers(ORDERS)
POSTGRES_ORDER_REBUILD = _postgres_rebuild(ORDERS)


async def install_orders(client: object) -> None:
    """(Re)create the order triggers on `client`, then rebuild order_day and lead_buy
    (migration 0028; `rebuild` does both roll-ups)."""
    sqlite = client.capabilities.dialect == "sqlite"  # type: ignore[attr-defined]
    await client.execute_script(SQLITE_ORDER_TRIGGERS if sqlite else POSTGRES_ORDER_TRIGGERS)  # type: ignore[attr-defined]
    await client.execute_script(SQLITE_ORDER_REBUILD if sqlite else POSTGRES_ORDER_REBUILD)  # type: ignore[attr-defined]


async def install(client: object) -> None:
    """(Re)create the triggers on `client` (a Tortoise connection), then rebuild the rows."""
    sqlite = client.capabilities.dialect == "sqlite"  # type: ignore[attr-defined]
    await client.execute_script(SQLITE_TRIGGERS if sqlite else POSTGRES_TRIGGERS)  # type: ignore[attr-defined]
    await client.execute_script(SQLITE_REBUILD if sqlite else POSTGRES_REBUILD)  # type: ignore[attr-defined]


async def rebuild() -> tuple[int, int]:
    """`spacrm report rebuild-rollup`: triggers re-created and every row recounted from the
    activities, in one transaction (writers wait). Returns the (activity_day, lead_touch) rows."""
    async with in_transaction() as conn:
        await install(conn)
        await install_orders(conn)
        days = await conn.execute_query_dict("SELECT COUNT(*) AS n FROM activity_day")
        touches = await conn.execute_query_dict("SELECT COUNT(*) AS n FROM lead_touch")
    return int(days[0]["n"]), int(touches[0]["n"])


# --- Reading ---------------------------------------------------------------------------------


def day_number(day: date) -> int:
    return day.year * 10_000 + day.month * 100 + day.day


def month_masks(first: date, last: date) -> dict[int, int]:
    """{YYYYMM: bit mask of the days of [first, last] in that month}."""
    masks: dict[int, int] = {}
    day = first
    while day <= last:
        key = day.year * 100 + day.month
        masks[key] = masks.get(key, 0) | (1 << (day.day - 1))
        day += timedelta(days=1)
    return masks


def touched_in(first: date, last: date) -> RawSQL:
    """An expression on lead_touch, > 0 when the row has a day in [first, last]. Only integers
    computed here go into the SQL."""
    whens = " ".join(
        f"WHEN {int(m)} THEN days & {int(b)}" for m, b in month_masks(first, last).items()
    )
    return RawSQL(f"CASE month {whens} ELSE 0 END")


def before(first: date) -> RawSQL:
    """An expression on a month-and-days roll-up (lead_buy), > 0 when the row has a day before
    `first`. Only integers computed here go into the SQL."""
    month = first.year * 100 + first.month
    earlier_days = (1 << (first.day - 1)) - 1
    return RawSQL(
        f"CASE WHEN month < {month} THEN 1 WHEN month = {month} THEN days & {earlier_days} ELSE 0 END"
    )


def dialect() -> str:
    return str(connections.get("default").capabilities.dialect)
