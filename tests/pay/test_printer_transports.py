"""The printer agent's other transports, against real endpoints on this machine: a TCP server on
127.0.0.1 standing in for a network printer (port 9100 on a real one) and a pseudo-terminal
standing in for a serial port. What arrives is decoded back into the bill image. USB needs a
real device (and pyusb), so it is not tested here."""

from __future__ import annotations

import asyncio
import os
import socket
import threading
import tty
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from spacrm.core.actors import Actor
from spacrm.core.models import Branch, PrintJob
from spacrm.core.services import printing
from spacrm.printer_agent.agent import Agent
from spacrm.printer_agent.device import open_target, print_png
from spacrm.reports.bill import BillData, BillLine, bill_png
from tests.fakes.escpos_decode import assert_prints

BILL = BillData(
    spa_name="Lotus Spa",
    branch_name="Chi nhánh Quận 1",
    number="HD2026-000077",
    day=date(2026, 11, 30),
    customer="Trần Thị Mai",
    lines=[BillLine("Massage body 5 buổi", 1, 1_500_000, 1_500_000)],
    discount=0,
    total=1_500_000,
    paid=1_500_000,
    outstanding=0,
    methods=["Tiền mặt"],
)


class TcpPrinter:
    """A listening socket that keeps every connection's bytes, as a network printer receives
    them (one connection per job)."""

    def __init__(self) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.jobs: list[bytes] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except TimeoutError:
                continue
            with conn:
                conn.settimeout(10)
                chunks = []
                while chunk := conn.recv(65536):
                    chunks.append(chunk)
                self.jobs.append(b"".join(chunks))

    def close(self) -> None:
        self._stop.set()
        self._thread.join(5)
        self.sock.close()


@pytest.fixture
def tcp_printer() -> Iterator[TcpPrinter]:
    printer = TcpPrinter()
    yield printer
    printer.close()


def _same_bill(raw: bytes, paper: str) -> None:
    assert_prints(raw, bill_png(BILL, paper))


async def test_agent_prints_over_tcp_like_a_network_printer(
    server: str, personas: dict[str, Actor], tcp_printer: TcpPrinter
) -> None:
    q1 = await Branch.get(code="q1")
    printer, token = await printing.add_printer(name="quay-q1-lan", paper="k80", branch_code="q1")
    job, _ = await printing.queue_print(
        personas["st_q1a1"], branch_id=q1.id, render=lambda paper: bill_png(BILL, paper),
        ref=BILL.number,
    )  # fmt: skip
    agent = Agent(server, token, f"network:127.0.0.1:{tcp_printer.port}", interval=0.05)
    assert await asyncio.to_thread(agent.run, once=True) == 1
    assert (await PrintJob.get(id=job.id)).status == "printed"
    for _ in range(100):  # the server thread stores the job once the agent closed the socket
        if tcp_printer.jobs:
            break
        await asyncio.sleep(0.02)
    assert len(tcp_printer.jobs) == 1
    _same_bill(tcp_printer.jobs[0], "k80")
    await printing.remove_printer(name=printer.name)


async def test_unreachable_network_printer_is_reported_failed(
    server: str, personas: dict[str, Actor]
) -> None:
    q1 = await Branch.get(code="q1")
    printer, token = await printing.add_printer(name="quay-q1-off", paper="k80", branch_code="q1")
    job, _ = await printing.queue_print(
        personas["st_q1a1"], branch_id=q1.id, render=lambda paper: bill_png(BILL, paper),
        ref="HD-OFF",
    )  # fmt: skip
    closed = socket.create_server(("127.0.0.1", 0))
    port = closed.getsockname()[1]
    closed.close()  # nothing listens there any more: connection refused, like a printer off
    agent = Agent(server, token, f"network:127.0.0.1:{port}", interval=0.01)
    with agent._client() as client:
        outcome = await asyncio.to_thread(agent.run_once, client)
    assert outcome == "failed"
    failed = await PrintJob.get(id=job.id)
    assert failed.status != "printed" and failed.attempts == 1
    assert "127.0.0.1" in (failed.last_error or "")
    await printing.remove_printer(name=printer.name)


def test_serial_target_writes_the_bill_to_the_port(tmp_path: Path) -> None:
    """A pty pair: the agent opens the slave side as its serial port (pyserial), the test reads
    the master side as the printer would."""
    master, slave = os.openpty()
    tty.setraw(master)
    tty.setraw(slave)
    device = os.ttyname(slave)
    received = bytearray()
    done = threading.Event()

    def read() -> None:
        while not done.is_set() or _readable(master):
            if _readable(master):
                try:
                    received.extend(os.read(master, 65536))
                except OSError:
                    return

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        print_png(open_target(f"serial:{device}:115200"), bill_png(BILL, "k57"))
    finally:
        done.set()
        reader.join(10)
        os.close(master)
        os.close(slave)
    _same_bill(bytes(received), "k57")


def _readable(fd: int) -> bool:
    import select

    return bool(select.select([fd], [], [], 0.05)[0])


def test_bad_target_specs_are_refused() -> None:
    for spec in ("network:", "serial:", "bluetooth:aa:bb", "nothing"):
        with pytest.raises(ValueError):
            open_target(spec)
