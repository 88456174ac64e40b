"""Drill: concurrent creators of the same customer (issue 13 #3). Each trial: 5 staff members
create a lead with the same new phone at once (asyncio.gather; on PostgreSQL each on its own pool
connection), and 5 widget visitors leave the same new phone at once. Prints how many trials
ended with more than one lead (must be 0) and any unexpected errors.

    .venv/bin/python bench/bench_duplicates.py [--trials 20]
    SPACRM_BENCH_DB_URL=postgres://postgres@127.0.0.1:5432/bench .venv/bin/python bench/bench_duplicates.py

Fresh SQLite database in a temporary folder unless SPACRM_BENCH_DB_URL is set (that database is
wiped first).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


async def run(trials: int, url: str) -> int:
    from spacrm.bot.customer_engine import CustomerEngine
    from spacrm.core.db import close_db, init_db
    from spacrm.core.errors import DomainError
    from spacrm.core.models import CustomerChannel, Lead, User
    from spacrm.core.seed.demo import load_demo
    from spacrm.core.services.leads import create_lead
    from spacrm.core.services.users import actor_for
    from spacrm.intents.chat import ChatEvent

    if url.startswith("postgres"):
        import asyncpg

        conn = await asyncpg.connect(url.replace("postgres://", "postgresql://", 1))
        await conn.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
        await conn.close()
    await init_db(url)
    await load_demo()
    logins = ["st_q1a1", "st_q1a2", "st_q1b1", "st_gva1", "tl_q1a"]
    actors = [await actor_for(await User.get(login=login)) for login in logins]
    await CustomerChannel.create(kind="widget", external_id="web", access_token="",
                                 assignees=[actors[0].user_id, actors[2].user_id])  # fmt: skip
    engine = CustomerEngine()
    staff_dupes = widget_dupes = errors = 0
    for trial in range(trials):
        phone = f"0388{trial:06d}"

        async def staff(i: int, phone: str = phone) -> None:
            nonlocal errors
            try:
                await create_lead(actors[i], name=f"Khách {i}", phone=phone)
            except DomainError:
                pass  # "already exists": the expected answer for 4 of the 5
            except Exception as exc:  # anything else is a failure of the drill
                errors += 1
                print("staff error:", repr(exc)[:200])

        await asyncio.gather(*(staff(i) for i in range(5)))
        staff_dupes += await Lead.filter(phone=phone).count() > 1
        web_phone = f"0389{trial:06d}"

        async def visitor(i: int, phone: str = web_phone, trial: int = trial) -> None:
            nonlocal errors
            try:
                await engine.handle(ChatEvent(
                    channel="widget", external_user_id=f"v{trial}-{i}", chat_id=f"v{trial}-{i}",
                    text=f"sđt em {phone}", account_ref="web",
                ))  # fmt: skip
            except Exception as exc:
                errors += 1
                print("widget error:", repr(exc)[:200])

        await asyncio.gather(*(visitor(i) for i in range(5)))
        widget_dupes += await Lead.filter(phone=web_phone).count() > 1
    await close_db()
    print(f"{trials} trials on {url.split(':')[0]}: duplicate leads from 5 staff at once in "
          f"{staff_dupes}/{trials}, from 5 widget visitors at once in {widget_dupes}/{trials}; "
          f"unexpected errors: {errors}")  # fmt: skip
    return 1 if staff_dupes or widget_dupes or errors else 0


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--trials", type=int, default=20)
    args = ap.parse_args()
    logging.disable(logging.WARNING)  # "staff has no Telegram chat" notices are expected here
    url = os.environ.get("SPACRM_BENCH_DB_URL")
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["SPACRM_DATA_DIR"] = tmp
        sys.exit(asyncio.run(run(args.trials, url or f"sqlite://{tmp}/bench.sqlite3")))


if __name__ == "__main__":
    main()
