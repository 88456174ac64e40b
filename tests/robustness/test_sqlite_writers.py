"""Issue 13 #8 / issue 6 #9: CLI writes as separate processes beside a busy writer on one SQLite
file never see "database is locked" (busy timeout, BEGIN IMMEDIATE, retry where safe). The full
figure (50 writes) is bench/bench_sqlite_writers.py; this drill runs 20 to stay short."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.robustness.sqlite_drill import run_drill


@pytest.mark.slow
async def test_concurrent_cli_writes_beside_a_busy_writer(tmp_path: Path) -> None:
    writes = int(os.environ.get("SPACRM_DRILL_WRITES", "20"))
    result = await run_drill(tmp_path, writes=writes, writer_seconds=8.0)
    assert result.writer_transactions > 0
    assert (result.failed, result.locked, result.tracebacks) == (0, 0, 0), result
