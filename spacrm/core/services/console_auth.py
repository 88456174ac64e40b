"""Admin console sign-in (#10, #11): password, then a 6-digit code by email, then a session.

The emailed code reuses LinkCode (channel "console", external_id = a random nonce the browser
holds in a signed cookie), so the expiry and the tries left are the chat linking's (10 min, 5).
Every failure is the same DomainError(FORBIDDEN): the page never tells which logins exist,
whether the password or the code was wrong, or whether the account is deactivated.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from spacrm.core import clock
from spacrm.core.actors import Actor
from spacrm.core.errors import DomainError, ErrorCode
from spacrm.core.models import ConsoleSession, User
from spacrm.core.services.linking import check_code, mail_code
from spacrm.core.services.users import _hasher, actor_for, check_password

CHANNEL = "console"
SESSION_HOURS = 12
# Verifying against a real hash when the login is unknown keeps the timing the same.
_DUMMY_HASH = _hasher.hash(secrets.token_hex(8))


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


async def start_sign_in(
    login_or_email: str, password: str, *, nonce: str, subject: str, body_template: str
) -> str:
    """Check the password and email a code bound to `nonce`; returns the masked address.

    Refused (FORBIDDEN, one error for all cases): unknown login, wrong password, deactivated
    user, user without a password (never set up for the console)."""
    key = login_or_email.strip().lower()
    user = None
    if key:
        user = await User.filter(Q(login=key) | Q(email=key)).first()
    if user is None or not user.password_hash:
        check_password(User(password_hash=_DUMMY_HASH), password)
        raise DomainError(ErrorCode.FORBIDDEN)
    if not check_password(user, password) or not user.active:
        raise DomainError(ErrorCode.FORBIDDEN)
    return await mail_code(user, CHANNEL, nonce, subject=subject, body_template=body_template)


async def finish_sign_in(nonce: str, code: str) -> tuple[str, Actor]:
    """Check the emailed code; returns a new session token (for the cookie) and the actor.

    A wrong code uses up one try (counted even though the call raises); the fifth locks it."""
    token = secrets.token_urlsafe(32)
    async with in_transaction():
        pending, result = await check_code(CHANNEL, nonce, code, active_only=True)
        if result == "ok" and pending is not None:
            await ConsoleSession.create(
                user=pending.user,
                token_hash=_digest(token),
                expires_at=clock.now() + timedelta(hours=SESSION_HOURS),
            )
    if result != "ok" or pending is None:
        raise DomainError(ErrorCode.FORBIDDEN)
    return token, await actor_for(pending.user)


async def actor_for_session(token: str) -> Actor | None:
    """The signed-in user, or None when the session is unknown, expired, or the user deactivated."""
    if not token:
        return None
    session = await ConsoleSession.get_or_none(token_hash=_digest(token)).prefetch_related("user")
    if session is None or session.expires_at <= clock.now() or not session.user.active:
        return None
    return await actor_for(session.user)


async def end_session(token: str) -> None:
    """Logout: the session row goes, so a copied cookie stops working too."""
    if token:
        await ConsoleSession.filter(token_hash=_digest(token)).delete()
