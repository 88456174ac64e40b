"""Reminders reach the user where they are: printed in an open `spacrm chat`, otherwise on the
linked chat channel; once each, also when their time passed while nothing ran."""

from __future__ import annotations

import asyncio
import io
import os
from datetime import timedelta

from spacrm.adapters.cli.terminal import chat_loop
from spacrm.bot.engine import Engine
from spacrm.bot.notify import send_due_reminders
from spacrm.core import clock
from spacrm.core.actors import Actor
from spacrm.core.models import Activity, ChannelIdentity, OutboxMessage
from spacrm.core.services.activities import plan_activity
from spacrm.core.services.leads import create_lead
from tests.conftest import new_phone


async def _plan(actor: Actor, name: str, minutes: float) -> Activity:
    lead = await create_lead(actor, name=name, phone=new_phone())
    return await plan_activity(
        actor, lead_id=lead.id, kind="call", due_at=clock.now() + timedelta(minutes=minutes)
    )


async def test_reminder_is_printed_in_the_open_terminal_once(personas: dict[str, Actor]) -> None:
    actor = personas["st_q1b1"]
    read_fd, write_fd = os.pipe()
    stdin = os.fdopen(read_fd, "r", encoding="utf-8")
    out = io.StringIO()
    chat = asyncio.create_task(chat_loop(Engine("vi"), actor, stdin, out, reminder_seconds=0.1))
    try:
        await asyncio.sleep(0.5)  # the terminal says it is open
        act = await _plan(actor, "Chị Ziczac Nhắc", minutes=-1)  # its time has just passed
        for _ in range(100):
            if "Ziczac Nhắc" in out.getvalue():
                break
            await asyncio.sleep(0.1)
        assert "🔔" in out.getvalue() and "Ziczac Nhắc" in out.getvalue()
        await asyncio.sleep(1.0)
        assert out.getvalue().count("Ziczac Nhắc") == 1  # once
        # Not also sent to the user's linked channels while the terminal is open.
        others = await OutboxMessage.exclude(channel="terminal")
        assert not [o for o in others if "Ziczac Nhắc" in str(o.payload.get("text"))]
        await act.refresh_from_db()
        assert act.reminded
    finally:
        os.close(write_fd)  # end of input: the chat ends
        await asyncio.wait_for(chat, 10)
        stdin.close()


async def test_without_a_terminal_the_linked_channel_gets_it_once(
    personas: dict[str, Actor],
) -> None:
    actor = personas["st_q1b1"]
    ident, _ = await ChannelIdentity.get_or_create(
        channel="telegram",
        external_id="7770001",
        defaults={"user_id": actor.user_id, "chat_id": "7770001"},
    )
    # Planned for a time that passed while nothing ran (the server was down): sent at start.
    await _plan(actor, "Anh Zulu Quáhạn", minutes=-90)
    assert await send_due_reminders() >= 1
    assert await send_due_reminders() == 0
    rows = [
        r
        for r in await OutboxMessage.filter(channel="telegram", chat_id="7770001")
        if "Zulu Quáhạn" in str(r.payload.get("text"))
    ]
    assert len(rows) == 1
    await ident.delete()
