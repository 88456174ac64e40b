"""The "Gửi QR" button on the order card (payload "oq:<order>"): the VietQR image for what is still owed.

The QR carries the spa's account (settings), the outstanding amount and the order code as the
transfer note, so the bank webhook can match the payment back to this order by itself."""

from __future__ import annotations

from spacrm.core.services.orders import order_view
from spacrm.core.vietqr import order_vietqr, transfer_note
from spacrm.intents import format as fmt
from spacrm.intents.chat import Button, Reply
from spacrm.intents.context import Ctx
from spacrm.reports.qr import qr_png


async def send_qr(ctx: Ctx, args: list[str]) -> list[Reply]:
    view = await order_view(ctx.actor, int(args[0]))
    if view.status == "cancelled":
        return [Reply(ctx.t("pay.qr_cancelled", number=view.number))]
    if view.outstanding <= 0:
        return [Reply(ctx.t("pay.qr_paid", number=view.number))]
    payload = order_vietqr(view.number, view.outstanding)
    if payload is None:
        return [Reply(ctx.t("pay.bank_not_set"))]
    note = transfer_note(view.number)
    text = ctx.t("pay.qr", number=view.number, amount=fmt.money(view.outstanding), note=note)
    png = qr_png(payload)
    back = [[Button(ctx.t("btn.bill"), f"op:{view.id}")]]
    return [Reply(text, back, files=[(f"vietqr-{note}.png", png, "image/png")])]
