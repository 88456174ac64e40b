"""What the staff bot on Zalo must remember per Zalo user, between webhooks and sends.

Kept as dialog-state rows under their own pseudo-channels, apart from the engine's own state
("zalo", user id), and one row per writer so the inbound side and the outbox dispatcher never
overwrite each other's data:

- `zalo_staff_in`: written by the webhook side: the user's last message id (Zalo counts a send
  that quotes it as a free reply within the window) and until when a linking attempt is open.
- `zalo_staff_btn`: written by the sender: the options of the last numbered list the user was
  shown, so a typed "2" can be mapped back to a button payload.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from spacrm.core import clock
from spacrm.core.services import dialogs

INBOUND = "zalo_staff_in"
BUTTONS = "zalo_staff_btn"


async def remember_inbound(user_id: str, msg_id: str) -> None:
    data = await dialogs.load(INBOUND, user_id)
    data["msg_id"] = msg_id
    await dialogs.save(INBOUND, user_id, data)


async def last_inbound(user_id: str) -> str | None:
    value = (await dialogs.load(INBOUND, user_id)).get("msg_id")
    return value if isinstance(value, str) and value else None


async def open_linking(user_id: str, minutes: int) -> None:
    data = await dialogs.load(INBOUND, user_id)
    data["link_until"] = (clock.now() + timedelta(minutes=minutes)).isoformat()
    await dialogs.save(INBOUND, user_id, data)


async def close_linking(user_id: str) -> None:
    data = await dialogs.load(INBOUND, user_id)
    if data.pop("link_until", None) is not None:
        await dialogs.save(INBOUND, user_id, data)


async def linking_open(user_id: str) -> bool:
    until = (await dialogs.load(INBOUND, user_id)).get("link_until")
    if not isinstance(until, str):
        return False
    try:
        return datetime.fromisoformat(until) > clock.now()
    except ValueError:
        return False


async def remember_buttons(user_id: str, options: list[tuple[str, str]]) -> None:
    await dialogs.save(
        BUTTONS, user_id, {"options": [[text, payload] for text, payload in options]}
    )


async def last_buttons(user_id: str) -> list[tuple[str, str]]:
    raw: Any = (await dialogs.load(BUTTONS, user_id)).get("options")
    if not isinstance(raw, list):
        return []
    return [(str(o[0]), str(o[1])) for o in raw if isinstance(o, list) and len(o) == 2]
