"""The scheduled sends' claim (morning summary, day digest, weekly KPI, Q&A digest): the claim and
the queued message are one transaction, so a failure while queueing leaves no claim and the next
tick sends it; once queued, a second claim of the same send is refused."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date, datetime

import pytest

from spacrm.bot.morning import send_morning_summaries
from spacrm.bot.scheduled import queue_each
from spacrm.core import clock
from spacrm.core.models import ChannelIdentity, OutboxMessage, ReportSend, User
from spacrm.core.services import day_digest, kb_digest, morning, scheduled_sends, weekly_kpi

DAY = date(2024, 1, 3)  # no other test sends anything on this day
CHAT = "7600001"


@dataclass(frozen=True, slots=True)
class Send:
    user_id: int
    day: date
    channel: str
    chat_id: str


@pytest.fixture
async def manager(db: str) -> AsyncIterator[User]:
    user = await User.get(login="tl_q1a")  # a team lead: gets the morning summary
    last = await OutboxMessage.all().order_by("-id").first()
    link = await ChannelIdentity.create(
        user_id=user.id, channel="telegram", external_id=CHAT, chat_id=CHAT
    )
    yield user
    await link.delete()
    # Managers other tests linked got this day's summary too: none of it is left to send.
    await OutboxMessage.filter(id__gt=last.id if last else 0).delete()
    await ReportSend.filter(day=DAY).delete()
    clock.freeze(None)


async def _texts() -> list[str]:
    rows = await OutboxMessage.filter(chat_id=CHAT).order_by("id")
    return [str(m.payload["text"]) for m in rows]


@pytest.mark.parametrize("kind", [morning.KIND, day_digest.KIND, weekly_kpi.KIND, kb_digest.KIND])
async def test_failure_while_queueing_leaves_no_claim(manager: User, kind: str) -> None:
    send = Send(manager.id, DAY, "telegram", CHAT)
    # A payload the outbox cannot store fails inside the transaction, after the claim's insert.
    with pytest.raises(TypeError):
        await scheduled_sends.claim_and_queue(kind, send, {"text": "x", "bad": object()})
    assert manager.id not in await scheduled_sends.claimed_users(kind, DAY)
    assert await _texts() == []
    assert await scheduled_sends.claim_and_queue(kind, send, {"text": "sent"})
    assert not await scheduled_sends.claim_and_queue(kind, send, {"text": "again"})
    assert manager.id in await scheduled_sends.claimed_users(kind, DAY)
    assert await _texts() == ["sent"]


async def test_the_next_tick_sends_what_a_failed_queueing_left(manager: User) -> None:
    clock.freeze(datetime(2024, 1, 3, 7, 45))  # after the morning reports' 07:30
    due = [s for s in await morning.pending_morning_summaries() if s.user_id == manager.id]
    assert len(due) == 1 and due[0].chat_id == CHAT
    with pytest.raises(TypeError):
        await scheduled_sends.claim_and_queue(morning.KIND, due[0], {"bad": object()})
    again = [s for s in await morning.pending_morning_summaries() if s.user_id == manager.id]
    assert again == due  # still due: nothing was claimed
    assert await send_morning_summaries() >= 1
    texts = await _texts()
    assert len(texts) == 1 and "Chào buổi sáng" in texts[0], texts
    assert await send_morning_summaries() == 0  # claimed with its message: not sent twice


async def test_one_recipient_that_fails_does_not_hold_back_the_others(manager: User) -> None:
    other = await User.get(login="tl_q1b")
    first, second = Send(manager.id, DAY, "telegram", CHAT), Send(other.id, DAY, "telegram", CHAT)

    async def build(send: Send) -> dict[str, object]:
        if send.user_id == manager.id:
            raise RuntimeError("this user's message cannot be built")
        return {"text": "for the other"}

    assert await queue_each(morning.KIND, [first, second], build) == 1
    assert await scheduled_sends.claimed_users(morning.KIND, DAY) == {other.id}
    assert await _texts() == ["for the other"]  # the failing one is left for the next tick
