"""The report roll-ups (core/models/rollup.py): the triggers that keep them exact, the rebuild,
and the period filters reports use on them. Activities: activity_day, lead_touch (migration
0023); orders: order_day, lead_buy (migration 0028), built the same way.

Triggers rather than service code: activities are written by many services, deleted by cascades
(a lead, a contact, an account) and moved by reassignments and imports; a trigger sees every one
of those writes in the writer's own transaction, so a figure read from the roll-up is the figure
the raw query would give, always. Days are local (Asia/Ho_Chi_Minh, UTC+7 all year, as in
clock.TZ), the days every report period is made of.

`activity_day` is kept by +1/-1 deltas. `lead_touch.days` cannot be decremented (two activities
may share a day), so a removed activity recomputes its row from the lead's activities of that
month (a lead has a handful), after locking the row on PostgreSQL so a concurrent writer's
activity is seen (each statement of the trigger function takes a fresh snapshot).
"""

from __future__ import annotations

from datetime import date, timedelta

from tortoise import connections
from tortoise.expressions import RawSQL
from tortoise.transactions import in_transaction

# The scope columns every roll-up row is kept per (the activity's own, 0 standing for none).
SCOPE = ("owner_id", "team_id", "branch_id", "region_id")
_SCOPE_COLS = ", ".join(SCOPE)


def _own(r: str) -> str:
    """Row `r`'s scope as the values of a roll-up row."""
    return ", ".join(f"COALESCE({r}.{c}, 0)" for c in SCOPE)


def _key(r: str) -> str:
    """The roll-up rows of row `r`'s scope."""
    return " AND ".join(f"{c} = COALESCE({r}.{c}, 0)" for c in SCOPE)


def _same_scope(a: str, r: str) -> str:
    """Activity `a` has row `r`'s scope."""
    return " AND ".join(f"COALESCE({a}.{c}, 0) = COALESCE({r}.{c}, 0)" for c in SCOPE)


# --- SQLite ---------------------------------------------------------------------------------
_S_DAY = "CAST(strftime('%Y%m%d', {r}.done_at, '+7 hours') AS INTEGER)"
_S_MONTH = "CAST(strftime('%Y%m', {r}.done_at, '+7 hours') AS INTEGER)"
_S_BIT = "(1 << (CAST(strftime('%d', {r}.done_at, '+7 hours') AS INTEGER) - 1))"


def _s_add(r: str) -> str:
    """Statements counting row `r` (new) in, when it is a done activity."""
    done = f"{r}.status = 'done' AND {r}.done_at IS NOT NULL"
    own = _own(r)
    return f"""
    INSERT INTO activity_day (day, kind, {_SCOPE_COLS}, n)
    SELECT {_S_DAY.format(r=r)}, {r}.kind, {own}, 1 WHERE {done}
    ON CONFLICT (day, kind, {_SCOPE_COLS}) DO UPDATE SET n = n + 1;
    INSERT INTO lead_touch (month, lead_id, {_SCOPE_COLS}, days)
    SELECT {_S_MONTH.format(r=r)}, {r}.lead_id, {own}, {_S_BIT.format(r=r)}
    WHERE {done} AND {r}.lead_id IS NOT NULL
    ON CONFLICT (month, lead_id, {_SCOPE_COLS})
    DO UPDATE SET days = days | excluded.days;"""


def _s_remove(r: str) -> str:
    """Statements counting row `r` (old) out, when it was a done activity."""
    done = f"{r}.status = 'done' AND {r}.done_at IS NOT NULL"
    key = _key(r)
    day_key = f"day = {_S_DAY.format(r=r)} AND kind = {r}.kind AND {key}"
    touch_key = f"month = {_S_MONTH.format(r=r)} AND lead_id = {r}.lead_id AND {key}"
    same = (
        f"a.lead_id = {r}.lead_id AND a.status = 'done' AND a.done_at IS NOT NULL"
        f" AND {_same_scope('a', r)}"
        f" AND {_S_MONTH.format(r='a')} = {_S_MONTH.format(r=r)}"
    )
    return f"""
    UPDATE activity_day SET n = n - 1 WHERE {done} AND {day_key};
    DELETE FROM activity_day WHERE {done} AND {day_key} AND n <= 0;
    UPDATE lead_touch SET days = (
        SELECT COALESCE(SUM(DISTINCT {_S_BIT.format(r="a")}), 0) FROM activity a WHERE {same})
    WHERE {done} AND {r}.lead_id IS NOT NULL AND {touch_key};
    DELETE FROM lead_touch WHERE {done} AND {r}.lead_id IS NOT NULL AND {touch_key} AND days = 0;"""


