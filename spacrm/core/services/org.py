"""The organisation tree (#11): regions → branches → teams, as the console shows and grows it."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from spacrm.core.actors import Actor
from spacrm.core.errors import DomainError, ErrorCode
from spacrm.core.models import Branch, Region, Team
from spacrm.core.permissions import can_manage_users
from spacrm.core.textnorm import nfc

_CODE = re.compile(r"^[a-z0-9_\-]{1,40}$")


@dataclass
class BranchNode:
    branch: Branch
    teams: list[Team] = field(default_factory=list)


@dataclass
class RegionNode:
    region: Region
    branches: list[BranchNode] = field(default_factory=list)


async def org_tree() -> list[RegionNode]:
    regions = {r.id: RegionNode(r) for r in await Region.all().order_by("name")}
    branches = {}
    for b in await Branch.all().order_by("name"):
        branches[b.id] = BranchNode(b)
        if b.region_id in regions:
            regions[b.region_id].branches.append(branches[b.id])
    for t in await Team.all().order_by("name"):
        if t.branch_id in branches:
            branches[t.branch_id].teams.append(t)
    return list(regions.values())


async def teams_and_branches() -> tuple[list[Team], list[Branch]]:
    return await Team.all().order_by("code"), await Branch.all().order_by("code")


def _checked(actor: Actor | None, code: str, name: str) -> tuple[str, str]:
    if actor is not None and not can_manage_users(actor):
        raise DomainError(ErrorCode.FORBIDDEN)
    code = code.strip().lower()
    if not _CODE.match(code):
        raise DomainError(ErrorCode.INVALID_VALUE, field="code", value=code[:40])
    name = nfc(name.strip())
    if not name or len(name) > 120:
        raise DomainError(ErrorCode.NAME_REQUIRED)
    return code, name


async def add_region(actor: Actor | None, *, code: str, name: str) -> Region:
    code, name = _checked(actor, code, name)
    if await Region.exists(code=code):
        raise DomainError(ErrorCode.ORG_CODE_TAKEN, value=code)
    return await Region.create(code=code, name=name)


async def add_branch(actor: Actor | None, *, code: str, name: str, region_code: str) -> Branch:
    code, name = _checked(actor, code, name)
    region = await Region.get_or_none(code=region_code.strip().lower())
    if region is None:
        raise DomainError(ErrorCode.INVALID_VALUE, field="region", value=region_code[:40])
    if await Branch.exists(code=code):
        raise DomainError(ErrorCode.ORG_CODE_TAKEN, value=code)
    return await Branch.create(code=code, name=name, region=region)


async def add_team(actor: Actor | None, *, code: str, name: str, branch_code: str) -> Team:
    code, name = _checked(actor, code, name)
    branch = await Branch.get_or_none(code=branch_code.strip().lower())
    if branch is None:
        raise DomainError(ErrorCode.INVALID_VALUE, field="branch", value=branch_code[:40])
    if await Team.exists(code=code):
        raise DomainError(ErrorCode.ORG_CODE_TAKEN, value=code)
    return await Team.create(code=code, name=name, branch=branch)
