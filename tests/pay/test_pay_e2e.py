"""End to end: an order → "Gửi QR" (VietQR image for the outstanding amount) → the bank reports the
transfer through a signed SePay webhook on the real app → the order is paid with one receipt, the
seller is told → "In bill" → the printer agent prints it to a file."""

from __future__ import annotations

import asyncio
import io
import sys
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
import uvicorn
from PIL import Image
from pydantic import SecretStr

from spacrm.adapters.app.runtime import build_runtime
from spacrm.adapters.web.app import create_app
from spacrm.bot.engine import Engine
from spacrm.core.actors import Actor
from spacrm.core.models import (
    BankReview,
    Branch,
    CatalogItem,
    ChannelIdentity,
    Order,
    OutboxMessage,
    Package,
    PrintJob,
    Voucher,
)
from spacrm.core.ports import ports
from spacrm.core.services import printing
from spacrm.core.services.channels import staff_route
from spacrm.core.services.leads import create_lead
from spacrm.core.services.orders import OrderItemSpec, create_order
from spacrm.core.settings import Settings, reset_settings
from spacrm.core.vietqr import order_vietqr, parse_payload
from spacrm.intents.chat import ChatEvent, Reply
from spacrm.intents.texts import t
from spacrm.reports.qr import qr_png
from tests.conftest import new_phone
from tests.fakes import bank
from tests.fakes.escpos_decode import decode

SECRET = "e2e-sepay-secret"
CASSO_KEY = "e2e-casso-key"


@pytest.fixture
def bank_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("SPACRM_BANK_BIN", "970422")
    monkeypatch.setenv("SPACRM_BANK_ACCOUNT", "0123456789")
    reset_settings()
    ports.translate = t
    yield
    monkeypatch.delenv("SPACRM_BANK_BIN")
    monkeypatch.delenv("SPACRM_BANK_ACCOUNT")
    reset_settings()


@pytest.fixture
async def app_client(db: str, bank_env: None) -> AsyncIterator[httpx.AsyncClient]:
    runtime = build_runtime(
        Settings(sepay_hmac_secret=SecretStr(SECRET), casso_checksum_key=SecretStr(CASSO_KEY))
    )
    app = create_app(runtime)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as c:
        yield c


async def _order(actor: Actor, package: str = "GOI01") -> Order:
    lead = await create_lead(actor, name="Chị Lan Thanh Toán", phone=new_phone())
    pkg = await Package.get(code=package)
    return await create_order(actor, lead_id=lead.id, items=[OrderItemSpec(package_id=pkg.id)])


async def _press(actor: Actor, payload: str) -> list[Reply]:
    event = ChatEvent(
        channel="terminal",
        external_user_id=actor.login,
        chat_id=f"term:{actor.login}",
        payload=payload,
    )
    return await Engine("vi").handle(event, actor=actor)


async def test_order_qr_webhook_paid_bill_printed(
    app_client: httpx.AsyncClient, personas: dict[str, Actor], tmp_path: Path
) -> None:
    seller = personas["st_q1a1"]
    if (
        await staff_route(seller.user_id) is None
    ):  # linked on a chat channel (other tests may have done it)
        await ChannelIdentity.create(
            user_id=seller.user_id, channel="telegram", external_id="990001", chat_id="990001"
        )
    route = await staff_route(seller.user_id)
    assert route is not None
    order = await _order(seller)
    assert order.total == 2_500_000 and order.status == "confirmed"

    # "Gửi QR": the image is the VietQR payload for the outstanding amount, note = order code
    replies = await _press(seller, f"oq:{order.id}")
    assert len(replies) == 1 and len(replies[0].files) == 1
    name, png, mime = replies[0].files[0]
    assert mime == "image/png" and order.code in name and order.code in replies[0].text
    payload = order_vietqr(order.number, 2_500_000)
    assert payload is not None and png == qr_png(payload)
    parsed = parse_payload(payload)
    assert (parsed.amount, parsed.note, parsed.account, parsed.bank_bin) == (
        2_500_000,
        order.code,
        "0123456789",
        "970422",
    )
    Image.open(io.BytesIO(png)).verify()

    # the customer pays; the bank adds its own prefix and the sender's name to the note
    note = f"MBVCB.3278907687.{parsed.note}.CT tu 0011004455 NGUYEN THI LAN"
    body = bank.sepay_body(770001, parsed.amount or 0, note)
    # five deliveries at once (SePay retries, replays): one receipt, every one answered 200
    results = await asyncio.gather(*(bank.post_sepay(app_client, SECRET, body) for _ in range(5)))
    assert [r.status_code for r in results] == [200] * 5
    paid = await Order.get(id=order.id)
    assert (paid.status, paid.paid) == ("paid", 2_500_000)
    receipts = await Voucher.filter(order_id=order.id, kind="receipt")
    assert (
        len(receipts) == 1 and receipts[0].amount == 2_500_000 and receipts[0].method == "transfer"
    )
    told = [m.payload["text"] for m in await OutboxMessage.filter(chat_id=route[1])]
    assert any("2.500.000" in x and order.number in x for x in told)
    # a late replay a minute later changes nothing
    assert (await bank.post_sepay(app_client, SECRET, body)).status_code == 200
    assert await Voucher.filter(order_id=order.id, kind="receipt").count() == 1

    # "Gửi QR" on a paid order: nothing to pay
    again = await _press(seller, f"oq:{order.id}")
    assert not again[0].files and order.number in again[0].text

    # "In bill": the image in chat, and a job on the branch printer that the agent prints
    printer, token = await printing.add_printer(name="quay-e2e", paper="k80", branch_code="q1")
    bill = await _press(seller, f"op:{order.id}")
    assert bill[0].files and bill[0].files[0][2] == "image/png"
    assert "quay-e2e" in bill[1].text
    job = await PrintJob.filter(printer_id=printer.id).first()
    assert job is not None and job.ref == order.number

    spool = tmp_path / "bill.bin"
    # the agent is a separate process talking HTTP: serve the app on a loopback port for it
    srv = uvicorn.Server(
        uvicorn.Config(
            create_app(build_runtime(Settings())),
            host="127.0.0.1",
            port=0,
            log_level="warning",
            lifespan="off",
        )
    )
    task = asyncio.create_task(srv.serve())
    while not srv.started:
        await asyncio.sleep(0.01)
    url = f"http://127.0.0.1:{srv.servers[0].sockets[0].getsockname()[1]}"
    try:
        # the agent as the cashier's PC runs it: its own process, token and target on the command line
        proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "spacrm.printer_agent", "--server", url, "--token", token,
            "--printer", f"file:{spool}", "--once",
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        )  # fmt: skip
        out, err = await asyncio.wait_for(proc.communicate(), timeout=60)
        assert proc.returncode == 0, err.decode()
        assert "printed 1 job(s)" in out.decode()
    finally:
        srv.should_exit = True
        await task
    printed = decode(spool.read_bytes())
    assert printed.cuts == 1 and printed.images[0].width == 576
    assert (await PrintJob.get(id=job.id)).status == "printed"
    await printing.remove_printer(name=printer.name)


