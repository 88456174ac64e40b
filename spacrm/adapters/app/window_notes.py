"""Telling a staff member why their message to a customer could not be sent."""

from __future__ import annotations

from typing import Any, NoReturn, Protocol

from spacrm.adapters.app.outbox_dispatcher import PermanentFailure, RetryLater
from spacrm.core.models import Conversation
from spacrm.core.services import channels, outbox
from spacrm.intents.customer.texts import CHANNEL_NAMES, STAFF


async def tell_staff(staff_id: Any, conv: Conversation | None, reason: str) -> None:
    if not isinstance(staff_id, int):
        return
    route = await channels.staff_route(staff_id)  # Telegram, else the Zalo staff bot
    if route is None:
        return
    channel, chat = route
    name = (conv.display_name if conv else None) or STAFF["customer"]
    where = CHANNEL_NAMES.get(conv.channel, conv.channel) if conv else ""
    text = STAFF["outside_window"].format(name=name, channel=where, reason=reason)
    payload: dict[str, Any] = {"text": text, "buttons": []}
    if channel == "zalo":
        payload["audience"] = "staff"
    await outbox.enqueue(channel, chat, payload)


class SendError(Protocol):
    """What the Facebook and Zalo clients' errors have in common."""

    message: str
    permanent: bool
    outside_window: bool


async def fail_send(
    exc: SendError, staff_id: Any, conv: Conversation | None, *, window_note: str, channel: str
) -> NoReturn:
    """Turn a customer-channel send error into the outbox's verdict, telling the staff member
    who wrote the message why it did not go out when retrying will not help."""
    if exc.outside_window:
        await tell_staff(staff_id, conv, window_note)
        raise PermanentFailure(str(exc))
    if exc.permanent:
        await tell_staff(
            staff_id, conv, STAFF["failed"].format(channel=channel, reason=exc.message)
        )
        raise PermanentFailure(str(exc))
    raise RetryLater(str(exc))
