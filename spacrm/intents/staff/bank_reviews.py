"""bank_reviews: "giao dịch chưa khớp", "ck chưa gán": the bank transfers that matched no order
and wait for someone, each with its "Gán vào đơn" / "Bỏ qua" buttons (the same as the notice
the front desk and managers got when the transfer came in). Who sees which: bank_transfers."""

from __future__ import annotations

from typing import Any

from spacrm.core import clock
from spacrm.core.permissions import can_review_bank
from spacrm.core.services import bank_transfers
from spacrm.core.services.numbering import vnd
from spacrm.intents import format as fmt
from spacrm.intents.chat import Button, Reply
from spacrm.intents.context import Ctx

SHOWN = 10


async def run(ctx: Ctx, slots: dict[str, Any]) -> list[Reply]:
    ctx.done()
    if not can_review_bank(ctx.actor):
        return [Reply(ctx.t("err.bank_reviews_forbidden"))]
    rows = await bank_transfers.list_review_rows(ctx.actor, limit=SHOWN + 1)
    if not rows:
        return [Reply(ctx.t("bank.reviews_none"))]
    more = len(rows) > SHOWN
    replies = [Reply(ctx.t("bank.reviews_title", n=len(rows[:SHOWN])) + (
        "\n" + ctx.t("bank.reviews_more", n=SHOWN) if more else ""))]  # fmt: skip
    for row in rows[:SHOWN]:
        review, transfer, number = row.review, row.transfer, row.order_number
        when = fmt.when(clock.local(transfer.received_at), ctx.lang)
        text = f"#{review.id} · {when}\n" + ctx.t(
            f"bank.review.{review.reason}", amount=vnd(transfer.amount),
            note=transfer.note[: bank_transfers.NOTE_CHARS], number=number or "",
        )  # fmt: skip
        buttons = [[Button(ctx.t("btn.bank_assign"), f"ba:{review.id}"),
                    Button(ctx.t("btn.bank_ignore"), f"bi:{review.id}")]]  # fmt: skip
        replies.append(Reply(text, buttons))
    return replies
