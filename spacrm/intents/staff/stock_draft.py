"""The confirm-then-write card the stock-out and transfer intents share (#34).

Nothing leaves a warehouse until "Xuất kho" / "Chuyển kho" is pressed. The draft lives in the
chat's dialog state under a random key the buttons carry; the moves are written with that key as
their idempotency key, so a double press (or two presses at once) writes them once.
"""

from __future__ import annotations

import secrets
from typing import Any

from spacrm.core.errors import DomainError, ErrorCode
from spacrm.intents.chat import Button, Reply
from spacrm.intents.context import Ctx

DRAFT = "stock_draft"
SAVED = "stock_saved"


def quantity_of(written: object) -> float:
    try:
        value = float(str(written).split()[0].replace(",", "."))
    except (ValueError, IndexError):
        raise DomainError(ErrorCode.INVALID_VALUE, value=str(written)) from None
    if value <= 0:
        raise DomainError(ErrorCode.INVALID_VALUE, value=str(written))
    return value


def card(ctx: Ctx, draft: dict[str, Any], text: str, button: str, prefix: str) -> Reply:
    key = "k" + secrets.token_hex(5)  # never all digits: the engine refuses such arguments
    ctx.state[DRAFT] = {**draft, "key": key}
    return Reply(text, [[Button(ctx.t(button), f"{prefix}:{key}"), ctx.cancel_button()]])


def take(ctx: Ctx, key: str, kind: str) -> dict[str, Any] | list[Reply]:
    """The draft a button names, or the toast for a repeat / stale press."""
    draft = ctx.state.get(DRAFT)
    if isinstance(draft, dict) and draft.get("key") == key and draft.get("kind") == kind:
        return draft
    saved = ctx.state.get(SAVED) or {}
    if saved.get("key") == key:
        text = ctx.t("ok.stock_move_repeat")
        return [Reply(text, toast=text)]
    return [Reply(ctx.t("err.stale"), toast=ctx.t("err.stale"))]


def written(ctx: Ctx, key: str) -> None:
    ctx.state.pop(DRAFT, None)
    ctx.state[SAVED] = {"key": key}
