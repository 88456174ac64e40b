"""Database start-up: Tortoise config, migrations, and the engine-specific search index."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from tortoise import Tortoise, connections
from tortoise.backends.base.config_generator import expand_db_url
from tortoise.exceptions import OperationalError
from tortoise.migrations.api import migrate
from tortoise.transactions import in_transaction

from spacrm.core.settings import get_settings
from spacrm.core.sqlite_backend import BUSY_TIMEOUT_MS

log = logging.getLogger(__name__)


def is_sqlite(url: str) -> bool:
    return url.startswith("sqlite")


async def _keep_session(connection: Any) -> None:
    """What asyncpg's pool does to a connection given back, instead of its default.

    The default sends 'SELECT pg_advisory_unlock_all(); CLOSE ALL; UNLISTEN *; RESET ALL;' after
    every use: one more round trip for each statement run outside a transaction, which doubled
    the round trips of a chat turn. We keep no session state on pooled connections (the leader's
    session advisory lock lives on its own connection, core/leader.py; rate limits take
    transaction locks; no LISTEN, SET or held cursor), so there is nothing to reset. A transaction
    left open is still rolled back by the pool before this is called."""


def _connection(url: str) -> str | dict[str, Any]:
    """PostgreSQL: asyncpg with a pool that does not reset sessions (`_keep_session`). SQLite:
    our busy-safe client (core/sqlite_backend.py) with a 10 s busy timeout, so `serve` and CLI
    commands can write to the same file at once."""
    if not is_sqlite(url):
        pg = expand_db_url(url)
        pg["credentials"]["reset"] = _keep_session
        return pg
    conn = expand_db_url(url)
    conn["engine"] = "spacrm.core.sqlite_backend"
    conn["credentials"].setdefault("busy_timeout", BUSY_TIMEOUT_MS)
    return conn


def tortoise_config(db_url: str | None = None) -> dict[str, Any]:
    url = db_url or get_settings().db_url
    return {
        "connections": {"default": _connection(url)},
        "apps": {
            "models": {
                "models": ["spacrm.core.models"],
                "default_connection": "default",
                "migrations": "spacrm.core.migrations",
            }
        },
        "use_tz": True,
        "timezone": "UTC",
    }


# Used by `tortoise makemigrations` (developers only).
TORTOISE_ORM = tortoise_config("sqlite://data/dev-migrations.sqlite3")


def _ensure_sqlite_dir(url: str) -> None:
    path = url.removeprefix("sqlite://")
    if path and path != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)


async def init_db(db_url: str | None = None, *, upgrade: bool = True) -> None:
    """Connect; with `upgrade`, apply pending migrations first (safe to run every start)."""
    url = db_url or get_settings().db_url
    config = tortoise_config(url)
    if is_sqlite(url):
        _ensure_sqlite_dir(url)
    if upgrade:
        await migrate(config=config)
        await Tortoise.close_connections()
    await Tortoise.init(config=config)
    from spacrm.core.changes import watch_models

    watch_models()  # the usage log's count of records created/changed (#33)
    # Settings changed in the console win over the environment's (core/services/config.py).
    from spacrm.core.services.config import load_stored

    try:
        await load_stored()
    except OperationalError:  # a database not upgraded yet (upgrade=False): environment only
        log.warning("stored settings not loaded: the database needs `spacrm init` (upgrade)")
    # SQLite: WAL (the web app, the bot and the CLI read while one of them writes), foreign keys
    # and the busy timeout are set on every connection by core/sqlite_backend.py.


async def close_db() -> None:
    await Tortoise.close_connections()


def dialect() -> str:
    return str(connections.get("default").capabilities.dialect)


@asynccontextmanager
async def transaction() -> AsyncIterator[None]:
    """`async with transaction():` — one unit of work on the default connection: everything the
    services write inside it commits together or not at all (nested ones become savepoints).
    For adapters that must commit a change together with the replies about it."""
    async with in_transaction():
        yield
