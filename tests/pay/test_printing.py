"""Print jobs end to end: `printers add` token → the real agent pulls over HTTP → prints to a FILE →
the ESC/POS raster decoded back equals the bill image; failures retried, then the cashier is told."""

from __future__ import annotations

import asyncio
import io
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest
from PIL import Image

from spacrm.core.actors import Actor
from spacrm.core.errors import DomainError, ErrorCode
from spacrm.core.models import Branch, ChannelIdentity, OutboxMessage, PrintJob
from spacrm.core.services import printing
from spacrm.core.services.channels import staff_route
from spacrm.core.vietqr import vietqr_payload
from spacrm.printer_agent.agent import Agent
from spacrm.reports.bill import BillData, BillLine, bill_png
from tests.fakes.escpos_decode import assert_prints

BILL = BillData(
    spa_name="Lotus Spa",
    branch_name="Chi nhánh Quận 1",
    number="HD2026-000042",
    day=date(2026, 11, 30),
    customer="Nguyễn Thị Ngọc Hương",
    lines=[BillLine("Triệt lông nách 10 buổi", 1, 2_500_000, 2_500_000)],
    discount=0,
    total=2_500_000,
    paid=2_500_000,
    outstanding=0,
    methods=["Chuyển khoản"],
)


async def _printer(name: str, paper: str = "k80") -> tuple[Any, str]:
    q1 = await Branch.get(code="q1")
    return await printing.add_printer(name=name, paper=paper, branch_code=q1.code)


async def _queue(actor: Actor, ref: str) -> PrintJob:
    q1 = await Branch.get(code="q1")
    job, _ = await printing.queue_print(
        actor, branch_id=q1.id, render=lambda paper: bill_png(BILL, paper), ref=ref
    )
    return job


async def test_agent_prints_to_file_and_raster_matches(
    server: str, personas: dict[str, Actor], tmp_path: Path
) -> None:
    printer, token = await _printer("quay-q1-file", "k57")
    job = await _queue(personas["st_q1a1"], "HD2026-000042")
    spool = tmp_path / "spool.bin"
    agent = Agent(server, token, f"file:{spool}", interval=0.05)
    printed = await asyncio.to_thread(agent.run, once=True)
    assert printed == 1
    assert (await PrintJob.get(id=job.id)).status == "printed"

    assert assert_prints(spool.read_bytes(), bill_png(BILL, "k57")).width == 384
    # nothing else waits; a second run prints nothing and the spool keeps the first job
    assert await asyncio.to_thread(agent.run, once=True) == 0
    await printing.remove_printer(name=printer.name)


async def test_token_auth_and_ownership(server: str, personas: dict[str, Actor]) -> None:
    printer, token = await _printer("quay-q1-auth")
    other, other_token = await printing.add_printer(name="quay-any-auth")
    job = await _queue(personas["st_q1a1"], "HD-A")
    async with httpx.AsyncClient(base_url=server) as c:
        bads = [b"", b"Bearer nope", ("Bearer " + token[:-1]).encode(), ("Basic " + token).encode()]
        for bad in [*bads, "Bearer tôi".encode()]:
            r = await c.post(
                "/printer/jobs/claim", headers=[(b"authorization", bad)] if bad else []
            )
            assert r.status_code == 401, bad
        # another printer's token cannot confirm this printer's job
        r = await c.post(
            f"/printer/jobs/{job.id}/done", headers={"Authorization": f"Bearer {other_token}"}
        )
        assert r.status_code == 404
        auth = {"Authorization": f"Bearer {token}"}
        r = await c.post("/printer/jobs/claim", headers=auth)
        assert r.status_code == 200 and r.json()["job"]["id"] == job.id
        assert r.json()["job"]["paper"] == "k80"
        # claimed: not handed out again while the lease runs
        assert (await c.post("/printer/jobs/claim", headers=auth)).status_code == 204
        for _ in range(2):  # confirming twice is harmless
            r = await c.post(f"/printer/jobs/{job.id}/done", headers=auth)
            assert r.status_code == 200 and r.json()["status"] == "printed"
    await printing.remove_printer(name=printer.name)
    await printing.remove_printer(name=other.name)
    # a removed printer's token no longer works
    assert await printing.printer_for_token(token) is None


async def test_failures_retry_then_cashier_is_told(server: str, personas: dict[str, Actor]) -> None:
    actor = personas["st_q1a2"]
    if (
        await staff_route(actor.user_id) is None
    ):  # linked on a chat channel (other tests may have done it)
        await ChannelIdentity.create(
            user_id=actor.user_id, channel="telegram", external_id="990002", chat_id="990002"
        )
    route = await staff_route(actor.user_id)
    assert route is not None
    chat = route[1]
    seen = await OutboxMessage.filter(chat_id=chat).count()  # earlier tests may have chatted there
    printer, token = await _printer("quay-q1-jam")
    job = await _queue(actor, "HD2026-000099")

    def jammed(spec: str) -> Any:
        raise OSError("hết giấy")

    agent = Agent(server, token, "file:/nonexistent", interval=0.01, opener=jammed)
    with httpx.Client(base_url=server, headers={"Authorization": f"Bearer {token}"}) as client:
        assert await asyncio.to_thread(agent.run_once, client) == "failed"
        row = await PrintJob.get(id=job.id)
        assert (row.status, row.attempts) == ("queued", 1)  # retried
        assert await OutboxMessage.filter(chat_id=chat).count() == seen
        assert await asyncio.to_thread(agent.run_once, client) == "failed"
        assert await asyncio.to_thread(agent.run_once, client) == "failed"
        assert await asyncio.to_thread(agent.run_once, client) == "idle"
    row = await PrintJob.get(id=job.id)
    assert (row.status, row.attempts) == ("failed", 3) and "hết giấy" in (row.last_error or "")
    told = await OutboxMessage.filter(chat_id=chat).order_by("id").offset(seen)
    assert len(told) == 1
    assert "quay-q1-jam" in told[0].payload["text"] and "HD2026-000099" in told[0].payload["text"]
    assert "hết giấy" in told[0].payload["text"]
    await printing.remove_printer(name=printer.name)


