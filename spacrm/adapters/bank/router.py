"""POST /webhooks/bank/sepay and /webhooks/bank/casso: verify, parse, hand each credited transfer to
the ledger. 401 for a forged or stale request, 400 for a signed body we cannot read, 200 for
everything else (a duplicate, an outgoing transfer, Casso's "test call"), 500 only when our side
failed, so the provider retries (SePay retries 7 times over ~33 minutes)."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.responses import JSONResponse

from spacrm.adapters.bank import BankTransfer, Malformed, Rejected, casso, sepay
from spacrm.core.settings import Settings

log = logging.getLogger(__name__)

Apply = Callable[[BankTransfer], Awaitable[Any]]


def _secret(value: Any) -> str | None:
    return value.get_secret_value() if value is not None else None


async def _apply_each(apply: Apply, transfers: list[BankTransfer]) -> JSONResponse:
    for transfer in transfers:
        if not transfer.incoming or transfer.amount <= 0 or transfer.provider_id == "0":
            continue  # money out, or Casso's "call test" (id 0): acknowledged, nothing to record
        try:
            await apply(transfer)
        except Exception:
            log.exception(
                "bank transfer %s/%s not applied", transfer.provider, transfer.provider_id
            )
            return JSONResponse({"success": False}, status_code=500)
    return JSONResponse({"success": True})


def ledger(kick: Callable[[], None] = lambda: None) -> Apply:
    """The real Apply: the transfer becomes a receipt (or a review row) in one transaction; the
    chat notices it queued go out right after (kick the outbox)."""
    from spacrm.core.services.bank_transfers import apply_bank_transfer

    async def apply(t: BankTransfer) -> Any:
        outcome = await apply_bank_transfer(
            provider=t.provider,
            provider_id=t.provider_id,
            amount=t.amount,
            note=t.note,
            account=t.account,
            received_at=t.received_at,
            raw=t.raw,
        )
        if outcome.status in ("matched", "review"):
            kick()
        return outcome

    return apply


def register(app: FastAPI, settings: Settings, apply: Apply) -> None:
    @app.post("/webhooks/bank/sepay")
    async def sepay_webhook(request: Request) -> Response:
        body = await request.body()
        try:
            sepay.verify(
                request.headers,
                body,
                api_key=_secret(settings.sepay_api_key),
                hmac_secret=_secret(settings.sepay_hmac_secret),
                max_age=settings.bank_webhook_max_age,
            )
            transfers = [sepay.parse(body)]
        except Rejected as exc:
            log.warning("SePay webhook refused: %s", exc)
            return JSONResponse({"success": False, "error": "unauthorized"}, status_code=401)
        except Malformed as exc:
            return JSONResponse({"success": False, "error": str(exc)}, status_code=400)
        return await _apply_each(apply, transfers)

    @app.post("/webhooks/bank/casso")
    async def casso_webhook(request: Request) -> Response:
        body = await request.body()
        try:
            casso.verify(
                request.headers,
                body,
                checksum_key=_secret(settings.casso_checksum_key),
                secure_token=_secret(settings.casso_secure_token),
                max_age=settings.bank_webhook_max_age,
            )
            transfers = casso.parse(body)
        except Rejected as exc:
            log.warning("Casso webhook refused: %s", exc)
            return JSONResponse({"success": False, "error": "unauthorized"}, status_code=401)
        except Malformed as exc:
            return JSONResponse({"success": False, "error": str(exc)}, status_code=400)
        return await _apply_each(apply, transfers)