_WATCHED = ("status", "done_at", "kind", "lead_id", *SCOPE)
_S_CHANGED = " OR ".join(f"old.{c} IS NOT new.{c}" for c in _WATCHED)

SQLITE_TRIGGERS = f"""
DROP TRIGGER IF EXISTS activity_rollup_ai;
DROP TRIGGER IF EXISTS activity_rollup_ad;
DROP TRIGGER IF EXISTS activity_rollup_au;
CREATE TRIGGER activity_rollup_ai AFTER INSERT ON activity BEGIN {_s_add("new")}
END;
CREATE TRIGGER activity_rollup_ad AFTER DELETE ON activity BEGIN {_s_remove("old")}
END;
CREATE TRIGGER activity_rollup_au AFTER UPDATE ON activity WHEN {_S_CHANGED} BEGIN
{_s_remove("old")}
{_s_add("new")}
END;
"""

SQLITE_REBUILD = f"""
DELETE FROM activity_day;
DELETE FROM lead_touch;
INSERT INTO activity_day (day, kind, {_SCOPE_COLS}, n)
SELECT {_S_DAY.format(r="a")} AS d, a.kind, {_own("a")}, COUNT(*) FROM activity a
WHERE a.status = 'done' AND a.done_at IS NOT NULL
GROUP BY d, a.kind, 3, 4, 5, 6;
INSERT INTO lead_touch (month, lead_id, {_SCOPE_COLS}, days)
SELECT {_S_MONTH.format(r="a")} AS m, a.lead_id, {_own("a")},
       SUM(DISTINCT {_S_BIT.format(r="a")}) FROM activity a
WHERE a.status = 'done' AND a.done_at IS NOT NULL AND a.lead_id IS NOT NULL
GROUP BY m, a.lead_id, 3, 4, 5, 6;
"""

# --- PostgreSQL -----------------------------------------------------------------------------
_P_LOCAL = "({r}.done_at AT TIME ZONE 'Asia/Ho_Chi_Minh')"
_P_DAY = "to_char(" + _P_LOCAL + ", 'YYYYMMDD')::int"
_P_BIT = "(1 << (extract(day FROM " + _P_LOCAL + ")::int - 1))"
_P_CHANGED = " OR ".join(f"OLD.{c} IS DISTINCT FROM NEW.{c}" for c in _WATCHED)

