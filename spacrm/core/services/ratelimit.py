"""A reusable rate limiter: at most `limit` events per key within a sliding window.

Database-backed (table rate_event), not in memory, because the limits must hold where abuse
happens: across several `spacrm serve` processes of a chain on PostgreSQL, across restarts, and
for CLI-started flows. The cost is one short transaction per counted event, and only rare paths
are counted (a link code mailed, a new lead from the public widget, a sign-in try), never every
staff message. Count-then-insert is atomic: on SQLite the write transaction is exclusive
(BEGIN IMMEDIATE), on PostgreSQL an advisory lock per key serialises the callers.

Keys in use: "link-login:<user id>", "link-chat:<channel>:<chat id>", "widget-msg:<session>",
"widget-addr:<client address>", "widget-lead:<client address>"; "signin:<login>" is reserved for
the console sign-in (not built yet).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from tortoise.transactions import in_transaction

from spacrm.core import clock
from spacrm.core.models import RateEvent
from spacrm.core.settings import Settings, get_settings

MAX_KEY = 160
PRUNE_CHANCE = 0.01


@dataclass(frozen=True, slots=True)
class Limit:
    limit: int
    window: timedelta

    @property
    def minutes(self) -> int:
        return max(1, int(self.window.total_seconds() // 60))


# The rules come from the settings (SPACRM_LIMIT_*, README "Limits"), read when used so a test
# or an operator can change them; the names below are what callers use.
_RULES: dict[str, Callable[[Settings], Limit]] = {
    # Link codes by email: per login (someone typing a colleague's login) and per chat (one
    # account trying many logins). 3 per 10 minutes is plenty for a person who mistyped the code.
    "LINK_PER_LOGIN": lambda s: Limit(
        s.limit_link_codes_per_login, timedelta(minutes=s.limit_link_codes_minutes)
    ),
    "LINK_PER_CHAT": lambda s: Limit(
        s.limit_link_codes_per_chat, timedelta(minutes=s.limit_link_codes_minutes)
    ),
    # The public widget: a person types a few messages a minute; a script types hundreds.
    "WIDGET_PER_SESSION": lambda s: Limit(s.limit_widget_per_session_minute, timedelta(minutes=1)),
    "WIDGET_PER_ADDRESS": lambda s: Limit(s.limit_widget_per_address_minute, timedelta(minutes=1)),
    "WIDGET_LEADS_PER_ADDRESS": lambda s: Limit(
        s.limit_widget_leads_per_address_hour, timedelta(hours=1)
    ),
    "SIGNIN_PER_LOGIN": lambda s: Limit(
        s.limit_signin_per_login, timedelta(minutes=s.limit_signin_minutes)
    ),
}


def __getattr__(name: str) -> Limit:
    """`ratelimit.WIDGET_PER_SESSION` etc.: the rule as the settings say now."""
    rule = _RULES.get(name)
    if rule is None:
        raise AttributeError(name)
    return rule(get_settings())


async def hit(key: str, rule: Limit) -> bool:
    """Count one event under `key` and return True, or return False (nothing counted) when the
    key already had `rule.limit` events within `rule.window`."""
    key = key[:MAX_KEY]
    now = clock.now()
    since = now - rule.window
    async with in_transaction() as conn:
        if conn.capabilities.dialect == "postgres":
            await conn.execute_query("SELECT pg_advisory_xact_lock(hashtext($1))", [key])
        await RateEvent.filter(key=key, at__lt=since).using_db(conn).delete()
        if await RateEvent.filter(key=key).using_db(conn).count() >= rule.limit:
            return False
        await RateEvent.create(key=key, at=now, using_db=conn)
    if random.random() < PRUNE_CHANCE:  # keys never hit again (a widget session) must not pile up
        await prune()
    return True


async def would_allow(key: str, rule: Limit) -> bool:
    """Whether one more event under `key` is allowed now, without counting it."""
    since = clock.now() - rule.window
    return await RateEvent.filter(key=key[:MAX_KEY], at__gte=since).count() < rule.limit


async def reset(*keys: str) -> None:
    """Forget the counted events of these keys (a person proved who they are, e.g. linked)."""
    await RateEvent.filter(key__in=[k[:MAX_KEY] for k in keys]).delete()


async def prune(older_than: timedelta = timedelta(days=1)) -> int:
    """Remove counters older than any window (the longest is an hour)."""
    return await RateEvent.filter(at__lt=clock.now() - older_than).delete()
