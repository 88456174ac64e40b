"""Users (#10): add, list, change role, deactivate; and turning a user into an Actor."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import VerifyMismatchError
from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from spacrm.core.actors import Actor, Role
from spacrm.core.errors import DomainError, ErrorCode
from spacrm.core.models import Branch, Team, User
from spacrm.core.permissions import Ownership, can_manage_users
from spacrm.core.services.paging import Paged, clean_query, contains, page_of
from spacrm.core.textnorm import fold, nfc

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_LOGIN = re.compile(r"^[a-z0-9_.\-]{2,60}$")
_hasher = PasswordHasher()


async def actor_for(user: User) -> Actor:
    branch_ids: tuple[int, ...] = ()
    if user.role == Role.BRANCH_DIRECTOR:
        ids = {b.id for b in await Branch.filter(director_id=user.id)}
        if user.branch_id is not None:
            ids.add(user.branch_id)
        branch_ids = tuple(sorted(ids))
    return Actor(
        user_id=user.id,
        login=user.login,
        name=user.full_name,
        role=Role(user.role),
        region_id=user.region_id,
        branch_ids=branch_ids,
        team_id=user.team_id,
        lang=user.lang,
        home_branch_id=user.branch_id,
        is_front_desk=user.is_front_desk,
        is_technician=user.is_technician,
    )


async def actor_by_login(login: str) -> Actor:
    user = await User.get_or_none(login=login.strip().lower())
    if user is None:
        raise DomainError(ErrorCode.UNKNOWN_LOGIN, login=login)
    if not user.active:
        raise DomainError(ErrorCode.USER_INACTIVE, login=login)
    return await actor_for(user)


async def ownership_for(user_id: int) -> Ownership:
    """The ownership a record gets when `user_id` owns it."""
    user = await User.get(id=user_id)
    return Ownership(user.id, user.team_id, user.branch_id, user.region_id)


async def _placement(team_code: str | None, branch_code: str | None) -> dict[str, Any]:
    if team_code:
        team = await Team.get_or_none(code=team_code).prefetch_related("branch")
        if team is None:
            raise DomainError(ErrorCode.NOT_FOUND, what="team", value=team_code)
        return {"team_id": team.id, "branch_id": team.branch.id, "region_id": team.branch.region_id}
    if branch_code:
        branch = await Branch.get_or_none(code=branch_code)
        if branch is None:
            raise DomainError(ErrorCode.NOT_FOUND, what="branch", value=branch_code)
        return {"team_id": None, "branch_id": branch.id, "region_id": branch.region_id}
    return {}


async def add_user(
    actor: Actor | None,
    *,
    login: str,
    email: str,
    full_name: str,
    role: str,
    team_code: str | None = None,
    branch_code: str | None = None,
    region_id: int | None = None,
    password: str | None = None,
    front_desk: bool = False,
    technician: bool = False,
) -> User:
    """Create a user. `actor` None means the operator at the terminal (full rights)."""
    if actor is not None and not can_manage_users(actor):
        raise DomainError(ErrorCode.FORBIDDEN)
    login = login.strip().lower()
    if not _LOGIN.match(login):
        raise DomainError(ErrorCode.INVALID_VALUE, field="login", value=login)
    if not _EMAIL.match(email.strip()):
        raise DomainError(ErrorCode.INVALID_EMAIL, value=email)
    try:
        role_value = Role(role)
    except ValueError as exc:
        raise DomainError(ErrorCode.INVALID_VALUE, field="role", value=role) from exc
    placement = await _placement(team_code, branch_code)
    if region_id is not None and "region_id" not in placement:
        placement["region_id"] = region_id
    async with in_transaction():
        if (
            await User.filter(login=login).exists()
            or await User.filter(email=email.strip().lower()).exists()
        ):
            raise DomainError(ErrorCode.USER_EXISTS, login=login)
        return await User.create(
            login=login,
            email=email.strip().lower(),
            full_name=nfc(full_name),
            name_key=fold(full_name),
            role=role_value.value,
            password_hash=_hasher.hash(password) if password else None,
            is_front_desk=front_desk,
            is_technician=technician,
            **placement,
        )


async def list_users() -> list[User]:
    return await User.all().order_by("id")


async def set_role(actor: Actor | None, *, login: str, role: str) -> User:
    if actor is not None and not can_manage_users(actor):
        raise DomainError(ErrorCode.FORBIDDEN)
    try:
        role_value = Role(role)
    except ValueError as exc:
        raise DomainError(ErrorCode.INVALID_VALUE, field="role", value=role) from exc
    user = await User.get_or_none(login=login.strip().lower())
    if user is None:
        raise DomainError(ErrorCode.UNKNOWN_LOGIN, login=login)
    user.role = role_value.value
    await user.save(update_fields=["role"])
    return user


async def deactivate(actor: Actor | None, *, login: str) -> User:
    if actor is not None and not can_manage_users(actor):
        raise DomainError(ErrorCode.FORBIDDEN)
    user = await User.get_or_none(login=login.strip().lower())
    if user is None:
        raise DomainError(ErrorCode.UNKNOWN_LOGIN, login=login)
    user.active = False
    await user.save(update_fields=["active"])
    return user


def check_password(user: User, password: str) -> bool:
    if not user.password_hash:
        return False
    try:
        return _hasher.verify(user.password_hash, password)
    except VerifyMismatchError:
        return False


async def set_language(actor: Actor, *, lang: str) -> Actor:
    """Each user picks the bot's language; errors and buttons follow it too."""
    if lang not in ("vi", "en"):
        raise DomainError(ErrorCode.INVALID_VALUE, field="lang", value=lang)
    await User.filter(id=actor.user_id).update(lang=lang)
    user = await User.get(id=actor.user_id)
    return await actor_for(user)


