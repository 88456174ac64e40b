"""Drill (issue 13 §5): customers write on Messenger and Zalo OA, every webhook is answered 200,
then `spacrm serve` is killed (SIGKILL, or SIGTERM with --term). After a restart every message
must be handled; the providers' retries of the same events are skipped; only a message being
handled at the moment of the kill may be handled again.

    .venv/bin/python bench/drill_webhook_kill.py [--messages 60] [--term] [--port 18220]

A real `spacrm serve` process on a fresh SQLite database (or SPACRM_BENCH_DB_URL) against the
fake Graph API and fake Zalo OA in this process. Half the messages go to each channel."""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PAGE, PAGE_TOKEN, APP_SECRET = "1000001", "page-token-1", "fb-app-secret"
OA, OA_APP, OA_SECRET, ZALO_SECRET = "4318000000000000001", "2001", "oa-secret", "zalo-secret"
CUSTOMERS = 6  # per channel; each writes several messages, handled in order


async def main(messages: int, term: bool, port: int) -> int:
    tmp = tempfile.mkdtemp(prefix="spacrm-drill-")
    os.environ["SPACRM_DATA_DIR"] = tmp
    url = os.environ.get("SPACRM_BENCH_DB_URL") or f"sqlite://{tmp}/drill.sqlite3"
    os.environ["SPACRM_DATABASE_URL"] = url
    subprocess.run([sys.executable, "-m", "spacrm.adapters.cli.main", "init", "--demo"],
                   check=True, capture_output=True)  # fmt: skip

    from spacrm.core.db import close_db, init_db
    from spacrm.core.models import ConversationMessage, InboundUpdate
    from spacrm.core.services import channels
    from spacrm.core.settings import reset_settings
    from tests.adapters.app.proc import serve_env, start_serve
    from tests.fakes.facebook import FakeGraph
    from tests.fakes.zalo import FakeZalo

    reset_settings()
    await init_db(url)
    try:
        async with FakeGraph() as graph, FakeZalo() as zalo:
            graph.add_page(PAGE, PAGE_TOKEN)
            access, refresh = zalo.add_oa(
                OA, app_id=OA_APP, app_secret_key=ZALO_SECRET, oa_secret_key=OA_SECRET
            )
            await channels.add_channel("facebook", PAGE, access_token=PAGE_TOKEN)
            await channels.add_channel(
                "zalo", OA, access_token=access, refresh_token=refresh, app_id=OA_APP,
                secret_key=OA_SECRET,
            )  # fmt: skip
            env = serve_env(
                SPACRM_FACEBOOK_APP_SECRET=APP_SECRET, SPACRM_FACEBOOK_GRAPH_BASE=graph.base_url,
                SPACRM_ZALO_APP_SECRET=ZALO_SECRET, SPACRM_ZALO_OPENAPI_BASE=zalo.base_url,
                SPACRM_ZALO_OAUTH_BASE=zalo.base_url, SPACRM_ZNS_BASE=zalo.base_url,
            )  # fmt: skip
            serve = await start_serve(env, port=port)
            await serve.wait_line("serving on")
            base = f"http://127.0.0.1:{port}"
            sent: list[tuple[str, str, str]] = []  # (channel, customer, text)
            for n in range(messages):
                customer = f"{n % CUSTOMERS}"
                text = f"cho em hỏi giá gội đầu với ạ (tin {n})"
                if n % 2 == 0:
                    status = await graph.deliver_message(
                        f"{base}/webhooks/facebook", PAGE, f"psid-{customer}", text,
                        mid=f"m-drill-{n}", app_secret=APP_SECRET,
                    )  # fmt: skip
                else:
                    status = await zalo.deliver_text(
                        f"{base}/webhooks/zalo", OA, f"zu-{customer}", text, msg_id=f"z-drill-{n}"
                    )
                assert status == 200, status
                sent.append(("facebook" if n % 2 == 0 else "zalo", customer, text))
            serve.proc.send_signal(signal.SIGTERM if term else signal.SIGKILL)
            await serve.proc.wait()
            texts = [text for _, _, text in sent]

            async def handled() -> Counter[str]:
                rows = await ConversationMessage.filter(author="customer", text__in=texts)
                return Counter(r.text for r in rows)

            before = sum((await handled()).values())
            stored = await InboundUpdate.filter(source__in=["facebook", "zalo"]).count()
            # Leased rows were being handled when the process died: their handling may have
            # gone far enough to be visible, and they are handled again after the lease.
            in_flight = await InboundUpdate.filter(
                source__in=["facebook", "zalo"], attempts__gt=0
            ).count()
            how = "SIGTERM" if term else "SIGKILL"
            print(f"{messages} webhooks answered 200; {how}: {before} handled so far, "
                  f"{stored} stored for the next start")  # fmt: skip
            started = time.perf_counter()
            serve = await start_serve(env, port=port)
            await serve.wait_line("serving on")
            # The providers retry some deliveries after the outage: skipped by their ids.
            for n in range(0, messages, 5):
                _, customer, text = sent[n]
                if n % 2 == 0:
                    await graph.deliver_message(
                        f"{base}/webhooks/facebook", PAGE, f"psid-{customer}", text,
                        mid=f"m-drill-{n}", app_secret=APP_SECRET,
                    )  # fmt: skip
                else:
                    await zalo.deliver_text(
                        f"{base}/webhooks/zalo", OA, f"zu-{customer}", text, msg_id=f"z-drill-{n}"
                    )
            seen = await handled()
            while len(seen) < messages and time.perf_counter() - started < 120:
                await asyncio.sleep(0.2)
                seen = await handled()
            await asyncio.sleep(1.0)  # a retry handled twice would show up by now
            seen = await handled()
            serve.proc.send_signal(signal.SIGTERM)
            await serve.proc.wait()
            twice = sum(1 for c in seen.values() if c > 1)
            lost = messages - len(seen)
            print(f"after the restart: {len(seen)}/{messages} handled in "
                  f"{time.perf_counter() - started:.1f} s, lost {lost}, handled twice {twice} "
                  f"(at most the {in_flight} being handled at the kill)")  # fmt: skip
            return 0 if lost == 0 and twice <= in_flight else 1
    finally:
        await close_db()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=60)
    parser.add_argument("--term", action="store_true", help="SIGTERM instead of SIGKILL")
    parser.add_argument("--port", type=int, default=18220)
    a = parser.parse_args()
    sys.exit(asyncio.run(main(a.messages, a.term, a.port)))
