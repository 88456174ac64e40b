"""Attachments: the file under SPACRM_DATA_DIR/attachments, its metadata in the database."""

from __future__ import annotations

import asyncio
import mimetypes
import re
import secrets
from pathlib import Path
from typing import Any

from spacrm.core.actors import Actor
from spacrm.core.errors import DomainError, ErrorCode
from spacrm.core.models import Account, Attachment, Contact, Lead, Opportunity
from spacrm.core.permissions import Ownership, get_visible, scoped
from spacrm.core.settings import get_settings

MAX_BYTES = 20 * 1024 * 1024
_TARGETS: dict[str, type[Lead] | type[Contact] | type[Account] | type[Opportunity]] = {
    "lead": Lead, "contact": Contact, "account": Account, "opportunity": Opportunity,
}  # fmt: skip
_UNSAFE = re.compile(r"[^\w.\- ]+", re.UNICODE)


def _safe_name(filename: str) -> str:
    name = _UNSAFE.sub("_", Path(filename).name).strip(" .") or "file"
    return name[:120]


async def add_attachment(
    actor: Actor, *, kind: str, record_id: int, filename: str, content: bytes
) -> Attachment:
    model = _TARGETS.get(kind)
    if model is None:
        raise DomainError(ErrorCode.INVALID_VALUE, field="kind", value=kind)
    if not content or len(content) > MAX_BYTES:
        raise DomainError(ErrorCode.INVALID_VALUE, field="file", value=filename)
    record = await get_visible(model, actor, record_id)
    name = _safe_name(filename)
    folder = get_settings().data_dir / "attachments" / kind / str(record_id)
    # A random prefix: two uploads of "anh.jpg" never overwrite each other.
    path = folder / f"{secrets.token_hex(4)}-{name}"
    await asyncio.to_thread(_write, path, content)
    link: dict[str, Any] = {f"{kind}_id": record_id}
    try:
        return await Attachment.create(
            filename=name,
            path=str(path),
            size=len(content),
            content_type=mimetypes.guess_type(name)[0] or "application/octet-stream",
            **Ownership.of(record).columns(),
            **link,
        )
    except Exception:
        path.unlink(missing_ok=True)  # nothing half-written: no file without its row
        raise


def _write(path: Path, content: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)


async def list_attachments(actor: Actor, *, kind: str, record_id: int) -> list[Attachment]:
    return await scoped(Attachment, actor).filter(**{f"{kind}_id": record_id}).order_by("-id")


async def read_attachment(actor: Actor, attachment_id: int) -> tuple[Attachment, bytes]:
    att = await get_visible(Attachment, actor, attachment_id)
    return att, await asyncio.to_thread(Path(att.path).read_bytes)
