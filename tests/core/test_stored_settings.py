"""Settings stored in the database (core/services/config.py) over the environment's values."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from spacrm.core.actors import Actor
from spacrm.core.errors import DomainError, ErrorCode
from spacrm.core.models import StoredSetting
from spacrm.core.services import config
from spacrm.core.settings import get_settings, reset_settings


@pytest.fixture
async def clean(db: str, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[pytest.MonkeyPatch]:
    yield monkeypatch
    await StoredSetting.all().delete()
    monkeypatch.delenv("SPACRM_FOCUS_MINUTES", raising=False)
    reset_settings()
    await config.load_stored()


async def test_stored_wins_over_the_environment_until_reset(
    clean: pytest.MonkeyPatch, personas: dict[str, Actor]
) -> None:
    clean.setenv("SPACRM_FOCUS_MINUTES", "25")
    reset_settings()
    assert get_settings().focus_minutes == 25
    await config.change_setting(personas["admin"], key="focus_minutes", value=" 40 ")
    assert get_settings().focus_minutes == 40
    reset_settings()  # a reload of the environment keeps the stored value on top
    assert get_settings().focus_minutes == 40
    views = {v.key: v for v in await config.list_settings(personas["admin"])}
    assert (views["focus_minutes"].value, views["focus_minutes"].default) == ("40", "25")
    assert views["focus_minutes"].stored and not views["order_prefix"].stored
    assert await config.reset_setting(personas["admin"], key="focus_minutes")
    assert get_settings().focus_minutes == 25  # back to the environment's value


async def test_only_admins_and_only_valid_values(
    clean: pytest.MonkeyPatch, personas: dict[str, Actor]
) -> None:
    with pytest.raises(DomainError) as denied:
        await config.change_setting(personas["bd_q1"], key="order_prefix", value="XY")
    assert denied.value.code == ErrorCode.FORBIDDEN
    for key, value in (("order_prefix", "xy"), ("focus_minutes", "0"), ("bank_bin", "12345"),
                       ("reminder_hours", "24,,2"), ("database_url", "sqlite://x")):  # fmt: skip
        with pytest.raises(DomainError) as bad:
            await config.change_setting(personas["admin"], key=key, value=value)
        assert bad.value.code == ErrorCode.INVALID_VALUE
    assert not await StoredSetting.exists()


async def test_a_stored_value_that_no_longer_validates_is_skipped(
    clean: pytest.MonkeyPatch,
) -> None:
    await StoredSetting.create(key="order_prefix", value="not valid!")
    await StoredSetting.create(key="receipt_prefix", value="RC")
    await config.load_stored()  # no crash at start-up: the default stands for the bad one
    assert (get_settings().order_prefix, get_settings().receipt_prefix) == ("HD", "RC")
