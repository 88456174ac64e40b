"""Outbox sender for Zalo OA CS messages, with tokens kept (and refreshed) in the DB."""

from __future__ import annotations

import base64
import binascii
from contextlib import AbstractAsyncContextManager
from typing import Any

from spacrm.adapters.app.outbox_dispatcher import PermanentFailure, RetryLater
from spacrm.adapters.app.window_notes import fail_send
from spacrm.adapters.zalo import staff_memory
from spacrm.adapters.zalo.client import OaCredentials, ZaloApiError, ZaloClient
from spacrm.adapters.zalo.render import render_staff, render_text, staff_options
from spacrm.core.models import CustomerChannel, OutboxMessage
from spacrm.core.services import channels, conversations
from spacrm.core.settings import Settings
from spacrm.intents.customer.texts import STAFF


class DbTokens:
    """ZaloTokens backed by the channel row: a refresh is saved before it is used."""

    def __init__(self, channel_id: int) -> None:
        self.channel_id = channel_id

    async def load(self) -> tuple[str, str]:
        return await channels.zalo_tokens(self.channel_id)

    async def save(self, access_token: str, refresh_token: str, expires_in_s: int) -> None:
        await channels.save_zalo_tokens(self.channel_id, access_token, refresh_token, expires_in_s)

    def refresh_lock(self) -> AbstractAsyncContextManager[None]:
        """Across processes (the client's asyncio lock covers one): a database row lock."""
        return channels.zalo_refresh_lock(self.channel_id)


def credentials(channel: CustomerChannel, settings: Settings) -> OaCredentials:
    secret = settings.zalo_app_secret.get_secret_value() if settings.zalo_app_secret else ""
    return OaCredentials(oa_id=channel.external_id, app_id=channel.app_id or "", secret_key=secret)


class ZaloSender:
    def __init__(self, client: ZaloClient, settings: Settings) -> None:
        self.client = client
        self.settings = settings

    async def send(self, msg: OutboxMessage) -> str | None:
        payload = msg.payload or {}
        zns = payload.get("zns")
        if isinstance(zns, dict):
            return await self._send_zns(msg, zns)
        # Rows without an OA id are staff reminders (queued per ChannelIdentity, which knows no
        # OA); customer rows always carry the OA they came from.
        if payload.get("audience") == "staff" or not msg.account_ref:
            return await self._send_staff(msg, payload)
        oa_id = msg.account_ref or ""
        channel = await channels.get_channel("zalo", oa_id)
        if channel is None:
            raise PermanentFailure(f"Zalo OA {oa_id} is not connected")
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
            await fail_send(exc, staff_id, conv, window_note=STAFF["zalo_window"], channel="Zalo")
        return last_id

    async def _send_zns(self, msg: OutboxMessage, zns: dict[str, Any]) -> str | None:
        """An approved template to the customer's phone (appointment reminders outside the OA's
        window); the outbox row's id is the tracking id the delivery receipt echoes."""
        channel = await self._staff_oa(msg.account_ref)
        creds, tokens = credentials(channel, self.settings), DbTokens(channel.id)
        data = zns.get("template_data")
        try:
            msg_id, _ = await self.client.send_zns(
                creds, tokens, str(zns.get("phone", "")), str(zns.get("template_id", "")),
                data if isinstance(data, dict) else {}, f"outbox-{msg.id}",
            )  # fmt: skip
        except ZaloApiError as exc:
            if exc.permanent:
                raise PermanentFailure(str(exc)) from exc
            raise RetryLater(str(exc)) from exc
        return msg_id

    async def _staff_oa(self, oa_id: str | None) -> CustomerChannel:
        channel = await channels.get_channel("zalo", oa_id) if oa_id else None
        if channel is None:  # at most one OA is connected: that is where staff are linked
            channel = next((c for c in await channels.list_channels() if c.kind == "zalo"), None)
        if channel is None:
            raise PermanentFailure("no Zalo OA is connected")
        return channel

    async def _send_staff(self, msg: OutboxMessage, payload: dict[str, Any]) -> str | None:
        """A staff bot message: numbered options remembered for the typed answer, sent as a
        reply to the staff member's last message (free within Zalo's window)."""
        channel = await self._staff_oa(msg.account_ref)
        options, cancel = staff_options(
            [[(t, p) for t, p in row] for row in payload.get("buttons", [])]
        )
        # Remembered before the send: the user can only answer after seeing it.
        await staff_memory.remember_buttons(msg.chat_id, options)
        reply_to = payload.get("reply_to") or await staff_memory.last_inbound(msg.chat_id)
        creds, tokens = credentials(channel, self.settings), DbTokens(channel.id)
        last_id: str | None = None
        try:
            image = payload.get("image_b64")
            if isinstance(image, str) and image:
                try:
                    data = base64.b64decode(image)
                except (binascii.Error, ValueError) as exc:
                    raise PermanentFailure("image is not valid base64") from exc
                attachment = await self.client.upload_image(
                    creds, tokens, data, str(payload.get("image_name", "image.png"))
                )
                last_id = await self.client.send_image(
                    creds, tokens, msg.chat_id, attachment_id=attachment, reply_to_msg_id=reply_to
                )
            text = str(payload.get("text") or "")
            if text.strip() or options or not last_id:
                for message in render_staff(text, options, cancel):
                    last_id = await self.client.send_message(
                        creds, tokens, msg.chat_id, message, reply_to_msg_id=reply_to
                    )
        except ZaloApiError as exc:
            # Nobody to tell: the staff member *is* the recipient. The row stays visible as failed.
            if exc.permanent:
                raise PermanentFailure(str(exc)) from exc
            raise RetryLater(str(exc)) from exc
        return last_id
