"""The SQLite drill (issue 13 point 8): N CLI writes as separate processes beside a busy writer.

Used by tests/robustness/test_sqlite_writers.py and bench/bench_sqlite_writers.py. A fresh
database in `folder` is loaded with the demo chain; a writer process keeps short write
transactions going (as `serve` does: inbound message, outbox row) while `spacrm users add` and
`spacrm kb add` run at once. Counted: exit codes, "database is locked", tracebacks.
"""

from __future__ import annotations

import asyncio
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

_WRITER = """
import asyncio, sys, time
from spacrm.core.db import init_db, close_db, transaction
from spacrm.core.models import OutboxMessage
from spacrm.core.services import outbox

async def main(seconds):
    await init_db(upgrade=False)
    end = time.monotonic() + seconds
    n = 0
    while time.monotonic() < end:
        async with transaction():  # read, then write, then hold the lock a little: a busy server
            await OutboxMessage.filter(status="pending").count()
            await outbox.enqueue("email", "drill@example.com", {"subject": "drill", "text": str(n)})
            await asyncio.sleep(0.01)
        n += 1
    await close_db()
    print(n)

asyncio.run(main(float(sys.argv[1])))
"""


@dataclass
class DrillResult:
    commands: int
    failed: int
    locked: int
    tracebacks: int
    writer_transactions: int
    seconds: float


def _env(folder: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SPACRM_")}
    env.update(
        SPACRM_DATA_DIR=str(folder),
        SPACRM_DATABASE_URL=f"sqlite://{folder / 'drill.sqlite3'}",
        PYTHONPATH=str(ROOT),
    )
    return env


async def _run(args: list[str], env: dict[str, str]) -> tuple[int, str]:
    proc = await asyncio.create_subprocess_exec(
        sys.executable, *args, env=env, cwd=str(ROOT),
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
    )  # fmt: skip
    out, _ = await proc.communicate()
    return proc.returncode or 0, out.decode("utf-8", "replace")


def _cli(*args: str) -> list[str]:
    return ["-m", "spacrm.adapters.cli.main", *args]


async def run_drill(folder: Path, writes: int = 50, writer_seconds: float = 20.0) -> DrillResult:
    env = _env(folder)
    code, out = await _run(_cli("init", "--demo"), env)
    assert code == 0, out
    started = time.monotonic()
    writer = asyncio.create_task(_run(["-c", _WRITER, str(writer_seconds)], env))
    await asyncio.sleep(1.0)  # the writer is up and busy
    jobs = []
    for i in range(writes):
        if i % 2:
            args = _cli("users", "add", f"drill{i}", "--email", f"drill{i}@example.com",
                        "--name", f"Nhân viên {i}", "--role", "staff", "--team", "q1a")  # fmt: skip
        else:
            args = _cli("kb", "add", f"drill-{i}", "--question", f"Câu hỏi thử {i}?",
                        "--answer", f"Trả lời thử {i}.")  # fmt: skip
        jobs.append(_run(args, env))
    results = await asyncio.gather(*jobs)
    seconds = time.monotonic() - started
    w_code, w_out = await writer
    outputs = [out for _, out in results] + [w_out]
    return DrillResult(
        commands=writes,
        failed=sum(1 for code, _ in results if code != 0) + (w_code != 0),
        locked=sum("database is locked" in out for out in outputs),
        tracebacks=sum("Traceback" in out for out in outputs),
        writer_transactions=int(w_out.strip().splitlines()[-1]) if w_code == 0 else -1,
        seconds=seconds,
    )
