"""One customer per identifier (issue 13 #3): concurrent creators of the same phone, email, tax
code or CCCD make ONE record, the others get "already exists"; through staff chat and the
widget. The same tests on PostgreSQL (SPACRM_TEST_POSTGRES_URL) run the creators on separate
pool connections, so the database's unique index, not a check in Python, decides."""

from __future__ import annotations

import asyncio
import random
import uuid

import pytest

from spacrm.bot.customer_engine import CustomerEngine
from spacrm.core.actors import Actor
from spacrm.core.errors import DomainError, ErrorCode
from spacrm.core.ids import _MST_WEIGHTS
from spacrm.core.models import Conversation, CustomerChannel, Lead
from spacrm.core.services.leads import create_lead
from spacrm.intents.chat import ChatEvent
from tests.conftest import new_phone

CREATORS = ["st_q1a1", "st_q1a2", "st_q1b1", "st_gva1", "tl_q1a"]
_rng = random.Random(13)


def _tax_code() -> str:
    while True:
        head = f"03{_rng.randrange(10**7):07d}"
        remainder = sum(w * int(d) for w, d in zip(_MST_WEIGHTS, head, strict=True)) % 11
        if remainder:
            return head + str((10 - remainder) % 10)


def _citizen_id() -> str:
    return f"079095{_rng.randrange(10**6):06d}"


@pytest.mark.parametrize("field", ["phone", "email", "tax_code", "citizen_id"])
async def test_five_concurrent_creators_make_one_lead(
    personas: dict[str, Actor], field: str
) -> None:
    value = {
        "phone": new_phone(),
        "email": f"race-{uuid.uuid4().hex[:8]}@example.com",
        "tax_code": _tax_code(),
        "citizen_id": _citizen_id(),
    }[field]
    actors = [personas[login] for login in CREATORS if login in personas]
    assert len(actors) == 5

    async def create(i: int, actor: Actor) -> Lead | DomainError:
        try:
            return await create_lead(actor, name=f"Khách đua {i}", **{field: value})
        except DomainError as exc:
            return exc

    results = await asyncio.gather(*(create(i, a) for i, a in enumerate(actors)))
    made = [r for r in results if isinstance(r, Lead)]
    refused = [r for r in results if isinstance(r, DomainError)]
    assert len(made) == 1, results
    assert {e.code for e in refused} <= {ErrorCode.DUPLICATE_VISIBLE, ErrorCode.DUPLICATE_HIDDEN}
    assert len(refused) == 4
    assert await Lead.filter(**{field: value}).count() == 1


async def test_concurrent_widget_first_messages_with_one_phone_make_one_lead(
    personas: dict[str, Actor],
) -> None:
    assert personas
    channel = await CustomerChannel.get_or_none(kind="widget", external_id="web")
    if channel is None:
        channel = await CustomerChannel.create(kind="widget", external_id="web", access_token="")
    channel.assignees = [personas["st_q1a1"].user_id, personas["st_q1b1"].user_id]
    await channel.save()
    engine = CustomerEngine()
    phone = new_phone()
    tag = uuid.uuid4().hex[:8]
    events = [
        ChatEvent(
            channel="widget",
            external_user_id=f"race-{tag}-{i}",
            chat_id=f"race-{tag}-{i}",
            text=f"Em để lại số {phone} nhé",
            account_ref="web",
        )
        for i in range(5)
    ]
    replies = await asyncio.gather(*(engine.handle(e) for e in events))
    assert all(r for r in replies)
    leads = await Lead.filter(phone=phone)
    assert len(leads) == 1
    convs = await Conversation.filter(customer_ref__startswith=f"race-{tag}-")
    assert len(convs) == 5 and {c.lead_id for c in convs} == {leads[0].id}
