"""Settings an admin may change without a restart (#11): stored in the database over the
environment's values, which stay the default ("back to default" deletes the stored value).

Each value is validated exactly like the environment variable of the same name (the pydantic field
of `Settings`), plus the checks a field's type cannot say (a bank BIN is 6 digits). The process's
settings (`get_settings()`) are refreshed after every change and at start-up (`load_stored`).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from spacrm.core.actors import Actor
from spacrm.core.errors import DomainError, ErrorCode
from spacrm.core.models import StoredSetting
from spacrm.core.permissions import can_manage_users
from spacrm.core.settings import Settings, use_stored

log = logging.getLogger(__name__)

# The settings the console shows, by group, in the order shown.
GROUPS: dict[str, tuple[str, ...]] = {
    "bank": ("spa_name", "bank_bin", "bank_account", "bank_account_name"),
    "documents": ("order_prefix", "receipt_prefix", "payment_prefix"),
    "reminders": ("reminder_hours", "morning_report_at", "day_digest_at"),
    "chat": ("focus_minutes",),
}
EDITABLE = frozenset(key for keys in GROUPS.values() for key in keys)
MAX_VALUE = 200
# What a field's type does not say: an empty bank field turns VietQR off, a set one must be usable.
_EXTRA = {
    "bank_bin": re.compile(r"^(\d{6})?$"),
    "bank_account": re.compile(r"^([0-9A-Za-z]{4,19})?$"),
}


@dataclass(frozen=True, slots=True)
class SettingView:
    key: str
    group: str
    value: str  # what is in force
    default: str  # the environment's (or built-in) value
    stored: bool  # changed in the console


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _validate(key: str, raw: str) -> Any:
    """The typed value, or INVALID_VALUE naming the setting."""
    value = raw.strip()
    if key not in EDITABLE or len(value) > MAX_VALUE:
        raise DomainError(ErrorCode.INVALID_VALUE, field=key, value=value[:40])
    extra = _EXTRA.get(key)
    if extra is not None and not extra.match(value):
        raise DomainError(ErrorCode.INVALID_VALUE, field=key, value=value[:40])
    probe = Settings.model_construct()
    try:
        Settings.__pydantic_validator__.validate_assignment(probe, key, value)
    except ValidationError as exc:
        raise DomainError(ErrorCode.INVALID_VALUE, field=key, value=value[:40]) from exc
    return getattr(probe, key)


async def load_stored() -> None:
    """Lay the stored values over the environment's (start-up and after a change). A value that
    no longer validates (a rule got stricter) is skipped with a warning, never fatal."""
    values: dict[str, Any] = {}
    for row in await StoredSetting.filter(key__in=sorted(EDITABLE)):
        try:
            values[row.key] = _validate(row.key, row.value)
        except DomainError:
            log.warning("stored setting %s=%r is not valid any more: using the default", row.key,
                        row.value)  # fmt: skip
    use_stored(values)


def _check(actor: Actor | None) -> None:
    if actor is not None and not can_manage_users(actor):
        raise DomainError(ErrorCode.FORBIDDEN)


async def list_settings(actor: Actor | None) -> list[SettingView]:
    _check(actor)
    defaults = Settings()
    stored = {row.key: row.value for row in await StoredSetting.filter(key__in=sorted(EDITABLE))}
    views = []
    for group, keys in GROUPS.items():
        for key in keys:
            default = _text(getattr(defaults, key))
            views.append(SettingView(key, group, stored.get(key, default), default, key in stored))
    return views


async def change_setting(actor: Actor | None, *, key: str, value: str) -> Any:
    """Store a new value (validated first: nothing is written when it is wrong); returns it typed."""
    _check(actor)
    typed = _validate(key, value)
    await StoredSetting.update_or_create(
        key=key,
        defaults={"value": _text(typed), "updated_by": actor.user_id if actor else None},
    )
    await load_stored()
    return typed


async def reset_setting(actor: Actor | None, *, key: str) -> bool:
    """Back to the environment's value; True when a stored value was removed."""
    _check(actor)
    if key not in EDITABLE:
        raise DomainError(ErrorCode.INVALID_VALUE, field=key, value="")
    removed = await StoredSetting.filter(key=key).delete()
    await load_stored()
    return removed > 0
