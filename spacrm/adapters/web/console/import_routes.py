"""Import (#21) in the console: upload → the mapping found (correctable) → dry run → import with
a progress bar → "undo this import". The work is core's (core/services/imports.py); the upload
waits under the data directory between the steps, bound to the user who sent it."""

from __future__ import annotations

import asyncio
import json
import logging
import re
import secrets
import time
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, File, Request, Response, UploadFile
from fastapi.responses import RedirectResponse

from spacrm.adapters.web.console.common import (
    Page,
    console_of,
    done,
    not_found,
    page_for,
    posted,
    render,
)
from spacrm.bot.errors import error_text
from spacrm.core.actors import Actor
from spacrm.core.errors import DomainError, ErrorCode
from spacrm.core.permissions import record_id
from spacrm.core.services import imports
from spacrm.core.services.table_files import MAX_BYTES, estimate_rows, file_format
from spacrm.intents.texts import t

router = APIRouter()
log = logging.getLogger(__name__)
_TOKEN = re.compile(r"^[0-9a-f]{32}$")
_running: set[asyncio.Task[Any]] = set()  # keeps background imports referenced until done


def problem(exc: DomainError, lang: str) -> str:
    """A domain error as text; import reasons are keys of their own."""
    if exc.code == ErrorCode.IMPORT_FAILED:
        reason = str(exc.params.get("reason", ""))
        key = f"import.reason.{reason}"
        return t(lang, "err.import_failed", reason=t(lang, key) if t(lang, key) != key else reason)
    return error_text(exc, lang)


def _folder(request: Request) -> Path:
    return console_of(request).runtime.settings.data_dir / "imports"


def _upload(request: Request, actor: Actor, token: str) -> tuple[Path, dict[str, Any]] | None:
    """The stored upload `token`, if it is this user's."""
    if not _TOKEN.match(token):
        return None
    meta_path = _folder(request) / f"{token}.json"
    try:
        meta = json.loads(meta_path.read_text())
    except (OSError, ValueError):
        return None
    if meta.get("user_id") != actor.user_id:
        return None
    return _folder(request) / f"{token}.{meta['fmt']}", meta


def _mapping(form: Any) -> dict[int, str]:
    out: dict[int, str] = {}
    for key, value in form.multi_items():
        if key.startswith("col_") and key[4:].isdigit() and value:
            out[int(key[4:])] = str(value)
    return out


async def _page(request: Request, page: Page, token: str, **context: Any) -> Response:
    return render(
        request,
        "import.html",
        actor=page.actor,
        csrf=page.csrf,
        fields=[(f, t(page.lang, f"lf.{f}")) for f in imports.FIELDS],
        batches=await imports.batches(page.actor),
        token=token,
        **context,
    )


@router.get("/console/import")
async def import_home(request: Request) -> Response:
    return await _page(request, await page_for(request), "")


@router.post("/console/import")
async def upload(request: Request, file: Annotated[UploadFile, File()]) -> Response:
    page = await posted(request)
    actor, lang = page.actor, page.lang
    name = Path(file.filename or "file").name[:200]
    content = await file.read(MAX_BYTES + 1)
    try:
        fmt = file_format(name, content[:16], len(content))
        upload_id = secrets.token_hex(16)
        folder = _folder(request)
        path = folder / f"{upload_id}.{fmt}"
        await asyncio.to_thread(
            _save, folder, path, content, {"user_id": actor.user_id, "fmt": fmt, "filename": name}
        )
        found = await asyncio.to_thread(imports.inspect, path, fmt)
    except DomainError as exc:
        return await _page(request, page, "", error=problem(exc, lang), status_code=400)
    return await _page(request, page, upload_id, filename=name, found=found, mapping=found.mapping)


KEEP_SECONDS = 24 * 3600  # an upload nobody imported is removed after a day


