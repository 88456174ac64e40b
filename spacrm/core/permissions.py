"""Visibility rules (#11), applied to every read and write in core/services.

board/admin: everything; region: its region; branch director: their branch(es); team lead: the
team; staff: their own records. A record outside the scope is "not found", never "forbidden".
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Protocol, TypeVar

from tortoise.expressions import Q
from tortoise.models import Model
from tortoise.queryset import QuerySet

from spacrm.core.actors import Actor, Role
from spacrm.core.errors import DomainError, ErrorCode

M = TypeVar("M", bound=Model)


class OwnedRecord(Protocol):
    @property
    def owner_id(self) -> int: ...
    @property
    def team_id(self) -> int | None: ...
    @property
    def branch_id(self) -> int | None: ...
    @property
    def region_id(self) -> int | None: ...


@dataclass(frozen=True, slots=True)
class Ownership:
    """The four ownership columns every owned record carries (copied from its owner)."""

    owner_id: int
    team_id: int | None
    branch_id: int | None
    region_id: int | None

    @classmethod
    def of(cls, record: OwnedRecord) -> Ownership:
        """Children (activities, deals, accounts…) stay in their parent record's scope."""
        return cls(record.owner_id, record.team_id, record.branch_id, record.region_id)

    def columns(self) -> dict[str, Any]:
        return asdict(self)


def scope_filter(actor: Actor) -> dict[str, Any]:
    """The one filter that decides what `actor` may see."""
    if actor.sees_all:
        return {}
    if _desk_branch(actor) is not None:
        # The front desk serves every customer of its branch (DESIGN §2); wider roles keep theirs.
        return {"branch_id": _desk_branch(actor)}
    if actor.role == Role.REGION:
        return {"region_id": actor.region_id if actor.region_id is not None else -1}
    if actor.role == Role.BRANCH_DIRECTOR:
        return {"branch_id__in": list(actor.branch_ids) or [-1]}
    if actor.role == Role.TEAM_LEAD:
        return {"team_id": actor.team_id if actor.team_id is not None else -1}
    return {"owner_id": actor.user_id}


def scoped(model: type[M], actor: Actor) -> QuerySet[M]:
    return model.filter(**scope_filter(actor))


def _desk_branch(actor: Actor) -> int | None:
    """The branch a front-desk staff member or team lead serves (None for everyone else)."""
    if actor.is_front_desk and actor.role in (Role.STAFF, Role.TEAM_LEAD):
        return actor.home_branch_id
    return None


def can_see(actor: Actor, record: OwnedRecord) -> bool:
    """The same rule as scope_filter, for a record already in memory."""
    if actor.sees_all:
        return True
    if _desk_branch(actor) is not None:
        return record.branch_id is not None and record.branch_id == _desk_branch(actor)
    if actor.role == Role.REGION:
        return record.region_id is not None and record.region_id == actor.region_id
    if actor.role == Role.BRANCH_DIRECTOR:
        return record.branch_id is not None and record.branch_id in actor.branch_ids
    if actor.role == Role.TEAM_LEAD:
        return record.team_id is not None and record.team_id == actor.team_id
    return record.owner_id == actor.user_id


MAX_RECORD_ID = 2**31 - 1  # the id columns are 32-bit on PostgreSQL


def record_id(raw: str | None) -> int | None:
    """A record id from a button payload or typed text, or None when it cannot be one.

    Only ASCII digits: "²".isdigit() is true but int("²") raises, and a 4,300-digit number makes
    int() raise too; ids outside the column's range would make the database raise. Callers then
    answer "not found", the same as for an id outside the user's scope."""
    if not raw or len(raw) > 10 or not (raw.isascii() and raw.isdigit()):
        return None
    value = int(raw)
    return value if 0 < value <= MAX_RECORD_ID else None


async def get_visible(model: type[M], actor: Actor, record_id: int) -> M:
    record = await scoped(model, actor).get_or_none(id=record_id)
    if record is None:
        raise DomainError(ErrorCode.NOT_FOUND)
    return record


# --- Operations records (orders, vouchers, courses): DESIGN §2 ------------------------------
# Sales visibility as above, plus: the front desk sees every record of their own branch (they
# serve walk-ins of every salesperson); a technician sees the courses they are assigned to.


def ops_scoped(model: type[M], actor: Actor, *, technician_field: str | None = None) -> QuerySet[M]:
    """`scoped` for operations records (they carry `site_branch_id`)."""
    if actor.sees_all:
        return model.all()
    extra: list[Q] = []
    if actor.is_front_desk and actor.home_branch_id is not None:
        extra.append(Q(site_branch_id=actor.home_branch_id))
    if actor.is_technician and technician_field:
        extra.append(Q(**{technician_field: actor.user_id}))  # type: ignore[arg-type]
    if not extra:
        return scoped(model, actor)
    return model.filter(Q(Q(**scope_filter(actor)), *extra, join_type=Q.OR))


def can_override_price(actor: Actor, policy: str) -> bool:
    """`policy` is the setting `price_override`: a comma list of managers, front_desk, all."""
    allowed = {p.strip() for p in policy.split(",")}
    return (
        "all" in allowed
        or ("managers" in allowed and actor.is_manager)
        or ("front_desk" in allowed and actor.is_front_desk)
    )


def can_manage_users(actor: Actor) -> bool:
    return actor.role in (Role.ADMIN, Role.BOARD)


def can_approve_knowledge(actor: Actor) -> bool:
    """What the customer chatbot says is the spa's word: a manager approves it."""
    return actor.role in (Role.ADMIN, Role.BOARD, Role.REGION, Role.BRANCH_DIRECTOR, Role.TEAM_LEAD)


async def knowledge_approvers(user_id: int) -> list[int]:
    """Who approves an article this user drafted: their team lead, else their branch director,
    else the board (never the author themselves)."""
    from spacrm.core.models import User

    author = await User.get_or_none(id=user_id)
    active = User.filter(active=True).exclude(id=user_id)
    if author is not None and author.team_id is not None:
        ids = [u.id for u in await active.filter(role=Role.TEAM_LEAD, team_id=author.team_id)]
        if ids:
            return ids
    if author is not None and author.branch_id is not None:
        ids = [
            u.id for u in await active.filter(role=Role.BRANCH_DIRECTOR, branch_id=author.branch_id)
        ]
        if ids:
            return ids
    return [u.id for u in await active.filter(role=Role.BOARD)]


def can_write_expense(actor: Actor) -> bool:
    """Payment vouchers (phiếu chi) take money out of a branch's till: its front desk and the
    managers may write them, a plain seller or technician may not (issue 8)."""
    return actor.is_front_desk or actor.is_manager


def can_review_bank(actor: Actor) -> bool:
    """The bank transfers no order took: the front desk and the managers look at them (which
    ones, by branch: services/bank_transfers)."""
    return actor.is_front_desk or actor.is_manager
