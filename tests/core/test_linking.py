"""Two-step linking (#10): code by email, 10 minutes, 5 tries; unknown logins; deactivated users."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from spacrm.core import clock
from spacrm.core.errors import DomainError, ErrorCode
from spacrm.core.models import OutboxMessage
from spacrm.core.services import linking


async def _code_for(external_id: str, login: str) -> str:
    await linking.start_link(
        "test", external_id, login, subject="Mã", body_template="Mã của bạn: {code}"
    )
    mail = (
        await OutboxMessage.filter(channel="email", chat_id=f"{login}@lotus.example")
        .order_by("-id")
        .first()
    )
    assert mail is not None
    found = re.search(r"\d{6}", str(mail.payload["text"]))
    assert found
    return found.group(0)


async def test_right_code_links_and_wrong_codes_lock(db: str) -> None:
    code = await _code_for("u-1", "st_hda1")
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    for tries_left in (4, 3, 2, 1):
        with pytest.raises(DomainError) as err:
            await linking.verify_link("test", "u-1", "c-1", wrong)
        assert err.value.code == ErrorCode.CODE_WRONG and err.value.params["tries"] == tries_left
    with pytest.raises(DomainError) as locked:
        await linking.verify_link("test", "u-1", "c-1", wrong)
    assert locked.value.code == ErrorCode.CODE_LOCKED
    with pytest.raises(DomainError):  # even the right code is refused once locked
        await linking.verify_link("test", "u-1", "c-1", code)
    assert await linking.actor_for_identity("test", "u-1") is None
    fresh = await _code_for("u-1", "st_hda1")
    actor = await linking.verify_link("test", "u-1", "c-1", fresh)
    assert actor.login == "st_hda1"
    assert (await linking.actor_for_identity("test", "u-1")) == actor


async def test_code_expires_after_ten_minutes(db: str) -> None:
    code = await _code_for("u-2", "st_gva1")
    clock.freeze(clock.now() + timedelta(minutes=11))
    try:
        with pytest.raises(DomainError) as err:
            await linking.verify_link("test", "u-2", "c-2", code)
        assert err.value.code == ErrorCode.CODE_EXPIRED
    finally:
        clock.freeze(None)


async def test_unknown_login_and_email_login(db: str) -> None:
    with pytest.raises(DomainError) as err:
        await linking.start_link("test", "u-3", "nobody", subject="s", body_template="{code}")
    assert err.value.code == ErrorCode.UNKNOWN_LOGIN
    masked = await linking.start_link(
        "test", "u-3", "TL_HDA@lotus.example", subject="s", body_template="{code}"
    )
    assert masked.startswith("tl***@") and "lotus.example" in masked
