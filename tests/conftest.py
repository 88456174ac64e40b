"""Shared fixtures: one database per run (SQLite file, or PostgreSQL when SPACRM_TEST_POSTGRES_URL
is set), loaded with the demo chain; personas are its users; helpers make unique test data."""

from __future__ import annotations

import itertools
import os
import shutil
import subprocess
import sys
from collections.abc import AsyncIterator, Callable
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
async def db(
    tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
) -> AsyncIterator[str]:
    data_dir = tmp_path_factory.mktemp("data")
    os.environ["SPACRM_DATA_DIR"] = str(data_dir)
    for key in [
        k
        for k in os.environ
        if k.startswith("SPACRM_") and k not in ("SPACRM_DATA_DIR", "SPACRM_TEST_POSTGRES_URL")
    ]:
        del os.environ[key]
    pg = os.environ.get("SPACRM_TEST_POSTGRES_URL")
    # SQLite: the run's just-migrated file (made once for the CLI tests too); init_db below still
    # runs the migrations' check. PostgreSQL: migrated from an empty schema here.
    if not pg:
        fresh: FreshData = request.getfixturevalue("fresh_data")
        fresh(data_dir)
    url = pg or f"sqlite://{data_dir / 'spacrm.sqlite3'}"
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


FreshData = Callable[[Path], Path]


@pytest.fixture(scope="session")
def fresh_data(tmp_path_factory: pytest.TempPathFactory) -> FreshData:
    """Puts a just-migrated SQLite database into a data directory, as `spacrm init` leaves it on a
    new one. Made once per run by a real `spacrm init`: replaying the 27 migrations costs ~20 s of
    CPU per fresh directory, and a dozen CLI test modules each started from one. The command's
    own behaviour on a new directory stays covered by tests/adapters/cli/test_cli.py (which
    still starts from nothing) and by the `db` fixture."""
    template = tmp_path_factory.mktemp("migrated")
    env = {k: v for k, v in os.environ.items() if not k.startswith("SPACRM_")}
    env["SPACRM_DATA_DIR"] = str(template)
    made = subprocess.run(
        [sys.executable, "-m", "spacrm.adapters.cli.main", "init"],
        env=env, capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    files = sorted(template.glob("spacrm.sqlite3*"))
    assert files, list(template.iterdir())

    def copy(data_dir: Path) -> Path:
        data_dir.mkdir(parents=True, exist_ok=True)
        assert not (data_dir / "spacrm.sqlite3").exists(), "already has a database"
        for file in files:
            shutil.copyfile(file, data_dir / file.name)
        return data_dir

    return copy


def new_phone() -> str:
    """A unique valid mobile number per call (tests share one database)."""
    return f"0389{next(_phones):06d}"
