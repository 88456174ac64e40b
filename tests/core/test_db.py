"""`core.db.transaction()`: what adapters wrap a message's change and its replies in."""

from __future__ import annotations

import uuid

import pytest

from spacrm.core.db import transaction
from spacrm.core.services import outbox


async def test_a_transaction_commits_everything_or_nothing(db: str) -> None:
    chat = f"t-{uuid.uuid4().hex[:12]}"
    with pytest.raises(RuntimeError):
        async with transaction():
            await outbox.enqueue("telegram", chat, {"text": "bị huỷ"}, thread_ref="conv:1")
            raise RuntimeError("engine crashed")
    assert await outbox.thread_of("telegram", chat, "1", text="bị huỷ") is None
    async with transaction():
        await outbox.enqueue("telegram", chat, {"text": "đã lưu"}, thread_ref="conv:2")
    assert await outbox.thread_of("telegram", chat, "1", text="đã lưu") == "conv:2"