async def test_unmatched_transfers_go_to_review(
    app_client: httpx.AsyncClient, personas: dict[str, Actor]
) -> None:
    seller = personas["st_q1a1"]
    order = await _order(seller, "GOI02")
    before = await BankReview.all().count()
    for txn, amount, note in [
        (770101, 500_000, "chuyen tien an trua"),  # no code
        (770102, 9_000_000, f"{order.code}"),  # more than owed
        (770103, 100_000, f"{order.code} HD2026999998"),  # two codes
    ]:
        r = await bank.post_sepay(app_client, SECRET, bank.sepay_body(txn, amount, note))
        assert r.status_code == 200
    assert await BankReview.all().count() == before + 3
    assert (await Order.get(id=order.id)).paid == 0
    assert not await Voucher.filter(order_id=order.id).exists()


async def test_no_bank_account_or_printer_is_a_clear_reply(
    db: str, personas: dict[str, Actor], monkeypatch: pytest.MonkeyPatch
) -> None:
    ports.translate = t
    reset_settings()
    seller = personas["st_q1a1"]
    order = await _order(seller, "GOI02")
    qr = await _press(seller, f"oq:{order.id}")
    assert "SPACRM_BANK_BIN" in qr[0].text and not qr[0].files
    # no printer for the branch (and none for every branch): the bill is still shown
    assert not await printing.list_printers() or all(
        p.branch != "q1" for p in await printing.list_printers()
    )
    bill = await _press(seller, f"op:{order.id}")
    assert bill[0].files and "máy in" in bill[1].text
    # another branch's staff cannot see the order: a clear "not found", nothing queued
    outsider = personas["st_hda1"]
    before = await PrintJob.all().count()
    refused = await _press(outsider, f"op:{order.id}")
    assert not refused[0].files and await PrintJob.all().count() == before
    assert await CatalogItem.all().count() > 0 and await Branch.all().count() > 0


async def test_casso_v2_pays_in_two_parts(
    app_client: httpx.AsyncClient, personas: dict[str, Actor]
) -> None:
    order = await _order(personas["st_q1a1"], "GOI04")  # 1.500.000
    for txn, amount in [(880001, 500_000), (880002, 1_000_000)]:
        body = bank.casso_body(txn, amount, f"NGUYEN THI LAN chuyển khoản {order.number.lower()}")
        for _ in range(2):  # each delivered twice
            r = await app_client.post(
                "/webhooks/bank/casso",
                content=bank.dumps(body),
                headers=bank.casso_headers(CASSO_KEY, body),
            )
            assert r.status_code == 200
        status = (await Order.get(id=order.id)).status
        assert status == ("partly_paid" if txn == 880001 else "paid")
    receipts = await Voucher.filter(order_id=order.id, kind="receipt").order_by("id")
    assert [v.amount for v in receipts] == [500_000, 1_000_000]


async def test_transfer_into_another_account_is_not_applied(
    app_client: httpx.AsyncClient, personas: dict[str, Actor]
) -> None:
    """SPACRM_BANK_ACCOUNT is 0123456789 here: a signed SePay credit to another account of the
    same SePay user, naming a real order with the right amount, is acknowledged (200) but
    recorded for review only."""
    order = await _order(personas["st_q1a1"], "GOI04")
    body = bank.sepay_body(770201, 1_500_000, order.code, account="5555555555")
    r = await bank.post_sepay(app_client, SECRET, body)
    assert r.status_code == 200
    review = await BankReview.get(order_id=order.id)
    assert review.reason == "other_account" and review.status == "open"
    assert (await Order.get(id=order.id)).paid == 0
    assert not await Voucher.filter(order_id=order.id).exists()
    ok = await bank.post_sepay(app_client, SECRET, bank.sepay_body(770202, 1_500_000, order.code))
    assert ok.status_code == 200 and (await Order.get(id=order.id)).status == "paid"
