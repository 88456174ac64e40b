"""Issue 13 §7: `spacrm kb import` of a big file while `spacrm serve` runs. The server keeps
answering /healthz and customers during the import, and answers from the new Q&A once its index
is rebuilt (in a thread, swapped in whole). Speed is measured by bench/drill_kb_import.py."""

from __future__ import annotations

import asyncio
import csv
import sys
from pathlib import Path

import httpx

from spacrm.core.models import QARecord
from tests.adapters.app.proc import serve_env, start_serve

ROWS = 3_000
MARKER = "thẻ hội viên kim cương"


def _write(path: Path) -> None:
    with path.open("w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(["id", "question", "answer", "variants"])
        for i in range(ROWS):
            out.writerow([f"load-{i}", f"nối mi gói số {i} giá bao nhiêu",
                          f"Dạ nối mi gói số {i}: {100 + i % 50}k ạ", f"mi {i} bao tiền"])  # fmt: skip
        out.writerow(["load-marker", f"spa có bán {MARKER} không", f"Dạ {MARKER} có ạ", ""])


async def test_server_answers_while_a_big_import_runs(db: str, tmp_path: Path) -> None:
    sheet = tmp_path / "qa.csv"
    _write(sheet)
    env = serve_env(SPACRM_LIMIT_WIDGET_PER_ADDRESS_MINUTE="100000")
    serve = await start_serve(env)
    base = f"http://127.0.0.1:{serve.port}"
    try:
        await serve.wait_line("serving on")
        importing = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "spacrm.adapters.cli.main", "kb", "import", str(sheet), env=env,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
        )  # fmt: skip
        health_during = answers_during = 0
        async with httpx.AsyncClient(timeout=60) as client:
            n = 0
            while importing.returncode is None:
                n += 1
                health = await client.get(f"{base}/healthz")
                asked = await client.post(
                    f"{base}/api/widget/messages",
                    json={"session_id": f"kb-import-{n}", "text": "gội đầu giá bao nhiêu ạ"},
                )
                assert health.status_code == 200 and asked.status_code == 200, asked.text
                assert asked.json()["replies"], asked.text  # every customer got an answer
                if importing.returncode is None:  # answered while the import was still running
                    health_during += 1
                    answers_during += 1
                await asyncio.sleep(0.1)
            out = (await importing.communicate())[0].decode()
            assert importing.returncode == 0, out
            assert health_during >= 1 and answers_during >= 1
            assert await QARecord.filter(id__startswith="load-").count() == ROWS + 1
            # The new Q&A is answered once the index is rebuilt; until then the old one answers.
            said = ""
            for n in range(240):
                asked = await client.post(
                    f"{base}/api/widget/messages",
                    json={"session_id": f"kb-after-{n}", "text": f"spa có bán {MARKER} không"},
                )
                said = " ".join(r["text"] for r in asked.json()["replies"])
                if MARKER in said:
                    break
                await asyncio.sleep(0.5)
            assert MARKER in said
            assert (await client.get(f"{base}/healthz")).status_code == 200
    finally:
        await serve.stop()
        await QARecord.filter(id__startswith="load-").delete()
