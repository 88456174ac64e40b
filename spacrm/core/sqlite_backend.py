"""Tortoise's SQLite client, made to share the file with other processes (`serve` beside CLI
commands and terminal chats) without ever surfacing "database is locked".

Three things, each closing one way SQLite answers SQLITE_BUSY:
- `busy_timeout` (a pragma on every connection, migrations included): a writer waits up to 10 s
  for another process's write to finish instead of failing at once.
- Transactions start with BEGIN IMMEDIATE. A plain (deferred) BEGIN that reads first and writes
  later cannot wait for the lock in WAL mode when another process committed in between (its
  snapshot is stale), so SQLite fails it immediately, busy_timeout or not. Taking the write lock
  up front makes the wait an ordinary busy wait.
- If the lock still cannot be had (a writer held it past the timeout), starting the transaction
  and single autocommit statements are retried a few times: nothing was written yet, so a retry is
  always safe. A statement inside a transaction is never retried (the transaction is rolled back
  and the error reaches the caller, as it must).
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from tortoise.backends.base.client import TransactionContext
from tortoise.backends.sqlite.client import (
    SqliteClient,
    SqliteTransactionContext,
    SqliteTransactionWrapper,
)
from tortoise.exceptions import OperationalError, TransactionManagementError

log = logging.getLogger(__name__)
T = TypeVar("T")

BUSY_TIMEOUT_MS = 10_000
RETRIES = 5


def is_locked(exc: BaseException) -> bool:
    text = str(exc).lower()
    return "database is locked" in text or "database table is locked" in text


async def _retry_locked(what: str, call: Callable[[], Awaitable[T]]) -> T:
    for attempt in range(RETRIES):
        try:
            return await call()
        except (sqlite3.OperationalError, OperationalError, TransactionManagementError) as exc:
            if not is_locked(exc) or attempt == RETRIES - 1:
                raise
            log.warning("%s: database busy, retrying (%d/%d)", what, attempt + 1, RETRIES)
            await asyncio.sleep(0.05 * (attempt + 1))
    raise AssertionError("unreachable")


class BusySafeTransactionWrapper(SqliteTransactionWrapper):
    async def begin(self) -> None:
        async def start() -> None:
            await self._connection.commit()
            await self._connection.execute("BEGIN IMMEDIATE")

        try:
            await _retry_locked("begin", start)
        except sqlite3.OperationalError as exc:
            raise TransactionManagementError(exc) from exc


class BusySafeSqliteClient(SqliteClient):
    def __init__(self, file_path: str, **kwargs: Any) -> None:
        kwargs.setdefault("busy_timeout", BUSY_TIMEOUT_MS)
        kwargs.setdefault("synchronous", "NORMAL")
        super().__init__(file_path, **kwargs)

    def _in_transaction(self) -> TransactionContext:
        return SqliteTransactionContext(BusySafeTransactionWrapper(self), self._lock)

    # Autocommit statements outside a transaction: a locked one changed nothing, so retry it.
    async def execute_insert(self, query: str, values: list[Any]) -> int:
        base = SqliteClient.execute_insert
        return await _retry_locked("insert", lambda: base(self, query, values))

    async def execute_query(self, query: str, values: list[Any] | None = None) -> Any:
        base: Any = SqliteClient.execute_query
        return await _retry_locked("query", lambda: base(self, query, values))

    async def execute_query_dict(self, query: str, values: list[Any] | None = None) -> Any:
        base: Any = SqliteClient.execute_query_dict
        return await _retry_locked("query", lambda: base(self, query, values))

    async def execute_script(self, query: str) -> None:
        base: Any = SqliteClient.execute_script
        await _retry_locked("script", lambda: base(self, query))


client_class = BusySafeSqliteClient
