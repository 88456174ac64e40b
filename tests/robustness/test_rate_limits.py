"""Rate limits (issue 13 #10): link codes per login and per chat, the limiter itself."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from spacrm.core import clock
from spacrm.core.errors import DomainError, ErrorCode
from spacrm.core.models import OutboxMessage, User
from spacrm.core.services import linking, ratelimit


async def _mails_to(login: str) -> int:
    return await OutboxMessage.filter(channel="email", chat_id=f"{login}@lotus.example").count()


async def _start(chat: str, login: str) -> None:
    await linking.start_link("rl", chat, login, subject="Mã", body_template="Mã: {code}")


async def test_link_codes_per_login_then_per_chat(db: str) -> None:
    before = await _mails_to("tl_gva")
    # 200 requests for one login from many chats: 3 codes mailed, the rest refused.
    refused = 0
    for i in range(200):
        try:
            await _start(f"spray-{uuid.uuid4().hex[:6]}-{i}", "tl_gva")
        except DomainError as exc:
            assert exc.code == ErrorCode.RATE_LIMITED and exc.params["minutes"] == 10
            refused += 1
    assert refused == 197
    assert await _mails_to("tl_gva") - before == 3
    # One chat trying many logins: 3 codes, then refused. (The logins' own counts are cleared
    # first and after: other tests sharing the database link these demo users too.)
    tag = uuid.uuid4().hex[:6]
    logins = ["st_q1a1", "st_q1a2", "st_q1b1", "st_gva1", "st_hda1"]
    keys = [f"link-login:{u.id}" for u in await User.filter(login__in=logins)]
    await ratelimit.reset(*keys)
    chat = f"one-{tag}"
    mailed = 0
    for login in logins:
        try:
            await _start(chat, login)
            mailed += 1
        except DomainError as exc:
            assert exc.code == ErrorCode.RATE_LIMITED
    await ratelimit.reset(*keys)
    assert mailed == 3
    # Ten minutes later the login may get a code again.
    clock.freeze(clock.now() + timedelta(minutes=11))
    try:
        await _start(f"later-{uuid.uuid4().hex[:6]}", "tl_gva")
    finally:
        clock.freeze(None)
    assert await _mails_to("tl_gva") - before == 4
    tl = await User.get(login="tl_gva")
    await ratelimit.reset(f"link-login:{tl.id}")


async def test_limiter_counts_per_key_and_window(db: str) -> None:
    key = f"test:{uuid.uuid4().hex}"
    rule = ratelimit.Limit(2, timedelta(minutes=5))
    assert [await ratelimit.hit(key, rule) for _ in range(4)] == [True, True, False, False]
    assert await ratelimit.hit(key + "-other", rule)
    assert not await ratelimit.would_allow(key, rule)
    clock.freeze(clock.now() + timedelta(minutes=6))
    try:
        assert await ratelimit.would_allow(key, rule)
        assert await ratelimit.hit(key, rule)
    finally:
        clock.freeze(None)


@pytest.mark.parametrize("n", [20])
async def test_limiter_is_exact_under_concurrency(db: str, n: int) -> None:
    import asyncio

    key = f"race:{uuid.uuid4().hex}"
    rule = ratelimit.Limit(3, timedelta(hours=1))
    results = await asyncio.gather(*(ratelimit.hit(key, rule) for _ in range(n)))
    assert results.count(True) == 3


async def test_a_successful_link_starts_the_count_afresh(db: str) -> None:
    import re

    tag = uuid.uuid4().hex[:6]
    login = "tl_hda"
    user = await User.get(login=login)
    await ratelimit.reset(f"link-login:{user.id}")
    for _ in range(3):
        await _start(f"c-{tag}", login)
    mail = await OutboxMessage.filter(chat_id=f"{login}@lotus.example").order_by("-id").first()
    assert mail is not None
    code = re.search(r"\d{6}", str(mail.payload["text"]))
    assert code
    await linking.verify_link("rl", f"c-{tag}", f"c-{tag}", code.group(0))
    await _start(f"c2-{tag}", login)  # a new phone a week later, say: allowed again
    await ratelimit.reset(f"link-login:{user.id}", f"link-chat:rl:c2-{tag}")
