"""A bank-transfer webhook sender that signs exactly as SePay and Casso do (protocols/payments.md §2),
for tests, the bench and the README curl line. It posts to our real app over HTTP."""

from __future__ import annotations

import json
import time
from typing import Any

import httpx

from spacrm.adapters.bank import casso, sepay


def sepay_body(
    txn_id: int, amount: int, content: str, *, account: str = "0123456789", kind: str = "in"
) -> dict[str, Any]:
    return {
        "id": txn_id,
        "gateway": "MBBank",
        "transactionDate": "2026-11-30 09:15:00",
        "accountNumber": account,
        "code": None,
        "content": content,
        "transferType": kind,
        "transferAmount": amount,
        "accumulated": 50_000_000,
        "subAccount": None,
        "referenceCode": f"FT{txn_id:010d}",
        "description": f"BankAPINotify {content}",
    }


def sepay_headers(secret: str, body: bytes, *, at: int | None = None) -> dict[str, str]:
    stamp = int(time.time()) if at is None else at
    return {
        "Content-Type": "application/json",
        "X-SePay-Timestamp": str(stamp),
        "X-SePay-Signature": sepay.sign(secret, stamp, body),
    }


def casso_body(txn_id: int, amount: int, description: str) -> dict[str, Any]:
    return {
        "error": 0,
        "data": {
            "id": txn_id,
            "reference": f"FT{txn_id:010d}",
            "description": description,
            "amount": amount,
            "runningBalance": 25_000_000,
            "transactionDateTime": "2026-11-30 09:15:00",
            "accountNumber": "0123456789",
            "bankName": "MBBank",
            "bankAbbreviation": "MB",
            "virtualAccountNumber": "",
            "virtualAccountName": "",
            "counterAccountName": "NGUYEN THI LAN",
            "counterAccountNumber": "8888888888",
            "counterAccountBankId": "970415",
            "counterAccountBankName": "VietinBank",
        },
    }


def casso_headers(key: str, body: dict[str, Any], *, at_ms: int | None = None) -> dict[str, str]:
    stamp = int(time.time() * 1000) if at_ms is None else at_ms
    return {"Content-Type": "application/json", "X-Casso-Signature": casso.sign(key, stamp, body)}


def dumps(body: dict[str, Any]) -> bytes:
    return json.dumps(body, ensure_ascii=False).encode()


async def post_sepay(
    client: httpx.AsyncClient, secret: str, body: dict[str, Any], *, at: int | None = None
) -> httpx.Response:
    raw = dumps(body)
    return await client.post(
        "/webhooks/bank/sepay", content=raw, headers=sepay_headers(secret, raw, at=at)
    )
