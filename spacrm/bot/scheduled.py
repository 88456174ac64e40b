"""One loop for every scheduled chat send (morning summary, day digest, weekly KPI, Q&A digest):
build each recipient's message, then claim the send and queue the message in one transaction.

A recipient whose message cannot be built or stored is logged and skipped, not raised: the
claim is not written, so the next tick tries that one again, and the recipients after it are
not held back by it every tick."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Iterable
from typing import Any, TypeVar

from spacrm.core.services import scheduled_sends
from spacrm.core.services.scheduled_sends import ScheduledSend

log = logging.getLogger(__name__)

S = TypeVar("S", bound=ScheduledSend)


async def queue_each(
    kind: str, sends: Iterable[S], build: Callable[[S], Awaitable[dict[str, Any] | None]]
) -> int:
    """Messages queued (a send built as None is claimed with nothing to say, not counted)."""
    queued = 0
    for send in sends:
        try:
            payload = await build(send)
            # False: another scheduler (or an earlier tick) has it already.
            if await scheduled_sends.claim_and_queue(kind, send, payload):
                queued += payload is not None
        except Exception:
            log.exception("%s for user %s failed; retried next tick", kind, send.user_id)
    return queued
