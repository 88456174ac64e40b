"""HR fixtures: a fresh branch per test (director, team lead, two technicians, each linked on
Telegram), a frozen clock (Wednesday 25/11/2026 10:00) and the chat texts wired for notices."""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime

import pytest

from spacrm.bot.engine import Engine
from spacrm.core.actors import Actor, Role
from spacrm.core.models import Branch, ChannelIdentity, OutboxMessage, Region, Team, User
from spacrm.core.services.users import actor_for
from spacrm.core.textnorm import fold
from tests.frozen import frozen_clock_at
from tests.intents.transcript import Chat

_seq = itertools.count(1)
NOW = datetime(2026, 11, 25, 10, 0)  # a Wednesday


frozen_clock = frozen_clock_at(NOW)


@dataclass
class Org:
    n: int
    branch: Branch
    director: Actor
    lead: Actor
    hoa: Actor  # technician in the lead's team
    mai: Actor  # technician in the lead's team
    users: dict[str, User]
    board: Actor

    def chat(self, actor: Actor) -> Chat:
        return Chat(Engine(), actor)

    def tg_chat(self, actor: Actor) -> str:
        return f"hr{self.n}-{actor.login}"


@pytest.fixture
async def org(db: str, personas: dict[str, Actor]) -> AsyncIterator[Org]:
    """The people join the shared persona list (permission walks cover every user); their
    queued chat notices and emails are dropped afterwards, so a later test's dispatcher (with
    the fake Telegram and SMTP servers) doesn't deliver them."""
    n = next(_seq) * 7919 % 100_000
    tag = "".join(chr(97 + int(d)) for d in str(n))
    region = await Region.get(code="rm_nam")
    branch = await Branch.create(name=f"Chi nhánh HR {tag}", code=f"hr{tag}", region=region)
    team = await Team.create(name=f"HR-{tag}", code=f"hr{tag}t", branch=branch)
    users: dict[str, User] = {}
    for key, name, role, tech in (
        ("director", f"Giám Đốc {tag}", Role.BRANCH_DIRECTOR, False),
        ("lead", f"Trưởng Nhóm {tag}", Role.TEAM_LEAD, False),
        ("hoa", "Phạm Thị Hoa", Role.STAFF, True),
        ("mai", "Trần Thị Mai", Role.STAFF, True),
    ):
        users[key] = await User.create(
            login=f"hr{key}{tag}", email=f"hr{key}{tag}@hr.example", full_name=name,
            name_key=fold(name), role=role, region_id=region.id, branch_id=branch.id,
            team_id=team.id, is_technician=tech,
        )  # fmt: skip
    await Branch.filter(id=branch.id).update(director_id=users["director"].id)
    await Team.filter(id=team.id).update(lead_id=users["lead"].id)
    actors = {k: await actor_for(u) for k, u in users.items()}
    board = await actor_for(await User.filter(role=Role.BOARD, active=True).order_by("id").first())
    org = Org(n, branch, actors["director"], actors["lead"], actors["hoa"], actors["mai"], users,
              board)  # fmt: skip
    for actor in actors.values():
        await ChannelIdentity.create(user_id=actor.user_id, channel="telegram",
                                     external_id=org.tg_chat(actor), chat_id=org.tg_chat(actor))  # fmt: skip
        personas[actor.login] = actor
    yield org
    chats = [org.tg_chat(a) for a in actors.values()] + [u.email for u in users.values()]
    await OutboxMessage.filter(chat_id__in=chats).delete()
