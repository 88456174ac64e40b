"""The printer agent's HTTP API. Each printer has its own bearer token (`spacrm printers add`).

POST /printer/jobs/claim          → 200 {"job": {...}} or 204 when nothing waits
POST /printer/jobs/{id}/done      → 200 (idempotent)
POST /printer/jobs/{id}/failed    → 200 {"status": "queued" | "failed"}; after the last attempt
                                     the person who asked for the print is told in chat."""

from __future__ import annotations

import base64
from collections.abc import Callable
from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.responses import JSONResponse

from spacrm.core.errors import DomainError
from spacrm.core.models import Printer, PrintJob
from spacrm.core.services import printing
from spacrm.core.settings import Settings
from spacrm.intents.texts import t

MAX_ERROR = 300


def _token(request: Request) -> str:
    auth = request.headers.get("authorization", "")
    return auth[7:].strip() if auth[:7].lower() == "bearer " else ""


def _notice(lang: str, job: PrintJob, printer: Printer) -> str:
    return t(
        lang,
        "print.failed",
        printer=printer.name,
        ref=job.ref or f"#{job.id}",
        attempts=job.attempts,
        error=job.last_error or "?",
    )


def register(app: FastAPI, settings: Settings, kick: Callable[[], None] = lambda: None) -> None:
    async def authed(request: Request) -> Printer | None:
        return await printing.printer_for_token(_token(request))

    unauthorized = JSONResponse({"error": "unauthorized"}, status_code=401)

    @app.post("/printer/jobs/claim")
    async def claim(request: Request) -> Response:
        printer = await authed(request)
        if printer is None:
            return unauthorized
        job = await printing.claim_job(printer)
        if job is None:
            return Response(status_code=204)
        body: dict[str, Any] = {
            "id": job.id,
            "kind": job.kind,
            "ref": job.ref,
            "paper": printer.paper,
            "attempt": job.attempts + 1,
            "image_png_b64": base64.b64encode(bytes(job.image)).decode(),
        }
        return JSONResponse({"job": body})

    @app.post("/printer/jobs/{job_id}/done")
    async def done(job_id: int, request: Request) -> Response:
        printer = await authed(request)
        if printer is None:
            return unauthorized
        try:
            job = await printing.confirm_job(printer, job_id)
        except DomainError:
            return JSONResponse({"error": "not found"}, status_code=404)
        return JSONResponse({"status": job.status})

    @app.post("/printer/jobs/{job_id}/failed")
    async def failed(job_id: int, request: Request) -> Response:
        printer = await authed(request)
        if printer is None:
            return unauthorized
        try:
            payload = await request.json()
        except ValueError:
            payload = {}
        error = str(payload.get("error", "") if isinstance(payload, dict) else "")[:MAX_ERROR]
        try:
            job = await printing.fail_job(
                printer,
                job_id,
                error=error or "unknown error",
                max_attempts=settings.print_max_attempts,
                notice=_notice,
            )
        except DomainError:
            return JSONResponse({"error": "not found"}, status_code=404)
        if job.status == "failed":
            kick()  # the cashier's message is in the outbox
        return JSONResponse({"status": job.status})
