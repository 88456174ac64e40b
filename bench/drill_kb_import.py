"""Drill (issue 13 §7): `spacrm kb import` of a big Q&A spreadsheet (100k rows) while `spacrm serve`
runs. Measures `/healthz` and the next customer message (the website widget, answered inline)
before, during the import, and while the server rebuilds its Q&A index afterwards; then checks
that a question only the new file answers is answered.

    .venv/bin/python bench/drill_kb_import.py [--rows 100000] [--port 18210]

A real `spacrm serve` and a real `spacrm kb import` process on a fresh SQLite database (or
SPACRM_BENCH_DB_URL). With PYTHONPATH set, the server and CLI run that code (e.g. another
checkout, for a before/after comparison)."""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if "PYTHONPATH" not in os.environ:
    sys.path.insert(0, str(ROOT))

SERVICES = ("gội đầu", "massage body", "triệt lông nách", "chăm sóc da mặt", "nối mi", "sơn gel")
ASPECTS = ("giá bao nhiêu", "làm mất bao lâu", "có đau không", "bảo hành thế nào")
QUESTION = "gội đầu giá bao nhiêu ạ"  # the demo Q&A answers it before and after the import
MARKER = "thẻ hội viên kim cương"
PROBE = f"spa có bán {MARKER} không"


def write_sheet(path: Path, rows: int) -> None:
    from openpyxl import Workbook  # type: ignore[import-untyped]

    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(["id", "question", "answer", "variants"])
    for i in range(rows):
        service, aspect = SERVICES[i % len(SERVICES)], ASPECTS[(i // 6) % len(ASPECTS)]
        sheet.append([
            f"bulk{i:06d}", f"{service} gói số {i} {aspect}",
            f"Dạ {service} gói số {i}: {100 + i % 50}k, {30 + i % 4 * 15} phút ạ",
            f"{service} {i} {aspect} vậy shop|gói {i} {service}",
        ])  # fmt: skip
    # The last row says what only the new file knows: when the server answers it, the new index
    # is live.
    sheet.append(["bulk-marker", PROBE, f"Dạ {MARKER} có bán ở quầy lễ tân ạ", ""])
    book.save(path)


def _no_keepalive() -> object:
    import httpx

    # A fresh connection per request: an idle kept-alive one can be closed by the server just
    # as it is reused (a read error that says nothing about the server).
    return httpx.Limits(max_keepalive_connections=0)


NO_KEEPALIVE: Any = None


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))] if ordered else 0.0


def line(label: str, ms: list[float]) -> str:
    if not ms:
        return f"{label:44} (no samples)"
    return (
        f"{label:44} p50 {statistics.median(ms):8.1f} ms  p95 {pct(ms, 95):8.1f} ms  "
        f"max {max(ms):8.1f} ms  ({len(ms)})"
    )