def _save(folder: Path, path: Path, content: bytes, meta: dict[str, Any]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    old = time.time() - KEEP_SECONDS
    for leftover in folder.iterdir():
        if leftover.stat().st_mtime < old:
            leftover.unlink(missing_ok=True)
    path.write_bytes(content)
    path.with_suffix(".json").write_text(json.dumps(meta))


@router.post("/console/import/{upload_id}/preview")
async def preview(request: Request, upload_id: str) -> Response:
    return await _step(request, upload_id, run=False)


@router.post("/console/import/{upload_id}/run")
async def run(request: Request, upload_id: str) -> Response:
    return await _step(request, upload_id, run=True)


async def _step(request: Request, upload_id: str, *, run: bool) -> Response:
    page = await posted(request)
    actor, lang = page.actor, page.lang
    form = await request.form()
    stored = _upload(request, actor, upload_id)
    if stored is None or not stored[0].exists():
        return done(request, "/console/import", t(lang, "cs.upload_expired"), bad=True)
    path, meta = stored
    mapping = _mapping(form)
    header_row = (
        int(str(form.get("header_row", "0"))) if str(form.get("header_row", "0")).isdigit() else 0
    )
    update = form.get("update") == "1"
    found = await asyncio.to_thread(imports.inspect, path, meta["fmt"])
    context: dict[str, Any] = {
        "filename": meta["filename"],
        "found": found,
        "mapping": mapping,
        "update": update,
    }
    try:
        if not run:
            tally = await imports.dry_run(
                actor, path, meta["fmt"], header_row=header_row, mapping=mapping, update=update,
                stage=True,  # the import that follows reads the validated rows back
            )  # fmt: skip
            return await _page(request, page, upload_id, tally=tally, **context)
        imports.check_mapping(mapping)
    except DomainError as exc:
        return await _page(
            request, page, upload_id, error=problem(exc, lang), status_code=400, **context
        )
    batch = await imports.start_batch(actor, meta["filename"])
    batch.expected = max(
        0, await asyncio.to_thread(estimate_rows, path, meta["fmt"]) - header_row - 1
    )
    await batch.save(update_fields=["expected"])
    task = asyncio.create_task(
        _background(
            actor, path, meta["fmt"], batch, header_row=header_row, mapping=mapping, update=update
        )
    )
    _running.add(task)
    task.add_done_callback(_running.discard)
    return RedirectResponse(f"/console/import/batch/{batch.id}", status_code=303)


async def _background(actor: Actor, path: Path, fmt: str, batch: Any, **kwargs: Any) -> None:
    try:
        await imports.run_import(actor, path, fmt, filename=batch.filename, batch=batch, **kwargs)
    except Exception:  # the batch is marked failed and everything undone by run_import
        log.exception("import %s failed", batch.id)
    finally:
        imports.drop_stage(path)
        for leftover in (path, path.with_suffix(".json")):
            leftover.unlink(missing_ok=True)


@router.get("/console/import/batch/{raw_id}")
async def batch_page(request: Request, raw_id: str) -> Response:
    page = await page_for(request)
    batch_id = record_id(raw_id)
    try:
        if batch_id is None:
            raise DomainError(ErrorCode.NOT_FOUND)
        batch = await imports.get_batch(page.actor, batch_id)
    except DomainError:
        raise not_found(request, page) from None
    return render(request, "import_batch.html", actor=page.actor, csrf=page.csrf, batch=batch)


@router.post("/console/import/batch/{raw_id}/undo")
async def undo(request: Request, raw_id: str) -> Response:
    page = await posted(request)
    batch_id = record_id(raw_id)
    try:
        if batch_id is None:
            raise DomainError(ErrorCode.NOT_FOUND)
        batch = await imports.undo_import(page.actor, batch_id)
    except DomainError as exc:
        if exc.code == ErrorCode.NOT_FOUND:
            raise not_found(request, page) from None
        url = f"/console/import/batch/{batch_id}"
        return done(request, url, problem(exc, page.lang), bad=True)
    text = t(page.lang, "cs.undone", file=batch.filename)
    return done(request, f"/console/import/batch/{batch.id}", text)