POSTGRES_TRIGGERS = f"""
CREATE OR REPLACE FUNCTION activity_rollup() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE d int;
BEGIN
    IF TG_OP <> 'INSERT' AND OLD.status = 'done' AND OLD.done_at IS NOT NULL THEN
        d := {_P_DAY.format(r="OLD")};
        UPDATE activity_day SET n = n - 1
         WHERE day = d AND kind = OLD.kind AND {_key("OLD")};
        DELETE FROM activity_day
         WHERE day = d AND kind = OLD.kind AND {_key("OLD")} AND n <= 0;
        IF OLD.lead_id IS NOT NULL THEN
            -- lock first: the recount below then sees a concurrent writer's committed activity
            PERFORM 1 FROM lead_touch WHERE month = d / 100 AND lead_id = OLD.lead_id
               AND {_key("OLD")} FOR UPDATE;
            UPDATE lead_touch SET days = COALESCE((
                SELECT bit_or({_P_BIT.format(r="a")}) FROM activity a
                 WHERE a.lead_id = OLD.lead_id AND a.status = 'done' AND a.done_at IS NOT NULL
                   AND {_same_scope("a", "OLD")}
                   AND {_P_DAY.format(r="a")} / 100 = d / 100), 0)
             WHERE month = d / 100 AND lead_id = OLD.lead_id AND {_key("OLD")};
            DELETE FROM lead_touch WHERE month = d / 100 AND lead_id = OLD.lead_id
               AND {_key("OLD")} AND days = 0;
        END IF;
    END IF;
    IF TG_OP <> 'DELETE' AND NEW.status = 'done' AND NEW.done_at IS NOT NULL THEN
        d := {_P_DAY.format(r="NEW")};
        INSERT INTO activity_day (day, kind, {_SCOPE_COLS}, n)
        VALUES (d, NEW.kind, {_own("NEW")}, 1)
        ON CONFLICT (day, kind, {_SCOPE_COLS})
        DO UPDATE SET n = activity_day.n + 1;
        IF NEW.lead_id IS NOT NULL THEN
            INSERT INTO lead_touch (month, lead_id, {_SCOPE_COLS}, days)
            VALUES (d / 100, NEW.lead_id, {_own("NEW")}, {_P_BIT.format(r="NEW")})
            ON CONFLICT (month, lead_id, {_SCOPE_COLS})
            DO UPDATE SET days = lead_touch.days | excluded.days;
        END IF;
    END IF;
    RETURN NULL;
END $$;
DROP TRIGGER IF EXISTS activity_rollup_id ON activity;
DROP TRIGGER IF EXISTS activity_rollup_u ON activity;
CREATE TRIGGER activity_rollup_id AFTER INSERT OR DELETE ON activity
    FOR EACH ROW EXECUTE FUNCTION activity_rollup();
CREATE TRIGGER activity_rollup_u AFTER UPDATE ON activity
    FOR EACH ROW WHEN ({_P_CHANGED}) EXECUTE FUNCTION activity_rollup();
"""

POSTGRES_REBUILD = f"""
LOCK TABLE activity IN SHARE MODE;
DELETE FROM activity_day;
DELETE FROM lead_touch;
INSERT INTO activity_day (day, kind, {_SCOPE_COLS}, n)
SELECT {_P_DAY.format(r="a")} AS d, a.kind, {_own("a")}, COUNT(*) FROM activity a
WHERE a.status = 'done' AND a.done_at IS NOT NULL
GROUP BY 1, 2, 3, 4, 5, 6;
INSERT INTO lead_touch (month, lead_id, {_SCOPE_COLS}, days)
SELECT {_P_DAY.format(r="a")} / 100, a.lead_id, {_own("a")},
       bit_or({_P_BIT.format(r="a")}) FROM activity a
WHERE a.status = 'done' AND a.done_at IS NOT NULL AND a.lead_id IS NOT NULL
GROUP BY 1, 2, 3, 4, 5, 6;
"""


# --- Orders (order_day, lead_buy) ----------------------------------------------------------
# The same scheme for `sales_order`: orders not cancelled, by their local `order_date` (a date,
# already local). `order_day` by +1/-1 and ±total; a removed order recomputes its lead_buy row
# from the lead's orders of that month (a customer has a handful).

_O_WATCHED = ("status", "order_date", "total", "lead_id", "owner_id", "team_id", "branch_id",
              "region_id", "site_branch_id")  # fmt: skip
_O_COLS = ("owner_id", "team_id", "branch_id", "region_id", "site_branch_id")
_O_OWN = ", ".join(f"COALESCE({{r}}.{c}, 0)" for c in _O_COLS)
_O_KEY = " AND ".join(f"{c} = COALESCE({{r}}.{c}, 0)" for c in _O_COLS)
_O_SAME = " AND ".join(f"COALESCE(o.{c}, 0) = COALESCE({{r}}.{c}, 0)" for c in _O_COLS)
_O_LIVE = "{r}.status <> 'cancelled' AND {r}.order_date IS NOT NULL"
_O_UNIQUE_DAY = "(day, owner_id, team_id, branch_id, region_id, site_branch_id)"
_O_UNIQUE_BUY = "(month, lead_id, owner_id, team_id, branch_id, region_id, site_branch_id)"
_O_DAY_COLS = "(day, owner_id, team_id, branch_id, region_id, site_branch_id, n, total)"
_O_BUY_COLS = "(month, lead_id, owner_id, team_id, branch_id, region_id, site_branch_id, days)"