class Probe:
    """/healthz every `every` s and one customer message every `ask_every` s, until stopped."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.health: list[float] = []
        self.answers: list[float] = []
        self.stopped = asyncio.Event()
        self.sessions = 0

    async def healthz(self, client: object, every: float = 0.1) -> None:
        import httpx

        assert isinstance(client, httpx.AsyncClient)
        while not self.stopped.is_set():
            started = time.perf_counter()
            response = await client.get(f"{self.base}/healthz")
            response.raise_for_status()
            self.health.append((time.perf_counter() - started) * 1000)
            await asyncio.sleep(every)

    async def ask(self, client: object, text: str = QUESTION) -> tuple[float, str]:
        import httpx

        assert isinstance(client, httpx.AsyncClient)
        self.sessions += 1
        started = time.perf_counter()
        response = await client.post(
            f"{self.base}/api/widget/messages",
            json={"session_id": f"drill-{os.getpid()}-{self.sessions}", "text": text},
        )
        took = (time.perf_counter() - started) * 1000
        response.raise_for_status()
        replies = response.json()["replies"]
        return took, " / ".join(r["text"] for r in replies)

    async def customers(self, client: object, every: float = 1.0) -> None:
        while not self.stopped.is_set():
            took, _ = await self.ask(client)
            self.answers.append(took)
            await asyncio.sleep(every)

    async def run_until(self, done: asyncio.Future[object] | asyncio.Task[object]) -> None:
        import httpx

        async with httpx.AsyncClient(timeout=120, limits=NO_KEEPALIVE) as client:
            tasks = [asyncio.create_task(self.healthz(client)),
                     asyncio.create_task(self.customers(client))]  # fmt: skip
            await done
            self.stopped.set()
            await asyncio.gather(*tasks)


async def main(rows: int, port: int) -> int:
    tmp = Path(tempfile.mkdtemp(prefix="spacrm-kbdrill-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("SPACRM_")}
    env["SPACRM_DATA_DIR"] = str(tmp)
    env["SPACRM_DATABASE_URL"] = (
        os.environ.get("SPACRM_BENCH_DB_URL") or f"sqlite://{tmp}/kb.sqlite3"
    )
    env["SPACRM_LIMIT_WIDGET_PER_ADDRESS_MINUTE"] = "100000"  # the drill is one address
    env.setdefault("PYTHONPATH", str(ROOT))
    cli = [sys.executable, "-m", "spacrm.adapters.cli.main"]
    subprocess.run([*cli, "init", "--demo"], check=True, capture_output=True, env=env)
    sheet = tmp / "qa.xlsx"
    started = time.perf_counter()
    write_sheet(sheet, rows)
    print(f"{rows} rows written to {sheet} in {time.perf_counter() - started:.1f} s")

    import httpx

    global NO_KEEPALIVE
    NO_KEEPALIVE = _no_keepalive()
    serve = await asyncio.create_subprocess_exec(
        *cli, "serve", "--port", str(port), env=env,
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        async with httpx.AsyncClient(timeout=60, limits=NO_KEEPALIVE) as client:
            for _ in range(600):
                try:
                    if (await client.get(f"{base}/healthz")).status_code == 200:
                        break
                except httpx.TransportError:
                    await asyncio.sleep(0.1)
            quiet = Probe(base)
            for _ in range(10):
                took, said = await quiet.ask(client)
                quiet.answers.append(took)
            for _ in range(30):
                started = time.perf_counter()
                await client.get(f"{base}/healthz")
                quiet.health.append((time.perf_counter() - started) * 1000)
        print(f"answer to {QUESTION!r}: {said[:80]}")

        during = Probe(base)
        started = time.perf_counter()
        importing = await asyncio.create_subprocess_exec(
            *cli, "kb", "import", str(sheet), env=env,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
        )  # fmt: skip
        waited = asyncio.create_task(importing.communicate())
        await during.run_until(waited)
        out, _ = waited.result()
        imported_in = time.perf_counter() - started
        print(f"import: {out.decode().strip()} ({imported_in:.1f} s, exit {importing.returncode})")

        # The server notices the new Q&A on the next question and rebuilds its index in a thread,
        # answering from the old one meanwhile; a question only the new file answers tells when
        # the new index is live.
        after = Probe(base)

        async def new_index_live() -> None:
            async with httpx.AsyncClient(timeout=120, limits=NO_KEEPALIVE) as client:
                while True:
                    _, said = await after.ask(client, PROBE)
                    print(f"  probe: {said[:90]}", flush=True)
                    if MARKER in said:
                        return
                    await asyncio.sleep(1.0)

        started = time.perf_counter()
        live = asyncio.create_task(asyncio.wait_for(new_index_live(), 900))
        await after.run_until(live)
        rebuilt_in = time.perf_counter() - started
        print(f"new index answering after {rebuilt_in:.1f} s more")
        print(line("/healthz, quiet", quiet.health))
        print(line("customer message, quiet", quiet.answers))
        print(line("/healthz during the import", during.health))
        print(line("customer message during the import", during.answers))
        print(line("/healthz while the index rebuilds", after.health))
        print(line("customer message while the index rebuilds", after.answers))
        slow = pct(during.health + after.health, 95)
        return 0 if importing.returncode == 0 and slow < 500 else 1
    finally:
        if serve.returncode is None:
            serve.terminate()
        await serve.wait()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--port", type=int, default=18210)
    a = parser.parse_args()
    sys.exit(asyncio.run(main(a.rows, a.port)))
