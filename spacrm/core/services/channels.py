"""Connected customer channels: up to 3 Facebook pages and 1 Zalo OA, with round-robin staff."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from datetime import timedelta
from typing import Any

from tortoise.transactions import in_transaction

from spacrm.core import clock
from spacrm.core.actors import Actor
from spacrm.core.errors import DomainError, ErrorCode
from spacrm.core.models import ChannelIdentity, CustomerChannel, User
from spacrm.core.permissions import can_manage_users

LIMITS = {"facebook": 3, "zalo": 1, "widget": 1}
WIDGET_ID = "web"  # the website widget has no provider account: one row, to name its staff


class ChannelError(ValueError):
    """A configuration mistake, with an English one-line reason for the CLI."""


async def resolve_logins(logins: Sequence[str]) -> list[int]:
    ids: list[int] = []
    for login in logins:
        user = await User.get_or_none(login=login.strip().lower())
        if user is None:
            raise DomainError(ErrorCode.UNKNOWN_LOGIN, login=login)
        ids.append(user.id)
    return ids


async def add_channel(
    kind: str,
    external_id: str,
    *,
    access_token: str,
    name: str = "",
    refresh_token: str | None = None,
    app_id: str | None = None,
    secret_key: str | None = None,
    assignee_ids: Sequence[int] = (),
) -> tuple[CustomerChannel, bool]:
    """Connect (or update the tokens of) a page/OA. Returns (channel, created)."""
    if kind not in LIMITS:
        raise ChannelError(f"unknown channel kind {kind!r}")
    if not external_id.strip() or (kind != "widget" and not access_token.strip()):
        raise ChannelError("the id and the token are required")
    async with in_transaction():
        existing = await CustomerChannel.get_or_none(kind=kind, external_id=external_id)
        if existing is None and await CustomerChannel.filter(kind=kind).count() >= LIMITS[kind]:
            what = {"facebook": "Facebook pages", "zalo": "Zalo OA"}.get(kind, "website widget")
            raise ChannelError(
                f"at most {LIMITS[kind]} {what} can be connected; remove one first "
                f"(spacrm channel remove {kind} ID)"
            )
        fields: dict[str, Any] = {
            "access_token": access_token.strip(),
            "name": name,
            "refresh_token": refresh_token,
            "app_id": app_id,
            "secret_key": secret_key,
            "assignees": list(assignee_ids),
        }
        if existing is None:
            return await CustomerChannel.create(kind=kind, external_id=external_id, **fields), True
        existing.update_from_dict(fields)
        await existing.save()
        return existing, False


async def list_channels() -> list[CustomerChannel]:
    return await CustomerChannel.all().order_by("kind", "id")


async def remove_channel(kind: str, external_id: str) -> bool:
    return await CustomerChannel.filter(kind=kind, external_id=external_id).delete() > 0


async def get_channel(kind: str, external_id: str) -> CustomerChannel | None:
    return await CustomerChannel.get_or_none(kind=kind, external_id=external_id)


async def zalo_tokens(channel_id: int) -> tuple[str, str]:
    """The OA's stored (access token, refresh token); the channel must exist."""
    ch = await CustomerChannel.get(id=channel_id)
    return ch.access_token, ch.refresh_token or ""


@asynccontextmanager
async def zalo_refresh_lock(channel_id: int) -> AsyncIterator[None]:
    """Hold the OA's row locked while its single-use refresh token is spent, so two server
    processes on PostgreSQL never both spend it (the second waits, then finds the new token).
    Loads and saves inside the block join this transaction."""
    async with in_transaction():
        await CustomerChannel.filter(id=channel_id).select_for_update().first()
        yield


async def save_zalo_tokens(channel_id: int, access: str, refresh: str, expires_in_s: int) -> None:
    expires = clock.now() + timedelta(seconds=expires_in_s) if expires_in_s else None
    await CustomerChannel.filter(id=channel_id).update(
        access_token=access, refresh_token=refresh, token_expires_at=expires
    )


async def telegram_staff_ids() -> list[int]:
    """Active staff (role `staff`) reachable on Telegram, else anyone active reachable there."""
    idents = await ChannelIdentity.filter(channel="telegram").order_by("id")
    ids = [int(i.user_id) for i in idents]
    users = {u.id: u for u in await User.filter(id__in=ids, active=True)}
    reachable = [i for i in dict.fromkeys(ids) if i in users]
    return [i for i in reachable if users[i].role == "staff"] or reachable


# Who takes a handoff on a channel nobody was named for (issue 7): the front desk serves every
# customer, then the managers (nearest level first). Only people a notice can reach count.
FALLBACK_MANAGERS = ("branch_director", "region", "board", "team_lead")


async def _reachable(ids: Sequence[int]) -> list[int]:
    rows = await ChannelIdentity.filter(user_id__in=list(ids), channel__in=list(STAFF_CHANNELS))
    linked = {int(r.user_id) for r in rows}
    return [i for i in ids if i in linked]


async def fallback_pool() -> tuple[str, list[int]]:
    """("front_desk" | "manager", user ids) for a channel without assignees; ("", []) when
    nobody active is reachable on a staff chat."""
    desk = await User.filter(active=True, is_front_desk=True).order_by("id")
    pool = await _reachable([u.id for u in desk])
    if pool:
        return "front_desk", pool
    for role in FALLBACK_MANAGERS:
        rows = await User.filter(active=True, role=role).order_by("id")
        pool = await _reachable([u.id for u in rows])
        if pool:
            return "manager", pool
    return "", []


