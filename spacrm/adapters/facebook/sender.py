"""Outbox sender for Messenger: window rules (24 h, then HUMAN_AGENT for staff up to 7 days)."""

from __future__ import annotations

from datetime import timedelta

from spacrm.adapters.app.outbox_dispatcher import PermanentFailure
from spacrm.adapters.app.window_notes import fail_send, tell_staff
from spacrm.adapters.facebook.client import FacebookClient, FacebookSendError
from spacrm.adapters.facebook.render import render_text
from spacrm.core import clock
from spacrm.core.models import OutboxMessage
from spacrm.core.services import channels, conversations
from spacrm.core.settings import Settings
from spacrm.intents.customer.texts import STAFF


class FacebookSender:
    def __init__(self, client: FacebookClient, settings: Settings) -> None:
        self.client = client
        self.settings = settings

    async def send(self, msg: OutboxMessage) -> str | None:
        page_id = msg.account_ref or ""
        channel = await channels.get_channel("facebook", page_id)
        if channel is None:
            raise PermanentFailure(f"facebook page {page_id} is not connected")
        payload = msg.payload or {}
        staff_id = payload.get("staff_id")
        conv = await conversations.find_conversation("facebook", page_id, msg.chat_id)
        human_tag = False
        if conv is not None and conv.last_customer_at is not None:
            age = clock.now() - conv.last_customer_at
            if age > timedelta(hours=self.settings.facebook_window_hours):
                if staff_id is None or age > timedelta(
                    days=self.settings.facebook_human_agent_days
                ):
                    await tell_staff(staff_id, conv, STAFF["fb_window"])
                    raise PermanentFailure("outside the Messenger window")
                human_tag = True
        buttons = [[(t, p) for t, p in row] for row in payload.get("buttons", [])]
        try:
            ids = await self.client.send_messages(
                page_id, channel.access_token, msg.chat_id,
                render_text(str(payload.get("text", "")), buttons), human_agent_tag=human_tag,
            )  # fmt: skip
        except FacebookSendError as exc:
            await fail_send(exc, staff_id, conv, window_note=STAFF["fb_window"], channel="Facebook")
        return ids[-1] if ids else None
