"""Outbox sender for email rows (link codes now; campaigns later)."""

from __future__ import annotations

import logging

from spacrm.adapters.app.outbox_dispatcher import PermanentFailure, RetryLater
from spacrm.adapters.smtp.client import MailError, SmtpMailer
from spacrm.core.models import OutboxMessage
from spacrm.core.settings import Settings

log = logging.getLogger(__name__)


class EmailSender:
    def __init__(self, settings: Settings) -> None:
        self.mailer: SmtpMailer | None = None
        if settings.smtp_host:
            self.mailer = SmtpMailer(
                settings.smtp_host,
                settings.smtp_port,
                sender=settings.smtp_from,
                user=settings.smtp_user or None,
                password=settings.smtp_password.get_secret_value()
                if settings.smtp_password
                else None,
                starttls=settings.smtp_starttls or None,
            )

    async def send(self, msg: OutboxMessage) -> str | None:
        subject, text = str(msg.payload.get("subject", "")), str(msg.payload.get("text", ""))
        if self.mailer is None:
            # No SMTP configured (a demo machine): show the mail in the log so linking can be tried.
            log.warning(
                "SMTP not configured (SPACRM_SMTP_HOST); mail to %s: %s | %s",
                msg.chat_id,
                subject,
                text,
            )
            return None
        try:
            await self.mailer.send(msg.chat_id, subject, text)
        except MailError as exc:
            if exc.permanent:
                raise PermanentFailure(exc.reason) from exc
            raise RetryLater(exc.reason) from exc
        return None
