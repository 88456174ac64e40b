"""One process booking one slot (for the multi-process race test): waits until a shared start
instant, books, prints "ok <id>" or "err <code>"."""

from __future__ import annotations

import asyncio
import sys
import time
from datetime import UTC, datetime

from spacrm.core import clock
from spacrm.core.db import close_db, init_db
from spacrm.core.errors import DomainError
from spacrm.core.models import User
from spacrm.core.services.bookings import book_appointment
from spacrm.core.services.users import actor_for


async def main(url: str, login: str, lead_id: int, service_id: int, tech_id: int, start: str,
               go_at: float) -> None:  # fmt: skip
    clock.freeze(datetime(2026, 11, 25, 10, 0))
    await init_db(url, upgrade=False)
    try:
        actor = await actor_for(await User.get(login=login))
        time.sleep(max(0.0, go_at - time.time()))
        try:
            booked = await book_appointment(
                actor, lead_id=lead_id, service_id=service_id, technician_id=tech_id,
                starts_at=datetime.fromisoformat(start).astimezone(UTC),
            )  # fmt: skip
            print("ok", booked.appointment.id)
        except DomainError as exc:
            print("err", exc.code.value)
    finally:
        await close_db()


if __name__ == "__main__":
    a = sys.argv[1:]
    asyncio.run(main(a[0], a[1], int(a[2]), int(a[3]), int(a[4]), a[5], float(a[6])))
