"""Print jobs for the counter printers (the printer agent is the other end, over HTTP).

A printer authenticates with its own token; we keep only the token's SHA-256, so a leaked database
does not let anyone pull bills. A job is claimed by one conditional UPDATE, so two agents (or a
retried request) never print the same bill twice from one claim."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from spacrm.core import clock
from spacrm.core.actors import Actor
from spacrm.core.errors import DomainError, ErrorCode
from spacrm.core.models import Branch, Printer, PrintJob
from spacrm.core.permissions import can_manage_users
from spacrm.core.services import channels, outbox, users

PAPERS = ("k80", "k57")
CLAIM_LEASE = timedelta(minutes=2)  # a claim not confirmed by then is handed out again
NAME_MAX = 60


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogateescape")).hexdigest()


@dataclass(frozen=True, slots=True)
class PrinterInfo:
    id: int
    name: str
    branch: str  # branch code, "" for every branch
    paper: str
    active: bool
    last_seen_at: Any
    queued: int


async def add_printer(
    *, name: str, paper: str = "k80", branch_code: str | None = None, actor: Actor | None = None
) -> tuple[Printer, str]:
    """A new printer and its token (shown once: only the hash is stored). `actor` None is the
    operator at the server's terminal; in the console, an admin."""
    if actor is not None and not can_manage_users(actor):
        raise DomainError(ErrorCode.FORBIDDEN)
    name = name.strip()
    if not name or len(name) > NAME_MAX:
        raise DomainError(ErrorCode.INVALID_VALUE, field="name", value=name)
    if paper not in PAPERS:
        raise DomainError(ErrorCode.INVALID_VALUE, field="paper", value=paper)
    branch_id = None
    if branch_code:
        branch = await Branch.get_or_none(code=branch_code)
        if branch is None:
            raise DomainError(ErrorCode.NOT_FOUND, what="branch", value=branch_code)
        branch_id = branch.id
    if await Printer.filter(name=name).exists():
        raise DomainError(ErrorCode.INVALID_VALUE, field="name", value=name)
    token = "prn_" + secrets.token_urlsafe(24)
    printer = await Printer.create(
        name=name, paper=paper, branch_id=branch_id, token_hash=token_hash(token)
    )
    return printer, token


async def list_printers() -> list[PrinterInfo]:
    codes = {b.id: b.code for b in await Branch.all()}
    out = []
    for p in await Printer.all().order_by("name"):
        queued = await PrintJob.filter(printer_id=p.id, status__in=["queued", "claimed"]).count()
        out.append(
            PrinterInfo(p.id, p.name, codes.get(p.branch_id or 0, ""), p.paper, p.active,
                        p.last_seen_at, queued)
        )  # fmt: skip
    return out


async def remove_printer(*, name: str, actor: Actor | None = None) -> None:
    if actor is not None and not can_manage_users(actor):
        raise DomainError(ErrorCode.FORBIDDEN)
    deleted = await Printer.filter(name=name.strip()).delete()
    if not deleted:
        raise DomainError(ErrorCode.NOT_FOUND, what="printer", value=name)


async def printer_for_token(token: str) -> Printer | None:
    if not token:
        return None
    printer = await Printer.get_or_none(token_hash=token_hash(token), active=True)
    if printer is not None:
        printer.last_seen_at = clock.now()
        await printer.save(update_fields=["last_seen_at"])
    return printer


async def printer_for_branch(branch_id: int | None) -> Printer:
    """The branch's own printer, else one that serves every branch."""
    qs = Printer.filter(active=True)
    printer = await qs.filter(branch_id=branch_id).order_by("id").first() if branch_id else None
    printer = printer or await qs.filter(branch_id__isnull=True).order_by("id").first()
    if printer is None:
        raise DomainError(ErrorCode.NO_PRINTER)
    return printer


async def queue_print(
    actor: Actor,
    *,
    branch_id: int | None,
    render: Callable[[str], bytes],
    ref: str = "",
    kind: str = "bill",
) -> tuple[PrintJob, Printer]:
    """Queue a job on the branch's printer; `render(paper)` draws the PNG for that printer's width.

    Pressing "In bill" again while the same bill still waits (printer off, out of paper) does not
    pile up copies: the waiting job gets the fresh image instead."""
    printer = await printer_for_branch(branch_id)
    image = render(printer.paper)
    ref = ref[:40]
    async with in_transaction():
        waiting = None
        if ref:
            waiting = await (
                PrintJob.filter(printer_id=printer.id, kind=kind, ref=ref, status="queued")
                .select_for_update()
                .first()
            )
        if waiting is not None:
            waiting.image, waiting.requested_by_id = image, actor.user_id
            await waiting.save(update_fields=["image", "requested_by_id"])
            return waiting, printer
        job = await PrintJob.create(
            printer_id=printer.id, kind=kind, ref=ref, image=image, requested_by_id=actor.user_id
        )
    return job, printer


async def claim_job(printer: Printer) -> PrintJob | None:
    """The oldest job for this printer that is waiting (or whose claim's lease ran out)."""
    now = clock.now()
    stale = now - CLAIM_LEASE
    waiting = Q(status="queued") | Q(status="claimed", claimed_at__lt=stale)
    for _ in range(5):  # lose a race to another agent: take the next one
        job = await PrintJob.filter(waiting, printer_id=printer.id).order_by("id").first()
        if job is None:
            return None
        taken = await PrintJob.filter(
            Q(status="queued") | Q(status="claimed", claimed_at__lt=stale), id=job.id
        ).update(status="claimed", claimed_at=now)
        if taken:
            job.status, job.claimed_at = "claimed", now
            return job
    return None


async def _own_job(printer: Printer, job_id: int) -> PrintJob:
    job = await PrintJob.get_or_none(id=job_id, printer_id=printer.id)
    if job is None:
        raise DomainError(ErrorCode.NOT_FOUND, what="job", value=str(job_id))
    return job


async def confirm_job(printer: Printer, job_id: int) -> PrintJob:
    """The paper came out. Confirming twice is harmless."""
    job = await _own_job(printer, job_id)
    if job.status != "printed":
        await PrintJob.filter(id=job.id).update(status="printed", printed_at=clock.now())
        job.status = "printed"
    return job


async def fail_job(
    printer: Printer,
    job_id: int,
    *,
    error: str,
    max_attempts: int,
    notice: Callable[[str, PrintJob, Printer], str],
) -> PrintJob:
    """A failed attempt puts the job back in the queue; the last one marks it failed and tells the
    person who asked for the print, in chat, through the outbox (same transaction).
    `notice(lang, job, printer)` writes that message in the reader's language."""
    async with in_transaction():
        job = await _own_job(printer, job_id)
        if job.status in ("printed", "failed"):
            return job
        job.attempts += 1
        job.last_error = error[:500]
        job.status = "failed" if job.attempts >= max_attempts else "queued"
        job.claimed_at = None
        await job.save(update_fields=["attempts", "last_error", "status", "claimed_at"])
        if job.status == "failed" and job.requested_by_id:
            lang = await users.language_of(job.requested_by_id)
            text = notice(lang, job, printer)
            route = await channels.staff_route(job.requested_by_id)
            if route is not None:
                await outbox.enqueue(route[0], route[1], {"text": text, "buttons": []})
    return job


async def retry_job(job_id: int) -> int:
    """Put a failed job back in the queue (CLI)."""
    return await PrintJob.filter(id=job_id, status="failed").update(
        status="queued", attempts=0, claimed_at=None
    )
