"""Linking a chat account to a staff user: /start → login or email → emailed code → linked."""

from __future__ import annotations

import re

from spacrm.core.errors import DomainError
from spacrm.core.services import linking
from spacrm.intents.chat import ChatEvent, Reply
from spacrm.intents.texts import t

_CODE = re.compile(r"^\s*(\d{6})\s*$")


async def handle_unlinked(event: ChatEvent, lang: str, errors_to_text) -> list[Reply]:  # type: ignore[no-untyped-def]
    text = (event.text or "").strip()
    try:
        if not text or text.startswith("/start") or text.startswith("/"):
            return [Reply(t(lang, "link.welcome"))]
        match = _CODE.match(text)
        if match and await linking.has_pending_link(event.channel, event.external_user_id):
            actor = await linking.verify_link(
                event.channel, event.external_user_id, event.chat_id, match.group(1)
            )
            return [Reply(t(actor.lang, "link.done", name=actor.name))]
        if len(text) > 200 or " " in text:
            return [Reply(t(lang, "link.welcome"))]
        masked = await linking.start_link(
            event.channel, event.external_user_id, text,
            subject=t(lang, "link.mail_subject"), body_template=t(lang, "link.mail_body"),
        )  # fmt: skip
        return [Reply(t(lang, "link.code_sent", email=masked))]
    except DomainError as exc:
        return [Reply(errors_to_text(exc, lang))]
