"""Staff intents, one file each; INTENTS maps the parser's intent name to its handler."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from spacrm.intents.chat import Reply
from spacrm.intents.context import Ctx

IntentHandler = Callable[[Ctx, dict[str, Any]], Awaitable[list[Reply]]]


def intents() -> dict[str, IntentHandler]:
    from spacrm.intents.staff import (  # bookings and stock (#9, #34)  # ops
        add_note,
        approve_leave,
        bank_reviews,
        book_appointment,
        cancel_appointment,
        case_card,
        chart,
        check_in,
        complete_session,
        confirm_appointment,
        create_case,
        create_expense,
        create_lead,
        create_order,
        dashboard,
        edit_customer,
        export_report,
        help,
        kpi_report,
        leave_balance,
        link_order_deal,
        list_appointments,
        list_birthdays,
        list_cases,
        list_expenses,
        list_lapsed,
        list_leads,
        list_leave,
        list_orders,
        list_tasks,
        log_activity,
        log_overtime,
        move_lead,
        no_show,
        not_yet,
        on_duty,
        order_card,
        order_task,  # staff life, continued (#12)
        payslip,
        plan_activity,
        reassign,
        record_payment,
        refund,
        request_leave,
        reschedule_appointment,
        show_course,
        show_customer,
        show_order,
        stock_in,
        stock_out,
        stock_query,
        transfer_course,
        transfer_stock,
        undo,
    )

    table: dict[str, IntentHandler] = {
        "create_lead": create_lead.run,
        "log_activity": log_activity.run,
        "plan_activity": plan_activity.run,
        "move_lead": move_lead.run,
        "show_customer": show_customer.run,
        "list_leads": list_leads.run,
        "dashboard": dashboard.run,
        "create_case": create_case.run,
        "list_cases": list_cases.run,
        "case_reply": case_card.reply_typed,  # the text typed after a case's "Trả lời"
        "case_resolve": case_card.resolution_typed,  # the text typed after "Đã giải quyết"
        "create_order": create_order.run,  # sales
        "show_order": show_order.run,
        "show_course": show_course.run,
        "record_payment": record_payment.run,
        "bank_assign": order_card.bank_order_typed,  # the order number typed after "Gán vào đơn"
        "edit_customer": edit_customer.run,
        "reassign": reassign.run,
        "add_note": add_note.run,
        "list_tasks": list_tasks.run,
        "undo": undo.run,
        "help": help.run,
        "unknown": help.unknown,
        "book_appointment": book_appointment.run,
        "list_appointments": list_appointments.run,
        "on_duty": on_duty.run,  # who works, who is free, empty rooms
        "cancel_appointment": cancel_appointment.run,
        "reschedule_appointment": reschedule_appointment.run,
        "check_in": check_in.run,
        "complete_session": complete_session.run,
        "no_show": no_show.run,
        "stock_query": stock_query.run,
        "stock_in": stock_in.run,
        "chart": chart.run,  # reports (#10)
        "kpi_report": kpi_report.run,
        "export_report": export_report.run,
        "request_leave": request_leave.run,  # staff life (#12)
        "approve_leave": approve_leave.run,
        "list_leave": list_leave.run,
        "list_birthdays": list_birthdays.run,
        "list_lapsed": list_lapsed.run,
        "leave_balance": leave_balance.run,
        "log_overtime": log_overtime.run,
        "payslip": payslip.run,
        "bank_reviews": bank_reviews.run,  # sales (issue 8): bank reviews, payment vouchers
        "create_expense": create_expense.run,
        "list_expenses": list_expenses.run,
        "confirm_appointment": confirm_appointment.run,  # bookings, the rest of #9
        "transfer_course": transfer_course.run,
        "order_task": order_task.run,  # work on orders (#30)
        "list_orders": list_orders.run,
        "link_order_deal": link_order_deal.run,  # an order's opportunity (#32)
        "stock_out": stock_out.run,  # ops: goods issue, stock transfer, refund
        "transfer_stock": transfer_stock.run,
        "refund": refund.run,
    }
    # nlu: intents the parser already understands (DESIGN §6); a feature's own handler, where
    # it exists, is kept (setdefault).
    for understood in (
        "create_order", "show_order", "show_course", "list_appointments", "cancel_appointment",
        "reschedule_appointment", "check_in", "complete_session", "no_show", "stock_in",
        "export_report", "payslip", "approve_leave", "edit_customer", "reassign", "add_note",
        "list_tasks", "undo",
    ):  # fmt: skip
        table.setdefault(understood, not_yet.make(understood))
    return {name: _named(name, handler) for name, handler in table.items()}


def _named(name: str, handler: IntentHandler) -> IntentHandler:
    """The handler, noting its intent on the Ctx for the usage log (#33)."""

    async def run(ctx: Ctx, slots: dict[str, Any]) -> list[Reply]:
        ctx.intent = ctx.intent or name
        return await handler(ctx, slots)

    return run
