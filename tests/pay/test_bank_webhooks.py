"""Bank webhooks: who is believed (signatures, API key, staleness) and what is parsed."""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI
from pydantic import SecretStr

from spacrm.adapters.bank import BankTransfer, casso, sepay
from spacrm.adapters.bank.router import register
from spacrm.core.settings import Settings
from tests.fakes import bank

SEPAY_SECRET = "sepay-hmac-secret"
SEPAY_KEY = "sepay-api-key"
CASSO_KEY = "casso-checksum-key"
CASSO_TOKEN = "casso-v1-token"


@pytest.fixture
async def hook() -> AsyncIterator[tuple[httpx.AsyncClient, list[BankTransfer]]]:
    settings = Settings(
        sepay_api_key=SecretStr(SEPAY_KEY),
        sepay_hmac_secret=SecretStr(SEPAY_SECRET),
        casso_checksum_key=SecretStr(CASSO_KEY),
        casso_secure_token=SecretStr(CASSO_TOKEN),
    )
    seen: list[BankTransfer] = []

    async def apply(transfer: BankTransfer) -> None:
        seen.append(transfer)

    app = FastAPI()
    register(app, settings, apply)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        yield client, seen


def test_casso_published_vector() -> None:
    """The sample in Casso's docs (key, t, v1) verifies with our canonical JSON."""
    body = {
        "error": 0,
        "data": {
            "id": 0, "reference": "MA_GIAO_DICH_THU_NGHIEM", "description": "giao dich thu nghiem",
            "amount": 599000, "runningBalance": 25000000, "transactionDateTime": "2024-10-03 15:06:37",
            "accountNumber": "88888888", "bankName": "VPBank", "bankAbbreviation": "VPB",
            "virtualAccountNumber": "", "virtualAccountName": "", "counterAccountName": "NGUYEN VAN A",
            "counterAccountNumber": "8888888888", "counterAccountBankId": "970415",
            "counterAccountBankName": "VietinBank",
        },
    }  # fmt: skip
    key = "mgExMrjj4i7a1p8Cs6LmFbpCd8lbw4sSX4LZXPag7TKazeIogtR90tvWYTkwQbvs"
    header = (
        "t=1727948258788,v1=ed0a4bd2e826d5cb69988cdb141e6c1a080e21f3b57eb72cd78192220042b9e7dde0868fc66"
        "7faea8e224900fa7904e7c88dfa098032fb2d6b6996856e8b7ff3"
    )
    assert casso.sign(key, 1727948258788, body) == header
    stale_ok = 10**9  # the vector is from 2024: allow any age here
    casso.verify(
        {"x-casso-signature": header},
        json.dumps(body).encode(),
        checksum_key=key,
        secure_token=None,
        max_age=stale_ok,
    )


async def test_sepay_hmac_good_forged_stale(
    hook: tuple[httpx.AsyncClient, list[BankTransfer]],
) -> None:
    client, seen = hook
    body = bank.sepay_body(
        92704, 1_500_000, "MBVCB.3278907687.HD2026000123.CT tu 0123 NGUYEN THI LAN"
    )
    ok = await bank.post_sepay(client, SEPAY_SECRET, body)
    assert ok.status_code == 200 and ok.json() == {"success": True}
    assert len(seen) == 1
    t = seen[0]
    assert (t.provider, t.provider_id, t.amount, t.incoming) == ("sepay", "92704", 1_500_000, True)
    assert "HD2026000123" in t.note and t.account == "0123456789"
    assert t.received_at.utcoffset() is not None and t.reference == "FT0000092704"

    forged = await bank.post_sepay(client, "not-the-secret", body)
    assert forged.status_code == 401
    stale = await bank.post_sepay(client, SEPAY_SECRET, body, at=int(time.time()) - 3600)
    assert stale.status_code == 401
    # a body changed after signing
    raw = bank.dumps(body)
    headers = bank.sepay_headers(SEPAY_SECRET, raw)
    tampered = raw.replace(b"1500000", b"9500000")
    assert (
        await client.post("/webhooks/bank/sepay", content=tampered, headers=headers)
    ).status_code == 401
    # no credentials at all
    assert (await client.post("/webhooks/bank/sepay", content=raw)).status_code == 401
    assert len(seen) == 1


async def test_sepay_api_key_and_odd_headers(
    hook: tuple[httpx.AsyncClient, list[BankTransfer]],
) -> None:
    client, seen = hook
    raw = bank.dumps(bank.sepay_body(5, 200_000, "HD2026000001"))
    good = await client.post(
        "/webhooks/bank/sepay", content=raw, headers={"Authorization": f"Apikey {SEPAY_KEY}"}
    )
    assert good.status_code == 200 and len(seen) == 1
    for value in [
        b"Apikey wrong",
        b"Apikey kh\xf4ng-\xe9\xe9",
        b"Bearer " + SEPAY_KEY.encode(),
        b"Apikey",
    ]:
        r = await client.post(
            "/webhooks/bank/sepay", content=raw, headers=[(b"authorization", value)]
        )
        assert r.status_code == 401, value
    bad_sig = [
        (b"x-sepay-signature", "sha256=ừ".encode()),
        (b"x-sepay-timestamp", "１２３".encode()),
    ]
    assert (
        await client.post("/webhooks/bank/sepay", content=raw, headers=bad_sig)
    ).status_code == 401
    assert len(seen) == 1