async def user_names_langs(user_ids: list[int]) -> dict[int, tuple[str, str]]:
    """Active users' display names and languages, for messages addressed to them."""
    users = await User.filter(id__in=user_ids, active=True).order_by("id")
    return {u.id: (u.full_name, u.lang) for u in users}


async def language_of(user_id: int, default: str = "vi") -> str:
    """The language a user reads the bot in (`default` for an unknown id)."""
    user = await User.get_or_none(id=user_id)
    return user.lang if user else default


async def logins_by_id(user_ids: Sequence[int]) -> dict[int, str]:
    """Login names of these users (active or not), for listings that store user ids."""
    return {u.id: u.login for u in await User.filter(id__in=list(user_ids))}


# -- the console's users screen (#11) --------------------------------------------------------------


async def get_user(actor: Actor | None, user_id: int) -> User:
    """One user for the admin screens; NOT_FOUND for a wrong id, FORBIDDEN for non-admins."""
    if actor is not None and not can_manage_users(actor):
        raise DomainError(ErrorCode.FORBIDDEN)
    user = await User.get_or_none(id=user_id)
    if user is None:
        raise DomainError(ErrorCode.NOT_FOUND)
    return user


async def update_user(
    actor: Actor | None,
    *,
    user_id: int,
    role: str,
    team_code: str | None,
    branch_code: str | None,
    front_desk: bool,
    technician: bool,
) -> User:
    """Role, place (team, else branch) and the front-desk / technician flags in one change:
    everything is checked before anything is written."""
    user = await get_user(actor, user_id)
    try:
        role_value = Role(role)
    except ValueError as exc:
        raise DomainError(ErrorCode.INVALID_VALUE, field="role", value=role) from exc
    placement = await _placement(team_code or None, branch_code or None)
    if not placement:  # no team, no branch: the user keeps only a region (board, region roles)
        placement = {"team_id": None, "branch_id": None, "region_id": user.region_id}
    user.role = role_value.value
    user.team_id = placement["team_id"]
    user.branch_id = placement["branch_id"]
    user.region_id = placement["region_id"]
    user.is_front_desk, user.is_technician = front_desk, technician
    await user.save(update_fields=["role", "team_id", "branch_id", "region_id", "is_front_desk",
                                   "is_technician"])  # fmt: skip
    return user


async def set_active(actor: Actor | None, *, user_id: int, active: bool) -> User:
    """Deactivate (they cannot use the bot or sign in any more) or activate again."""
    user = await get_user(actor, user_id)
    if actor is not None and user.id == actor.user_id and not active:
        raise DomainError(ErrorCode.FORBIDDEN)  # locking oneself out helps nobody
    user.active = active
    await user.save(update_fields=["active"])
    return user


async def page_users(text: str = "", page: int = 1) -> Paged[User]:
    """The console's user list (#11), a page at a time: login, email or name (diacritics optional)."""
    query = User.all()
    words = clean_query(text)
    if words:
        key = fold(words)
        query = query.filter(
            contains("login", words) | contains("email", words) | Q(name_key__contains=key)
        )
    return await page_of(query.order_by("id"), page, count=not words)
