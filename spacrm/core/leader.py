"""Leader election between `spacrm serve` processes sharing one PostgreSQL database.

A PostgreSQL advisory lock belongs to the connection that took it, so the leader keeps one
connection of its own (not from the pool) for as long as it leads. When the process dies, the
connection closes, PostgreSQL frees the lock, and the next process that asks becomes leader.
On SQLite there is one machine and the work itself is claimed row by row: every process leads."""

from __future__ import annotations

import hashlib
import logging
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from spacrm.core.db import is_sqlite

log = logging.getLogger(__name__)


def lock_key(name: str) -> int:
    """A stable signed 64-bit key for `name` (pg advisory locks take a bigint)."""
    return int.from_bytes(
        hashlib.sha256(f"spacrm:{name}".encode()).digest()[:8], "big", signed=True
    )


def _dsn(url: str) -> str:
    parts = urlsplit(url)
    scheme = "postgresql" if parts.scheme in ("postgres", "asyncpg", "psycopg") else parts.scheme
    return urlunsplit((scheme, parts.netloc, parts.path, "", ""))


class Leadership:
    def __init__(self, db_url: str, name: str) -> None:
        self.db_url = db_url
        self.key = lock_key(name)
        self.name = name
        self.held = False
        self._conn: Any = None

    async def hold(self) -> bool:
        """True while this process leads; tries to become leader when it does not."""
        if is_sqlite(self.db_url):
            self.held = True
            return True
        import asyncpg  # type: ignore[import-untyped]

        try:
            if self._conn is None or self._conn.is_closed():
                self.held = False
                self._conn = await asyncpg.connect(_dsn(self.db_url), timeout=5)
            if self.held:
                await self._conn.fetchval("SELECT 1")  # still connected = still the leader
            else:
                self.held = bool(
                    await self._conn.fetchval("SELECT pg_try_advisory_lock($1)", self.key)
                )
                if self.held:
                    log.warning("this process now runs the %s", self.name)
        except Exception as exc:  # the database went away: not the leader until it is back
            log.warning("leadership check for %s failed: %s", self.name, exc)
            await self.release()
        return self.held

    async def release(self) -> None:
        self.held = False
        conn, self._conn = self._conn, None
        if conn is not None and not conn.is_closed():
            try:
                await conn.close(timeout=2)
            except Exception:
                conn.terminate()
