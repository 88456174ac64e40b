"""The same slot booked from several chats at the same moment: exactly one wins, the others are
told it is taken. In one process (a pool of connections on PostgreSQL) and from several processes."""

from __future__ import annotations

import asyncio
import os
import sys
import time
from pathlib import Path

from spacrm.core.errors import DomainError, ErrorCode
from spacrm.core.models import Appointment
from spacrm.core.services import bookings
from tests.bookings.conftest import THU, Spa, at

ROOT = Path(__file__).resolve().parents[2]


async def test_same_slot_from_many_chats_one_wins(spa: Spa) -> None:
    leads = [await spa.lead(f"K{i}") for i in range(6)]
    hoa, mai = spa.techs[0].id, spa.techs[1].id

    async def book(lead_id: int, tech: int) -> int | ErrorCode:
        try:
            booked = await bookings.book_appointment(
                spa.desk, lead_id=lead_id, service_id=spa.facial.id, starts_at=at(THU, "15:00"),
                technician_id=tech,
            )  # fmt: skip
            return booked.appointment.id
        except DomainError as exc:
            return exc.code

    # Same technician, and (Phòng 1 has one bed) the other technician competing for the room.
    results = await asyncio.gather(
        *(book(lead.id, hoa if i % 2 else mai) for i, lead in enumerate(leads))
    )
    winners = [r for r in results if isinstance(r, int)]
    assert len(winners) == 1, results
    assert all(
        r in (ErrorCode.SLOT_TAKEN, ErrorCode.NO_ROOM) for r in results if not isinstance(r, int)
    )
    held = await Appointment.filter(site_branch_id=spa.branch.id, status="booked")
    assert [a.id for a in held] == winners


async def test_same_slot_from_several_processes(spa: Spa, db: str) -> None:
    leads = [await spa.lead(f"P{i}") for i in range(4)]
    go_at = time.time() + 3.0  # every process connects first, then all book at this instant
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    procs = [
        await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "tests.bookings.book_worker",
            db,
            spa.desk.login,
            str(lead.id),
            str(spa.facial.id),
            str(spa.techs[0].id),
            at(THU, "16:00").isoformat(),
            str(go_at),
            cwd=str(ROOT),
            env=env,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        for lead in leads
    ]
    outs = [await p.communicate() for p in procs]
    lines = [o.decode().strip() for o, _ in outs]
    assert all(p.returncode == 0 for p in procs), [e.decode()[-800:] for _, e in outs]
    assert sorted(line.split()[0] for line in lines) == ["err", "err", "err", "ok"], lines
    assert all(line == "err slot_taken" for line in lines if line.startswith("err")), lines
    held = await Appointment.filter(site_branch_id=spa.branch.id, status="booked")
    assert len(held) == 1 and f"ok {held[0].id}" in lines
