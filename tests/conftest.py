"""Shared fixtures: one database per run (SQLite file, or PostgreSQL when SPACRM_TEST_POSTGRES_URL
is set), loaded with the demo chain; personas are its users; helpers make unique test data."""

from __future__ import annotations

import itertools
import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from spacrm.core.actors import Actor
from spacrm.core.settings import reset_settings

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
_phones = itertools.count(1000)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "slow: longer end-to-end tests")


async def _reset_postgres(url: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(url.replace("postgres://", "postgresql://", 1))
    try:
        await conn.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
    finally:
        await conn.close()


@pytest.fixture(scope="session")
async def db(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[str]:
    data_dir = tmp_path_factory.mktemp("data")
    os.environ["SPACRM_DATA_DIR"] = str(data_dir)
    for key in [
        k
        for k in os.environ
        if k.startswith("SPACRM_") and k not in ("SPACRM_DATA_DIR", "SPACRM_TEST_POSTGRES_URL")
    ]:
        del os.environ[key]
    pg = os.environ.get("SPACRM_TEST_POSTGRES_URL")
    url = pg or f"sqlite://{data_dir / 'test.sqlite3'}"
    os.environ["SPACRM_DATABASE_URL"] = url
    reset_settings()
    if pg:
        await _reset_postgres(pg)
    from spacrm.core.db import close_db, init_db
    from spacrm.core.seed.demo import load_demo

    await init_db(url)
    await load_demo()
    yield url
    await close_db()


@pytest.fixture(scope="session")
async def personas(db: str) -> dict[str, Actor]:
    from spacrm.core.models import User
    from spacrm.core.services.users import actor_for

    return {u.login: await actor_for(u) for u in await User.all()}


def new_phone() -> str:
    """A unique valid mobile number per call (tests share one database)."""
    return f"0389{next(_phones):06d}"
