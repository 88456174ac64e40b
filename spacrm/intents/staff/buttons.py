"""What each button payload does. Payloads are short ("mv:12:booked:3") to stay under 64 bytes."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from spacrm.core.services.activities import cancel_planned
from spacrm.core.services.cards import lead_card
from spacrm.intents.chat import Reply
from spacrm.intents.context import Ctx
from spacrm.intents.staff import (
    approve_leave,
    case_card,
    chart,
    course_technician,
    create_expense,
    create_lead,
    create_order,
    dashboard,
    export_report,
    help,
    kpi_report,
    link_order_deal,
    list_leads,
    list_tasks,
    log_overtime,
    move_lead,
    order_card,
    order_print,
    order_qr,
    order_task,
    reassign,
    undo,
)
from spacrm.intents.staff.booking_buttons import BOOKING_BUTTONS
from spacrm.intents.staff.card import card_reply
from spacrm.intents.staff.log_activity import kind_buttons
from spacrm.intents.staff.ops_buttons import OPS_BUTTONS
from spacrm.intents.staff.plan_activity import date_buttons
from spacrm.intents.staff.resolve import more_choices

Handler = Callable[[Ctx, list[str]], Awaitable[list[Reply]]]


async def _card(ctx: Ctx, args: list[str]) -> list[Reply]:
    return [await card_reply(ctx, int(args[0]))]


async def _move(ctx: Ctx, args: list[str]) -> list[Reply]:
    lead_id, stage, version = int(args[0]), args[1], int(args[2])
    return await move_lead.apply(ctx, lead_id, stage, version, edit=True)


async def _more_stages(ctx: Ctx, args: list[str]) -> list[Reply]:
    card = await lead_card(ctx.actor, int(args[0]))
    lead = card.lead
    return [
        Reply(
            ctx.t("ask.stage", name=lead.name),
            move_lead.stage_buttons(ctx, lead.id, lead.stage, lead.version),
        )
    ]


async def _log(ctx: Ctx, args: list[str]) -> list[Reply]:
    card = await lead_card(ctx.actor, int(args[0]))
    return ctx.ask("log_activity", {"lead_id": card.lead.id}, "kind", ctx.t("ask.kind", name=card.lead.name),
                   kind_buttons(ctx, "kd:"))  # fmt: skip


async def _plan(ctx: Ctx, args: list[str]) -> list[Reply]:
    card = await lead_card(ctx.actor, int(args[0]))
    return ctx.ask("plan_activity", {"lead_id": card.lead.id}, "date", ctx.t("ask.date", name=card.lead.name),
                   date_buttons(ctx))  # fmt: skip


async def _list(ctx: Ctx, args: list[str]) -> list[Reply]:
    stage, sort, order, offset = list_leads.unpack(args[0], args[1])
    return [await list_leads.page(ctx, stage, sort, order, offset, edit=True)]


async def _undo_plan(ctx: Ctx, args: list[str]) -> list[Reply]:
    act = await cancel_planned(ctx.actor, activity_id=int(args[0]))
    if (ctx.state.get("last_change") or {}).get("activity_id") == act.id:
        ctx.state.pop("last_change", None)
    done = Reply(ctx.t("ok.plan_cancelled"), edit=True, toast=ctx.t("ok.plan_cancelled"))
    return [done, await card_reply(ctx, act.lead_id)] if act.lead_id else [done]


async def _new_lead(ctx: Ctx, args: list[str]) -> list[Reply]:
    # The draft keeps what the message said (name, phone) and the request to finish afterwards.
    if args and str(ctx.state.get("draft_n")) != args[0]:
        return [Reply(ctx.t("err.stale"), toast=ctx.t("err.stale"))]
    draft = ctx.state.pop("draft_lead", None) or {}
    return await create_lead.run(ctx, dict(draft))


async def _dashboard(ctx: Ctx, args: list[str]) -> list[Reply]:
    return await dashboard.run(ctx, {})


async def _report_menu(ctx: Ctx, args: list[str]) -> list[Reply]:
    return chart.menu(ctx)


REPORT_BUTTONS: dict[str, Handler] = {
    "rp": chart.from_button,
    "rm": _report_menu,
    "rk": kpi_report.mine,
    "rx": export_report.from_button,
}


async def _help(ctx: Ctx, args: list[str]) -> list[Reply]:
    return await help.run(ctx, {})


HANDLERS: dict[str, Handler] = {
    "lc": _card,
    "mv": _move,
    "ms": _more_stages,
    "lg": _log,
    "pl": _plan,
    "ls": _list,
    "ud": _undo_plan,
    "nl": _new_lead,
    "db": _dashboard,
    "hp": _help,
    "cc": case_card.show,
    "cs": case_card.start,
    "cr": case_card.ask_reply,
    "cv": case_card.ask_resolution,
    "cx": case_card.close,
    "ck": case_card.make_article,
    "ka": case_card.approve_article,
    "kx": case_card.discard_article,
    "un": undo.pressed,
    "pm": more_choices,
    "ra": reassign.pressed,
    "td": list_tasks.mark_done,
    "tm": list_tasks.to_tomorrow,
    # sales: the order card (oq/op, QR and bill, are the payments feature's)
    "oc": order_card.show,
    "oa": order_card.pay,
    "of": order_card.pay_full,
    "ox": order_card.ask_cancel,
    "oy": order_card.cancel,
    "oi": order_card.pick_item,
    "oo": order_card.pick_order,
    "ba": order_card.bank_assign,
    "bi": order_card.bank_ignore,
    **BOOKING_BUTTONS,  # bookings and stock (#9, #34)
    **REPORT_BUTTONS,  # reports (#10)
    # payments: VietQR and the bill (area pay)
    "oq": order_qr.send_qr,
    "op": order_print.print_bill,
    "lv": approve_leave.pressed,  # staff life (#12): leave and overtime Duyệt / Từ chối
    "ov": log_overtime.pressed,
    # sales (issue 8): the payment-voucher card (write, categories, pick one)
    "ey": create_expense.write,
    "eg": create_expense.categories,
    "ek": create_expense.pick_category,
    "ct": course_technician.offer,  # a course's technician
    "cg": course_technician.assign,
    "ow": order_task.pressed,  # work on an order from its card (#30)
    "og": link_order_deal.pressed,  # an order's opportunity (#32)
    "ou": create_order.pick_amount,  # "2 chai 850k": the total or the price of one
    **OPS_BUTTONS,  # ops: goods issue, stock transfer, refund
}