async def handoff_role(kind: str, external_id: str, user_id: int) -> tuple[str, str]:
    """Why this user got the channel's handoffs ("assignee", "front_desk" or "manager") and
    their name, for the notice."""
    user = await User.get_or_none(id=user_id)
    name = user.full_name if user is not None else f"#{user_id}"
    channel = await CustomerChannel.get_or_none(kind=kind, external_id=external_id)
    if channel is not None and user_id in [int(i) for i in channel.assignees]:
        return "assignee", name
    return ("front_desk" if user is not None and user.is_front_desk else "manager"), name


async def next_assignee(kind: str, external_id: str) -> int | None:
    """Round-robin among the channel's staff; a channel nobody was named for (or a widget without
    its row) goes to the front desk, else the managers (`fallback_pool`)."""
    async with in_transaction():
        channel = await CustomerChannel.get_or_none(kind=kind, external_id=external_id)
        if channel is None or not channel.assignees:
            _, pool = await fallback_pool()
            if not pool:
                return None
            # No cursor to keep for the fallback: spread by the number of conversations.
            from spacrm.core.models import Conversation

            n = await Conversation.filter(assignee_id__not_isnull=True, channel=kind).count()
            return pool[n % len(pool)]
        pick = int(channel.assignees[channel.rr_cursor % len(channel.assignees)])
        channel.rr_cursor = (channel.rr_cursor + 1) % len(channel.assignees)
        await channel.save(update_fields=["rr_cursor"])
        return pick


async def staff_chat(user_id: int, channel: str = "telegram") -> str | None:
    ident = await ChannelIdentity.filter(user_id=user_id, channel=channel).order_by("-id").first()
    return ident.chat_id if ident else None


STAFF_CHANNELS = ("telegram", "zalo")


async def staff_route(user_id: int) -> tuple[str, str] | None:
    """Where chat notices for a staff member go: (channel, chat id) on Telegram, else on the
    Zalo OA's staff bot; None when they are linked on neither."""
    for channel in STAFF_CHANNELS:
        chat = await staff_chat(user_id, channel)
        if chat is not None:
            return channel, chat
    return None


# -- the console's channels screen (#11): the same rules, with the user's permission checked ------


def _admin(actor: Actor | None) -> None:
    if actor is not None and not can_manage_users(actor):
        raise DomainError(ErrorCode.FORBIDDEN)


async def connect(
    actor: Actor | None,
    *,
    kind: str,
    external_id: str,
    name: str,
    access_token: str,
    secret_key: str = "",
    refresh_token: str = "",
    assignee_logins: Sequence[str] = (),
    app_id: str = "",
) -> tuple[CustomerChannel, bool]:
    """Connect a page / OA / the widget, or update one (a blank token keeps the stored one)."""
    _admin(actor)
    external_id = WIDGET_ID if kind == "widget" else external_id.strip()
    if kind not in LIMITS or not external_id or len(external_id) > 80:
        raise DomainError(ErrorCode.INVALID_VALUE, field="channel", value=external_id[:40])
    existing = await get_channel(kind, external_id)
    if existing is not None and not access_token.strip():
        access_token = existing.access_token
    if kind != "widget" and not access_token.strip():
        raise DomainError(ErrorCode.INVALID_VALUE, field="token", value="")
    if existing is None and await CustomerChannel.filter(kind=kind).count() >= LIMITS[kind]:
        raise DomainError(ErrorCode.TOO_MANY_CHANNELS, limit=LIMITS[kind])
    assignees = await resolve_logins([x for x in assignee_logins if x.strip()])
    try:
        return await add_channel(
            kind, external_id, access_token=access_token, name=name.strip()[:120],
            secret_key=secret_key.strip() or (existing.secret_key if existing else None),
            refresh_token=refresh_token.strip() or (existing.refresh_token if existing else None),
            app_id=app_id.strip()[:40] or (existing.app_id if existing else None),
            assignee_ids=assignees,
        )  # fmt: skip
    except ChannelError as exc:  # a second person connected one meanwhile
        raise DomainError(ErrorCode.TOO_MANY_CHANNELS, limit=LIMITS[kind]) from exc


async def channel_by_id(actor: Actor | None, channel_id: int) -> CustomerChannel:
    _admin(actor)
    channel = await CustomerChannel.get_or_none(id=channel_id)
    if channel is None:
        raise DomainError(ErrorCode.NOT_FOUND)
    return channel


async def set_assignees(
    actor: Actor | None, *, channel_id: int, logins: Sequence[str]
) -> list[int]:
    """Who answers this channel's customers, in round-robin order."""
    channel = await channel_by_id(actor, channel_id)
    channel.assignees = await resolve_logins([x for x in logins if x.strip()])
    channel.rr_cursor = 0
    await channel.save(update_fields=["assignees", "rr_cursor"])
    return channel.assignees


async def disconnect(actor: Actor | None, *, channel_id: int) -> CustomerChannel:
    channel = await channel_by_id(actor, channel_id)
    await channel.delete()
    return channel