_SO_DAY = "CAST(strftime('%Y%m%d', {r}.order_date) AS INTEGER)"
_SO_MONTH = "CAST(strftime('%Y%m', {r}.order_date) AS INTEGER)"
_SO_BIT = "(1 << (CAST(strftime('%d', {r}.order_date) AS INTEGER) - 1))"


def _so_add(r: str) -> str:
    live = _O_LIVE.format(r=r)
    own = _O_OWN.format(r=r)
    return f"""
    INSERT INTO order_day {_O_DAY_COLS}
    SELECT {_SO_DAY.format(r=r)}, {own}, 1, {r}.total WHERE {live}
    ON CONFLICT {_O_UNIQUE_DAY} DO UPDATE SET n = n + 1, total = total + excluded.total;
    INSERT INTO lead_buy {_O_BUY_COLS}
    SELECT {_SO_MONTH.format(r=r)}, {r}.lead_id, {own}, {_SO_BIT.format(r=r)}
    WHERE {live} AND {r}.lead_id IS NOT NULL
    ON CONFLICT {_O_UNIQUE_BUY} DO UPDATE SET days = days | excluded.days;"""


def _so_remove(r: str) -> str:
    live = _O_LIVE.format(r=r)
    key = _O_KEY.format(r=r)
    day_key = f"day = {_SO_DAY.format(r=r)} AND {key}"
    buy_key = f"month = {_SO_MONTH.format(r=r)} AND lead_id = {r}.lead_id AND {key}"
    same = (
        f"o.lead_id = {r}.lead_id AND o.status <> 'cancelled' AND o.order_date IS NOT NULL"
        f" AND {_O_SAME.format(r=r)} AND {_SO_MONTH.format(r='o')} = {_SO_MONTH.format(r=r)}"
    )
    return f"""
    UPDATE order_day SET n = n - 1, total = total - {r}.total WHERE {live} AND {day_key};
    DELETE FROM order_day WHERE {live} AND {day_key} AND n <= 0;
    UPDATE lead_buy SET days = (
        SELECT COALESCE(SUM(DISTINCT {_SO_BIT.format(r="o")}), 0) FROM sales_order o WHERE {same})
    WHERE {live} AND {r}.lead_id IS NOT NULL AND {buy_key};
    DELETE FROM lead_buy WHERE {live} AND {r}.lead_id IS NOT NULL AND {buy_key} AND days = 0;"""


_SO_CHANGED = " OR ".join(f"old.{c} IS NOT new.{c}" for c in _O_WATCHED)

SQLITE_ORDER_TRIGGERS = f"""
DROP TRIGGER IF EXISTS order_rollup_ai;
DROP TRIGGER IF EXISTS order_rollup_ad;
DROP TRIGGER IF EXISTS order_rollup_au;
CREATE TRIGGER order_rollup_ai AFTER INSERT ON sales_order BEGIN {_so_add("new")}
END;
CREATE TRIGGER order_rollup_ad AFTER DELETE ON sales_order BEGIN {_so_remove("old")}
END;
CREATE TRIGGER order_rollup_au AFTER UPDATE ON sales_order WHEN {_SO_CHANGED} BEGIN
{_so_remove("old")}
{_so_add("new")}
END;
"""

SQLITE_ORDER_REBUILD = f"""
DELETE FROM order_day;
DELETE FROM lead_buy;
INSERT INTO order_day {_O_DAY_COLS}
SELECT {_SO_DAY.format(r="o")} AS d, {_O_OWN.format(r="o")}, COUNT(*), SUM(o.total)
FROM sales_order o WHERE {_O_LIVE.format(r="o")}
GROUP BY d, 2, 3, 4, 5, 6;
INSERT INTO lead_buy {_O_BUY_COLS}
SELECT {_SO_MONTH.format(r="o")} AS m, o.lead_id, {_O_OWN.format(r="o")},
       SUM(DISTINCT {_SO_BIT.format(r="o")}) FROM sales_order o
WHERE {_O_LIVE.format(r="o")} AND o.lead_id IS NOT NULL
GROUP BY m, 2, 3, 4, 5, 6, 7;
"""