async def test_stale_claim_is_handed_out_again(db: str, personas: dict[str, Actor]) -> None:
    from datetime import timedelta

    from spacrm.core import clock

    printer, _ = await _printer("quay-q1-lease")
    job = await _queue(personas["st_q1a1"], "HD-L")
    assert (await printing.claim_job(printer)) is not None
    assert await printing.claim_job(printer) is None
    await PrintJob.filter(id=job.id).update(
        claimed_at=clock.now() - printing.CLAIM_LEASE - timedelta(seconds=1)
    )
    again = await printing.claim_job(printer)
    assert again is not None and again.id == job.id
    await printing.remove_printer(name=printer.name)


async def test_printer_setup_bad_input(db: str, personas: dict[str, Actor]) -> None:
    with pytest.raises(DomainError) as e:
        await printing.add_printer(name="x", paper="a4")
    assert e.value.code == ErrorCode.INVALID_VALUE
    with pytest.raises(DomainError):
        await printing.add_printer(name="  ")
    with pytest.raises(DomainError):
        await printing.add_printer(name="y", branch_code="nowhere")
    p, _ = await printing.add_printer(name="dup-printer")
    with pytest.raises(DomainError):
        await printing.add_printer(name="dup-printer")
    with pytest.raises(DomainError):
        await printing.remove_printer(name="no-such-printer")
    await printing.remove_printer(name=p.name)
    # no printer at all for the branch → a clear error, no job written
    before = await PrintJob.all().count()
    with pytest.raises(DomainError) as e:
        await _queue(personas["st_q1a1"], "HD-N")
    assert e.value.code == ErrorCode.NO_PRINTER and await PrintJob.all().count() == before


async def test_pressing_print_again_while_waiting_keeps_one_job(
    db: str, personas: dict[str, Actor]
) -> None:
    printer, _ = await _printer("quay-q1-twice")
    first = await _queue(personas["st_q1a1"], "HD-TWICE")
    second = await _queue(personas["st_q1a2"], "HD-TWICE")
    assert first.id == second.id
    assert await PrintJob.filter(printer_id=printer.id).count() == 1
    assert (await PrintJob.get(id=first.id)).requested_by_id == personas["st_q1a2"].user_id
    # once printed, a new press is a reprint: a new job
    await printing.confirm_job(printer, first.id)
    third = await _queue(personas["st_q1a1"], "HD-TWICE")
    assert third.id != first.id
    await printing.remove_printer(name=printer.name)


def test_tall_bill_is_sent_in_fragments_and_decodes_whole() -> None:
    from escpos.printer import Dummy

    from spacrm.printer_agent.device import print_png

    lines = [
        BillLine(f"Dịch vụ số {n} — chăm sóc da chuyên sâu", 1, 350_000, 350_000) for n in range(40)
    ]
    tall = replace(BILL, lines=lines, total=14_000_000, paid=0, outstanding=14_000_000,
                   vietqr=vietqr_payload(bank_bin="970422", account="0123456789", amount=14_000_000))  # fmt: skip
    png = bill_png(tall, "k80")
    assert Image.open(io.BytesIO(png)).height > 960  # more than one GS v 0 fragment

    class Keep(Dummy):  # type: ignore[misc]
        def close(self) -> None:
            pass

    dummy = Keep()
    print_png(dummy, png)
    assert dummy.output.count(b"\x1dv0") >= 2
    assert_prints(dummy.output, png)


async def test_agent_waits_between_retries_then_gives_up(
    server: str, personas: dict[str, Actor], monkeypatch: pytest.MonkeyPatch
) -> None:
    printer, token = await _printer("quay-q1-off")
    job = await _queue(personas["st_q1a1"], "HD-OFF")
    sleeps: list[float] = []

    def unplugged(spec: str) -> Any:
        raise OSError("USB device not found")

    agent = Agent(server, token, "usb:0416:5011", interval=0.01, opener=unplugged)
    import spacrm.printer_agent.agent as agent_module

    real_sleep = agent_module.time.sleep

    def spy(seconds: float) -> None:
        sleeps.append(seconds)
        real_sleep(seconds)

    monkeypatch.setattr(agent_module.time, "sleep", spy)
    assert await asyncio.to_thread(agent.run, once=True) == 0
    row = await PrintJob.get(id=job.id)
    assert (row.status, row.attempts) == ("failed", 3)
    assert sleeps == [0.02, 0.04, 0.08]  # growing pauses, not three tries in a blink
    await printing.remove_printer(name=printer.name)
