"""Per-conversation dialog state kept in the database (survives restarts, shared by processes)."""

from __future__ import annotations

from typing import Any

from spacrm.core.models import DialogState


async def load(channel: str, chat_id: str) -> dict[str, Any]:
    row = await DialogState.get_or_none(channel=channel, chat_id=chat_id)
    return dict(row.data) if row else {}


async def save(channel: str, chat_id: str, data: dict[str, Any]) -> None:
    updated = await DialogState.filter(channel=channel, chat_id=chat_id).update(data=data)
    if not updated:
        await DialogState.create(channel=channel, chat_id=chat_id, data=data)


async def clear(channel: str, chat_id: str) -> None:
    await DialogState.filter(channel=channel, chat_id=chat_id).delete()
