"""The "In bill" button on the order card (payload "op:<order>"): the bill as an image in chat, and a print
job on the branch's counter printer (drawn for that printer's paper width)."""

from __future__ import annotations

from spacrm.core.errors import DomainError, ErrorCode
from spacrm.core.services import printing
from spacrm.core.services.orders import OrderView, get_order, order_view
from spacrm.core.settings import get_settings
from spacrm.core.vietqr import order_vietqr
from spacrm.intents.chat import Reply
from spacrm.intents.context import Ctx
from spacrm.reports.bill import DEFAULT_LABELS, BillData, BillLine, bill_png

LABEL_KEYS = tuple(DEFAULT_LABELS)


def bill_data(ctx: Ctx, view: OrderView) -> BillData:
    methods = list(dict.fromkeys(ctx.t(f"method.{p.method}") for p in view.payments))
    return BillData(
        spa_name=get_settings().spa_name,
        branch_name=view.branch_name,
        number=view.number,
        day=view.date,
        customer=view.customer_name,
        lines=[BillLine(x.name, x.quantity, x.unit_price, x.amount) for x in view.lines],
        discount=view.discount,
        total=view.total,
        paid=view.paid,
        outstanding=view.outstanding,
        methods=methods,
        vietqr=order_vietqr(view.number, view.outstanding),
        labels={key: ctx.t(f"bill.{key}") for key in LABEL_KEYS},
    )


async def print_bill(ctx: Ctx, args: list[str]) -> list[Reply]:
    order_id = int(args[0])
    view = await order_view(ctx.actor, order_id)
    bill = bill_data(ctx, view)
    shown = Reply(
        ctx.t("pay.bill", number=view.number),
        files=[(f"bill-{view.code}.png", bill_png(bill, "k80"), "image/png")],
    )
    order = await get_order(ctx.actor, order_id=order_id)
    try:
        _, printer = await printing.queue_print(
            ctx.actor,
            branch_id=order.site_branch_id,
            render=lambda paper: bill_png(bill, paper),
            ref=view.number,
        )
    except DomainError as exc:
        if exc.code != ErrorCode.NO_PRINTER:
            raise
        return [shown, Reply(ctx.t("err.no_printer"))]
    return [shown, Reply(ctx.t("pay.bill_queued", printer=printer.name))]
