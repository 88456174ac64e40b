"""Who is acting: the resolved user with everything permission checks need."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    BOARD = "board"
    REGION = "region"
    BRANCH_DIRECTOR = "branch_director"
    TEAM_LEAD = "team_lead"
    STAFF = "staff"
    ADMIN = "admin"


@dataclass(frozen=True, slots=True)
class Actor:
    user_id: int
    login: str
    name: str
    role: Role
    region_id: int | None = None
    branch_ids: tuple[int, ...] = ()
    team_id: int | None = None
    lang: str = "vi"
    # Operations (DESIGN §2): the user's own branch, and the front-desk / technician flags.
    home_branch_id: int | None = None
    is_front_desk: bool = False
    is_technician: bool = False

    @property
    def sees_all(self) -> bool:
        return self.role in (Role.BOARD, Role.ADMIN)

    @property
    def is_manager(self) -> bool:
        return self.role != Role.STAFF
