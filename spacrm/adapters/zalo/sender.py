"""Outbox sender for Zalo OA CS messages, with tokens kept (and refreshed) in the DB."""

from __future__ import annotations

from spacrm.adapters.outbox_dispatcher import PermanentFailure, RetryLater
from spacrm.adapters.window_notes import tell_staff
from spacrm.adapters.zalo.client import OaCredentials, ZaloApiError, ZaloClient
from spacrm.adapters.zalo.render import render_text
from spacrm.core.models import CustomerChannel, OutboxMessage
from spacrm.core.services import channels, conversations
from spacrm.core.settings import Settings
from spacrm.intents.customer.texts import STAFF


class DbTokens:
    """ZaloTokens backed by the channel row: a refresh is saved before it is used."""

    def __init__(self, channel_id: int) -> None:
        self.channel_id = channel_id

    async def load(self) -> tuple[str, str]:
        ch = await CustomerChannel.get(id=self.channel_id)
        return ch.access_token, ch.refresh_token or ""

    async def save(self, access_token: str, refresh_token: str, expires_in_s: int) -> None:
        await channels.save_zalo_tokens(self.channel_id, access_token, refresh_token, expires_in_s)


def credentials(channel: CustomerChannel, settings: Settings) -> OaCredentials:
    secret = settings.zalo_app_secret.get_secret_value() if settings.zalo_app_secret else ""
    return OaCredentials(oa_id=channel.external_id, app_id=channel.app_id or "", secret_key=secret)


class ZaloSender:
    def __init__(self, client: ZaloClient, settings: Settings) -> None:
        self.client = client
        self.settings = settings

    async def send(self, msg: OutboxMessage) -> str | None:
        oa_id = msg.account_ref or ""
        channel = await channels.get_channel("zalo", oa_id)
        if channel is None:
            raise PermanentFailure(f"Zalo OA {oa_id} is not connected")
        payload = msg.payload or {}
        staff_id = payload.get("staff_id")
        conv = await conversations.find_conversation("zalo", oa_id, msg.chat_id)
        buttons = [[(t, p) for t, p in row] for row in payload.get("buttons", [])]
        creds, tokens = credentials(channel, self.settings), DbTokens(channel.id)
        last_id: str | None = None
        try:
            for message in render_text(str(payload.get("text", "")), buttons):
                last_id = await self.client.send_message(
                    creds, tokens, msg.chat_id, message,
                    reply_to_msg_id=conv.last_customer_msg_id if conv else None,
                )  # fmt: skip
        except ZaloApiError as exc:
            if exc.outside_window:
                await tell_staff(staff_id, conv, STAFF["zalo_window"])
                raise PermanentFailure(str(exc)) from exc
            if exc.permanent:
                await tell_staff(staff_id, conv, STAFF["failed"].format(channel="Zalo", reason=exc.message))
                raise PermanentFailure(str(exc)) from exc
            raise RetryLater(str(exc)) from exc
        return last_id
