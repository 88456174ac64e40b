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


# -- forged buttons (#13.1): every prefix, every persona, records in and out of scope ------------

LEAD_PRESSES = ["lc:{id}", "mv:{id}:dead:{version}", "ms:{id}", "lg:{id}", "pl:{id}"]
CASE_PRESSES = ["cc:{id}", "cs:{id}:{version}", "cr:{id}", "cv:{id}:{version}",
                "cx:{id}:{version}", "ck:{id}"]  # fmt: skip
CONV_PRESSES = ["hr:{id}", "hc:{id}", "hb:{id}"]


async def _lead_state(lead_id: int) -> tuple[object, ...]:
    from spacrm.core.models import Activity

    lead = await Lead.get(id=lead_id)
    return lead.stage, lead.version, lead.owner_id, await Activity.filter(lead_id=lead_id).count()


async def _case_state(case_id: int) -> tuple[object, ...]:
    from spacrm.core.models import Complaint, ComplaintReply

    case = await Complaint.get(id=case_id)
    replies = await ComplaintReply.filter(complaint_id=case_id).count()
    return case.status, case.version, case.resolution, case.kb_article_id, replies


async def _conv_state(conv_id: int) -> tuple[object, ...]:
    from spacrm.core.models import Conversation, ConversationMessage, OutboxMessage

    conv = await Conversation.get(id=conv_id)
    messages = await ConversationMessage.filter(conversation_id=conv_id).count()
    sent = await OutboxMessage.filter(chat_id=conv.customer_ref).count()
    return conv.state, conv.assignee_id, messages, sent


async def test_forged_buttons_never_read_or_change_out_of_scope_records(
    personas: dict[str, Actor],
) -> None:
    """A Telegram client can send any callback data: for each persona, presses of every button
    prefix with ids of leads, cases and customer conversations they may not see, each followed by
    a typed line (the text a pending "Trả lời"/"Ghi nhận" would take), change nothing, send the
    customer nothing, and never show the record's name."""
    import uuid

    from spacrm.bot.customer_engine import CustomerEngine
    from spacrm.bot.engine import Engine
    from spacrm.core.models import ChannelIdentity, Complaint
    from spacrm.core.services import conversations
    from spacrm.intents.chat import ChatEvent
    from spacrm.intents.texts import t

    users = {u.id: u for u in await User.all()}
    by_login = {u.login: u for u in users.values()}
    directed: dict[int, set[int]] = {u: set() for u in users}
    for b in await Branch.all():
        if b.director_id:
            directed[b.director_id].add(b.id)
    tag = uuid.uuid4().hex[:6]
    convs = []
    for i, login in enumerate(["st_q1a1", "st_q1b1", "st_gva1", "st_hda1", "tl_hda", None]):
        conv = await conversations.open_conversation(
            "widget", "web", f"walk-{tag}-{i}", display_name=f"Khách Bí Mật {tag} {i}"
        )
        if login:
            await conversations.set_state(conv, "handoff", assignee_id=by_login[login].id)
        convs.append(conv)
    for u in users.values():
        await ChannelIdentity.get_or_create(
            channel="walk", external_id=f"walk-{tag}-{u.login}",
            defaults={"user_id": u.id, "chat_id": f"walk-{tag}-{u.login}"},
        )  # fmt: skip
    engine = Engine()
    engine.before = CustomerEngine().staff_hook
    leads = await Lead.all()
    cases = await Complaint.all()
    assert cases, "the demo chain has cases"
    rng = random.Random(13)
    out_of_scope = pressed = 0
    for step in range(120):
        user = rng.choice(list(users.values()))
        kind = rng.choice(["lead", "case", "conv"])
        if kind == "lead":
            lead = rng.choice(leads)
            rec_id, version, name = lead.id, (await Lead.get(id=lead.id)).version, lead.name
            visible = await _expected(user, users[lead.owner_id], directed)
            presses, state = LEAD_PRESSES, _lead_state
        elif kind == "case":
            case = rng.choice(cases)
            rec_id, version, name = case.id, (await Complaint.get(id=case.id)).version, case.title
            visible = await _expected(user, users[case.owner_id], directed)
            presses, state = CASE_PRESSES, _case_state
        else:
            conv = rng.choice(convs)
            rec_id, version, name = conv.id, 0, conv.display_name or ""
            fresh = await conversations.get_conversation(conv.id)
            assert fresh is not None
            holder = users.get(fresh.assignee_id or -1)
            visible = user.role in ("board", "admin") or (
                holder is not None and await _expected(user, holder, directed)
            )
            presses, state = CONV_PRESSES, _conv_state
        if visible:
            continue
        out_of_scope += 1
        before = await state(rec_id)
        for press in presses:
            payload = press.format(id=rec_id, version=version)
            base = {"channel": "walk", "external_user_id": f"walk-{tag}-{user.login}",
                    "chat_id": f"walk-{tag}-{user.login}"}  # fmt: skip
            shown = await engine.handle(ChatEvent(**base, payload=payload))
            typed = await engine.handle(ChatEvent(**base, text=f"đã xử lý xong {tag} {step}"))
            pressed += 1
            text = "\n".join(r.text for r in [*shown, *typed])
            # The bot's own example sentence names "chị Lan": no leak when a lead is called Lan.
            text = text.replace(t(user.lang, "unknown.text"), "")
            assert name not in text, (user.login, payload, text)
        assert await state(rec_id) == before, (user.login, kind, rec_id)
    assert out_of_scope >= 40 and pressed >= 150
