"""One scheduler process sending the day digests (for the two-process test): waits until a shared
start instant, runs one tick, prints how many digests it queued."""

from __future__ import annotations

import asyncio
import sys
import time
from datetime import datetime

from spacrm.bot.day_digest import send_day_digests
from spacrm.core import clock
from spacrm.core.db import close_db, init_db
from spacrm.core.ports import ports
from spacrm.intents.texts import t


async def main(url: str, now: str, go_at: float) -> None:
    clock.freeze(datetime.fromisoformat(now))
    ports.translate = t
    await init_db(url, upgrade=False)
    try:
        time.sleep(max(0.0, go_at - time.time()))
        print(await send_day_digests())
    finally:
        await close_db()


if __name__ == "__main__":
    a = sys.argv[1:]
    asyncio.run(main(a[0], a[1], float(a[2])))