_PO_DAY = "to_char({r}.order_date, 'YYYYMMDD')::int"
_PO_BIT = "(1 << (extract(day FROM {r}.order_date)::int - 1))"
_PO_CHANGED = " OR ".join(f"OLD.{c} IS DISTINCT FROM NEW.{c}" for c in _O_WATCHED)

POSTGRES_ORDER_TRIGGERS = f"""
CREATE OR REPLACE FUNCTION order_rollup() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE d int;
BEGIN
    IF TG_OP <> 'INSERT' AND {_O_LIVE.format(r="OLD")} THEN
        d := {_PO_DAY.format(r="OLD")};
        UPDATE order_day SET n = n - 1, total = total - OLD.total
         WHERE day = d AND {_O_KEY.format(r="OLD")};
        DELETE FROM order_day WHERE day = d AND {_O_KEY.format(r="OLD")} AND n <= 0;
        IF OLD.lead_id IS NOT NULL THEN
            -- lock first: the recount below then sees a concurrent writer's committed order
            PERFORM 1 FROM lead_buy WHERE month = d / 100 AND lead_id = OLD.lead_id
               AND {_O_KEY.format(r="OLD")} FOR UPDATE;
            UPDATE lead_buy SET days = COALESCE((
                SELECT bit_or({_PO_BIT.format(r="o")}) FROM sales_order o
                 WHERE o.lead_id = OLD.lead_id AND o.status <> 'cancelled'
                   AND o.order_date IS NOT NULL AND {_O_SAME.format(r="OLD")}
                   AND {_PO_DAY.format(r="o")} / 100 = d / 100), 0)
             WHERE month = d / 100 AND lead_id = OLD.lead_id AND {_O_KEY.format(r="OLD")};
            DELETE FROM lead_buy WHERE month = d / 100 AND lead_id = OLD.lead_id
               AND {_O_KEY.format(r="OLD")} AND days = 0;
        END IF;
    END IF;
    IF TG_OP <> 'DELETE' AND {_O_LIVE.format(r="NEW")} THEN
        d := {_PO_DAY.format(r="NEW")};
        INSERT INTO order_day {_O_DAY_COLS}
        VALUES (d, {_O_OWN.format(r="NEW")}, 1, NEW.total)
        ON CONFLICT {_O_UNIQUE_DAY}
        DO UPDATE SET n = order_day.n + 1, total = order_day.total + excluded.total;
        IF NEW.lead_id IS NOT NULL THEN
            INSERT INTO lead_buy {_O_BUY_COLS}
            VALUES (d / 100, NEW.lead_id, {_O_OWN.format(r="NEW")}, {_PO_BIT.format(r="NEW")})
            ON CONFLICT {_O_UNIQUE_BUY} DO UPDATE SET days = lead_buy.days | excluded.days;
        END IF;
    END IF;
    RETURN NULL;
END $$;
DROP TRIGGER IF EXISTS order_rollup_id ON sales_order;
DROP TRIGGER IF EXISTS order_rollup_u ON sales_order;
CREATE TRIGGER order_rollup_id AFTER INSERT OR DELETE ON sales_order
    FOR EACH ROW EXECUTE FUNCTION order_rollup();
CREATE TRIGGER order_rollup_u AFTER UPDATE ON sales_order
    FOR EACH ROW WHEN ({_PO_CHANGED}) EXECUTE FUNCTION order_rollup();
"""

POSTGRES_ORDER_REBUILD = f"""
LOCK TABLE sales_order IN SHARE MODE;
DELETE FROM order_day;
DELETE FROM lead_buy;
INSERT INTO order_day {_O_DAY_COLS}
SELECT {_PO_DAY.format(r="o")}, {_O_OWN.format(r="o")}, COUNT(*), SUM(o.total)
FROM sales_order o WHERE {_O_LIVE.format(r="o")}
GROUP BY 1, 2, 3, 4, 5, 6;
INSERT INTO lead_buy {_O_BUY_COLS}
SELECT {_PO_DAY.format(r="o")} / 100, o.lead_id, {_O_OWN.format(r="o")},
       bit_or({_PO_BIT.format(r="o")}) FROM sales_order o
WHERE {_O_LIVE.format(r="o")} AND o.lead_id IS NOT NULL
GROUP BY 1, 2, 3, 4, 5, 6, 7;
"""


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
