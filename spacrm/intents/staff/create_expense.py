"""create_expense: "chi 500k mua khăn", "chi tiền điện 2tr ck", "lập phiếu chi 300k sửa máy lạnh".

Nothing is written until the card is confirmed: the bot shows the voucher it would make (amount,
reason, category, method, branch) with "Lập phiếu chi", "Đổi loại" and "Hủy". The draft lives in
the chat's dialog state under a random key that the buttons carry; the voucher is written with
that key as its idempotency key, so a double press (or two presses at once) makes one voucher.

Payloads: "ey:<key>" write, "eg:<key>" offer the categories, "ek:<key>:<i>" pick category i.
"""

from __future__ import annotations

import secrets
from typing import Any

from spacrm.core.errors import DomainError, ErrorCode
from spacrm.core.permissions import can_write_expense
from spacrm.core.services.expenses import CATEGORY_KEYS, guess_category, write_expense
from spacrm.intents import format as fmt
from spacrm.intents.chat import Button, Reply
from spacrm.intents.context import Ctx
from spacrm.intents.staff.create_order import _int_slot, check_amount_text

DRAFT = "expense_draft"
SAVED = "expense_saved"
MAX_REASON = 200


async def run(ctx: Ctx, slots: dict[str, Any]) -> list[Reply]:
    if not can_write_expense(ctx.actor):
        ctx.done()
        return [Reply(ctx.t("err.expense_forbidden"))]
    if ctx.event.text:
        check_amount_text(ctx)  # "1tr5k" is no amount: refused, not read as 1.005.000
    if "text" in slots and not slots.get("reason"):  # the answer to "chi cho việc gì?"
        slots = {**slots, "reason": str(slots.pop("text")).strip()}
    amount = _int_slot(slots, "amount")
    if amount is None:
        return ctx.ask("create_expense", slots, "amount", ctx.t("ask.expense_amount"))
    if amount <= 0:
        raise DomainError(ErrorCode.BAD_AMOUNT, value=str(slots.get("amount")))
    reason = str(slots.get("reason") or "").strip()[:MAX_REASON]
    reason = reason[:1].upper() + reason[1:]
    if not reason:
        return ctx.ask("create_expense", slots, "text", ctx.t("ask.expense_reason"))
    ctx.done()
    method = str(slots.get("method") or "cash")
    key = "k" + secrets.token_hex(5)  # never all digits: the engine refuses such arguments
    ctx.state[DRAFT] = {"key": key, "amount": amount, "reason": reason, "method": method,
                        "category": guess_category(reason)}  # fmt: skip
    return [_card(ctx, ctx.state[DRAFT])]


def _card(ctx: Ctx, draft: dict[str, Any], *, edit: bool = False) -> Reply:
    text = ctx.t(
        "expense.draft", amount=fmt.money(int(draft["amount"])), reason=draft["reason"],
        category=ctx.t(f"expense.cat.{draft['category']}"),
        method=ctx.t(f"method.{draft['method']}"),
    )  # fmt: skip
    key = draft["key"]
    rows = [
        [Button(ctx.t("btn.expense_write"), f"ey:{key}"),
         Button(ctx.t("btn.expense_category"), f"eg:{key}")],
        [ctx.cancel_button()],
    ]  # fmt: skip
    return Reply(text, rows, edit=edit)


def _draft(ctx: Ctx, key: str) -> dict[str, Any] | None:
    draft = ctx.state.get(DRAFT)
    return draft if isinstance(draft, dict) and draft.get("key") == key else None


async def write(ctx: Ctx, args: list[str]) -> list[Reply]:
    """ "Lập phiếu chi": the voucher is written (once per draft)."""
    key = args[0]
    draft = _draft(ctx, key)
    if draft is None:
        saved = ctx.state.get(SAVED) or {}
        if saved.get("key") == key:
            text = ctx.t("ok.expense_repeat", number=saved["number"])
            return [Reply(text, toast=text)]
        return [Reply(ctx.t("err.stale"), toast=ctx.t("err.stale"))]
    voucher = await write_expense(
        ctx.actor, reason=draft["reason"], amount=int(draft["amount"]), method=draft["method"],
        category=draft["category"], idem_key=f"exp:{key}",
    )  # fmt: skip
    ctx.state.pop(DRAFT, None)
    ctx.state[SAVED] = {"key": key, "number": voucher.number}
    text = ctx.t(
        "ok.expense_written", number=voucher.number, amount=fmt.money(voucher.amount),
        reason=voucher.name, category=ctx.t(f"expense.cat.{voucher.category or 'other'}"),
    )  # fmt: skip
    return [Reply(text, edit=True)]


async def categories(ctx: Ctx, args: list[str]) -> list[Reply]:
    """ "Đổi loại": one button per category."""
    draft = _draft(ctx, args[0])
    if draft is None:
        return [Reply(ctx.t("err.stale"), toast=ctx.t("err.stale"))]
    buttons = [
        Button(ctx.t(f"expense.cat.{cat}"), f"ek:{draft['key']}:{i}")
        for i, cat in enumerate(CATEGORY_KEYS)
    ]
    rows = [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
    return [Reply(ctx.t("ask.expense_category"), [*rows, [ctx.cancel_button()]], edit=True)]


async def pick_category(ctx: Ctx, args: list[str]) -> list[Reply]:
    draft = _draft(ctx, args[0])
    index = int(args[1])
    if draft is None or not 0 <= index < len(CATEGORY_KEYS):
        return [Reply(ctx.t("err.stale"), toast=ctx.t("err.stale"))]
    draft["category"] = CATEGORY_KEYS[index]
    ctx.state[DRAFT] = dict(draft)
    return [_card(ctx, draft, edit=True)]