async def test_sepay_out_and_malformed(hook: tuple[httpx.AsyncClient, list[BankTransfer]]) -> None:
    client, seen = hook
    out = await bank.post_sepay(
        client, SEPAY_SECRET, bank.sepay_body(7, 300_000, "HD2026000001", kind="out")
    )
    assert out.status_code == 200 and seen == []
    for body in [
        b"not json",
        b"[]",
        b'{"transferAmount": 5}',
        b'{"id": 9, "transferAmount": "1tr5"}',
    ]:
        r = await client.post(
            "/webhooks/bank/sepay", content=body, headers=bank.sepay_headers(SEPAY_SECRET, body)
        )
        assert r.status_code == 400, body
    assert seen == []


async def test_casso_v2_good_forged_stale(
    hook: tuple[httpx.AsyncClient, list[BankTransfer]],
) -> None:
    client, seen = hook
    body = bank.casso_body(4411, 2_500_000, "NGUYEN THI LAN chuyển tiền HD2026/000124")
    raw = bank.dumps(body)  # non-ASCII and "/" in the description
    r = await client.post(
        "/webhooks/bank/casso", content=raw, headers=bank.casso_headers(CASSO_KEY, body)
    )
    assert r.status_code == 200 and len(seen) == 1
    assert (seen[0].provider, seen[0].provider_id, seen[0].amount) == ("casso", "4411", 2_500_000)
    # the PHP-style escaped form that Casso's sample signs is also accepted
    php = casso._php_json(body)
    stamp = int(time.time() * 1000)
    import hashlib
    import hmac

    v1 = hmac.new(CASSO_KEY.encode(), f"{stamp}.{php}".encode(), hashlib.sha512).hexdigest()
    r = await client.post(
        "/webhooks/bank/casso", content=raw, headers={"X-Casso-Signature": f"t={stamp},v1={v1}"}
    )
    assert r.status_code == 200 and len(seen) == 2

    forged = bank.casso_headers("wrong-key", body)
    assert (
        await client.post("/webhooks/bank/casso", content=raw, headers=forged)
    ).status_code == 401
    stale = bank.casso_headers(CASSO_KEY, body, at_ms=int(time.time() * 1000) - 3_600_000)
    assert (
        await client.post("/webhooks/bank/casso", content=raw, headers=stale)
    ).status_code == 401
    for header in ["t=abc,v1=00", "garbage", "t=1,v1=" + "z" * 128]:
        r = await client.post(
            "/webhooks/bank/casso", content=raw, headers={"X-Casso-Signature": header}
        )
        assert r.status_code == 401
    assert len(seen) == 2


async def test_casso_v1_token_and_test_call(
    hook: tuple[httpx.AsyncClient, list[BankTransfer]],
) -> None:
    client, seen = hook
    v1 = {"error": 0, "data": [
        {"id": 101, "tid": "FT1", "description": "HD2026000125 thanh toan", "amount": 500000,
         "when": "2026-11-30 10:00:00", "bank_sub_acc_id": "0123456789"},
        {"id": 102, "tid": "FT2", "description": "rut tien", "amount": -200000,
         "when": "2026-11-30 10:01:00", "bank_sub_acc_id": "0123456789"},
    ]}  # fmt: skip
    raw = json.dumps(v1).encode()
    r = await client.post(
        "/webhooks/bank/casso", content=raw, headers={"secure-token": CASSO_TOKEN}
    )
    assert r.status_code == 200
    assert [(t.provider_id, t.amount) for t in seen] == [("101", 500000)]
    r = await client.post("/webhooks/bank/casso", content=raw, headers={"secure-token": "nope"})
    assert r.status_code == 401
    test_call = bank.casso_body(0, 599000, "giao dich thu nghiem")
    r = await client.post(
        "/webhooks/bank/casso",
        content=bank.dumps(test_call),
        headers=bank.casso_headers(CASSO_KEY, test_call),
    )
    assert r.status_code == 200 and len(seen) == 1


async def test_unconfigured_hook_refuses() -> None:
    app = FastAPI()

    async def apply(transfer: BankTransfer) -> None:
        raise AssertionError("must not be called")

    register(app, Settings(), apply)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as c:
        raw = bank.dumps(bank.sepay_body(1, 1000, "x"))
        assert (
            await c.post("/webhooks/bank/sepay", content=raw, headers=bank.sepay_headers("", raw))
        ).status_code == 401
        assert (
            await c.post("/webhooks/bank/casso", content=raw, headers={"secure-token": ""})
        ).status_code == 401


async def test_failure_on_our_side_asks_for_retry() -> None:
    app = FastAPI()

    async def apply(transfer: BankTransfer) -> None:
        raise RuntimeError("database down")

    register(app, Settings(sepay_hmac_secret=SecretStr(SEPAY_SECRET)), apply)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as c:
        r = await bank.post_sepay(c, SEPAY_SECRET, bank.sepay_body(3, 1000, "HD2026000001"))
        assert r.status_code == 500


def test_sepay_sign_matches_definition() -> None:
    import hashlib
    import hmac

    body = b'{"id":1}'
    expected = hmac.new(b"k", b"1700000000." + body, hashlib.sha256).hexdigest()
    assert sepay.sign("k", 1700000000, body) == "sha256=" + expected
