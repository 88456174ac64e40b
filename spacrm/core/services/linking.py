"""Two-step linking (#10): a chat account types a login or email, gets a 6-digit code by email."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta
from typing import Literal

from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from spacrm.core import clock
from spacrm.core.actors import Actor
from spacrm.core.errors import DomainError, ErrorCode
from spacrm.core.models import ChannelIdentity, LinkCode, User
from spacrm.core.services import ratelimit
from spacrm.core.services.outbox import enqueue
from spacrm.core.services.users import actor_for
from spacrm.core.settings import get_settings


def _hash(code: str, external_id: str) -> str:
    return hashlib.sha256(f"{external_id}:{code}".encode()).hexdigest()


async def actor_for_identity(channel: str, external_id: str) -> Actor | None:
    ident = await ChannelIdentity.get_or_none(
        channel=channel, external_id=external_id
    ).prefetch_related("user")
    if ident is None or not ident.user.active:
        return None
    return await actor_for(ident.user)


async def is_linked(channel: str, external_id: str) -> bool:
    """An active staff member owns this chat account."""
    return await ChannelIdentity.filter(
        channel=channel, external_id=external_id, user__active=True
    ).exists()


async def knows_login(login_or_email: str) -> bool:
    """The text is exactly an active staff member's login or email."""
    key = login_or_email.strip().lower()
    if not key:
        return False
    return await User.filter(active=True).filter(Q(login=key) | Q(email=key)).exists()


async def start_link(
    channel: str, external_id: str, login_or_email: str, *, subject: str, body_template: str
) -> str:
    """Email a code to the user; returns the masked address. `body_template` has `{code}`."""
    key = login_or_email.strip().lower()
    user = await User.get_or_none(login=key) or await User.get_or_none(email=key)
    if user is None:
        raise DomainError(ErrorCode.UNKNOWN_LOGIN, login=login_or_email)
    if not user.active:
        raise DomainError(ErrorCode.USER_INACTIVE, login=login_or_email)
    # Each code is an email to a real inbox: a script must not be able to flood it (per login)
    # nor one chat account spray codes over many logins (per chat).
    for key, rule in (
        (f"link-chat:{channel}:{external_id}", ratelimit.LINK_PER_CHAT),
        (f"link-login:{user.id}", ratelimit.LINK_PER_LOGIN),
    ):
        if not await ratelimit.hit(key, rule):
            raise DomainError(ErrorCode.RATE_LIMITED, minutes=rule.minutes)
    return await mail_code(user, channel, external_id, subject=subject, body_template=body_template)


async def mail_code(
    user: User, channel: str, external_id: str, *, subject: str, body_template: str
) -> str:
    """A new 6-digit code for (channel, external_id), replacing any unused one, mailed to the
    user through the outbox; returns the masked address. Also the console's sign-in code."""
    settings = get_settings()
    code = f"{secrets.randbelow(1_000_000):06d}"
    async with in_transaction():
        await LinkCode.filter(channel=channel, external_id=external_id, used=False).update(
            used=True
        )
        await LinkCode.create(
            channel=channel,
            external_id=external_id,
            user=user,
            code_hash=_hash(code, external_id),
            expires_at=clock.now() + timedelta(minutes=settings.link_code_minutes),
            tries_left=settings.link_code_tries,
        )
        await enqueue(
            "email", user.email, {"subject": subject, "text": body_template.format(code=code)}
        )
    name, _, domain = user.email.partition("@")
    return f"{name[:2]}***@{domain}"


CodeCheck = Literal["ok", "missing", "expired", "wrong", "locked"]


async def check_code(
    channel: str, external_id: str, code: str, *, active_only: bool = False
) -> tuple[LinkCode | None, CodeCheck]:
    """The newest unused code of (channel, external_id) checked against `code`; call it inside
    the caller's transaction. An expired code (or, with `active_only`, a deactivated user's) is
    used up; a wrong one loses a try and is locked at the last. "ok" marks it used."""
    pending = (
        await LinkCode.filter(channel=channel, external_id=external_id, used=False)
        .order_by("-id")
        .first()
        .prefetch_related("user")
    )
    if pending is None:
        return None, "missing"
    if pending.expires_at <= clock.now() or (active_only and not pending.user.active):
        pending.used = True
        await pending.save(update_fields=["used"])
        return pending, "expired"
    if not hmac.compare_digest(pending.code_hash, _hash(code.strip(), external_id)):
        pending.tries_left -= 1
        pending.used = pending.tries_left <= 0
        await pending.save(update_fields=["tries_left", "used"])
        return pending, "locked" if pending.used else "wrong"
    pending.used = True
    await pending.save(update_fields=["used"])
    return pending, "ok"


async def has_pending_link(channel: str, external_id: str) -> bool:
    return await LinkCode.filter(
        channel=channel, external_id=external_id, used=False, expires_at__gt=clock.now()
    ).exists()


async def verify_link(channel: str, external_id: str, chat_id: str, code: str) -> Actor:
    # Decide inside the transaction, raise after it: a wrong try must be counted, not rolled back.
    error: DomainError | None = None
    async with in_transaction():
        pending, result = await check_code(channel, external_id, code)
        if result in ("missing", "expired"):
            error = DomainError(ErrorCode.CODE_EXPIRED)
        elif result == "locked":
            error = DomainError(ErrorCode.CODE_LOCKED)
        elif result == "wrong" and pending is not None:
            error = DomainError(ErrorCode.CODE_WRONG, tries=pending.tries_left)
        elif pending is not None:
            await ChannelIdentity.filter(channel=channel, external_id=external_id).delete()
            await ChannelIdentity.create(
                user=pending.user, channel=channel, external_id=external_id, chat_id=chat_id
            )
            # Linked: the codes this person asked for were not abuse; start their count afresh.
            await ratelimit.reset(
                f"link-login:{pending.user.id}", f"link-chat:{channel}:{external_id}"
            )
    if error is not None or pending is None:
        raise error or DomainError(ErrorCode.CODE_EXPIRED)
    return await actor_for(pending.user)


async def unlink(channel: str, external_id: str) -> None:
    await ChannelIdentity.filter(channel=channel, external_id=external_id).delete()
