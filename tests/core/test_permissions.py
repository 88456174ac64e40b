"""Visibility equals the rule (#11) for many random (user, record) pairs over the demo org."""

from __future__ import annotations

import random

import pytest

from spacrm.core.actors import Actor
from spacrm.core.errors import DomainError, ErrorCode
from spacrm.core.models import Branch, Lead, User
from spacrm.core.permissions import scoped
from spacrm.core.services.cards import lead_card
from spacrm.core.services.search import search


async def _expected(user: User, owner: User, directed: dict[int, set[int]]) -> bool:
    """The rule, written from the org tree rather than from the stored ownership columns."""
    if user.role in ("board", "admin"):
        return True
    if user.role == "region":
        return owner.region_id == user.region_id
    if user.role == "branch_director":
        return owner.branch_id in directed[user.id] | {user.branch_id}
    if user.is_front_desk and user.role in ("staff", "team_lead"):
        return owner.branch_id == user.branch_id  # the front desk serves the whole branch (§2)
    if user.role == "team_lead":
        return owner.team_id is not None and owner.team_id == user.team_id
    return owner.id == user.id


async def test_visibility_matches_rule_on_random_pairs(personas: dict[str, Actor]) -> None:
    users = {u.id: u for u in await User.all()}
    directed: dict[int, set[int]] = {u: set() for u in users}
    for b in await Branch.all():
        if b.director_id:
            directed[b.director_id].add(b.id)
    leads = await Lead.all()
    assert len(leads) >= 60
    rng = random.Random(7)
    checked = seen = 0
    for _ in range(400):
        user = rng.choice(list(users.values()))
        lead = rng.choice(leads)
        actor = personas[user.login]
        expected = await _expected(user, users[lead.owner_id], directed)
        visible = await scoped(Lead, actor).filter(id=lead.id).exists()
        assert visible == expected, (user.login, lead.id)
        if expected:
            seen += 1
            assert (await lead_card(actor, lead.id)).lead.id == lead.id
        else:
            with pytest.raises(DomainError) as err:
                await lead_card(actor, lead.id)
            assert err.value.code == ErrorCode.NOT_FOUND
        if lead.phone:  # leads made by other tests may have no phone
            found = await search(actor, lead.phone, limit=3)
            assert (any(f.ref_id == lead.id for f in found)) == expected
        checked += 1
    assert checked == 400 and 0 < seen < 400


async def test_staff_in_other_teams_do_not_see_each_other(personas: dict[str, Actor]) -> None:
    a, b = personas["st_q1a1"], personas["st_q1b1"]
    a_ids = set(await scoped(Lead, a).values_list("id", flat=True))
    b_ids = set(await scoped(Lead, b).values_list("id", flat=True))
    assert a_ids and b_ids and not (a_ids & b_ids)
    lead_ids_team = set(await scoped(Lead, personas["tl_q1a"]).values_list("id", flat=True))
    assert a_ids <= lead_ids_team and not (b_ids & lead_ids_team)
    assert (a_ids | b_ids) <= set(
        await scoped(Lead, personas["bd_q1"]).values_list("id", flat=True)
    )
    north = set(await scoped(Lead, personas["rm_bac"]).values_list("id", flat=True))
    assert not (north & (a_ids | b_ids))
