"""Buttons of bookings and stock (#9, #34); buttons.py merges them into its table."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from spacrm.intents.chat import Reply
from spacrm.intents.context import Ctx
from spacrm.intents.staff import (
    book_appointment,
    cancel_appointment,
    check_in,
    complete_session,
    confirm_appointment,
    list_appointments,
    no_show,
    reschedule_appointment,
    stock_common,
    transfer_course,
)

Handler = Callable[[Ctx, list[str]], Awaitable[list[Reply]]]
Apply = Callable[..., Awaitable[list[Reply]]]


def _on_appointment(apply: Apply) -> Handler:
    async def run(ctx: Ctx, args: list[str]) -> list[Reply]:
        return await apply(ctx, int(args[0]), edit=True)

    return run


BOOKING_BUTTONS: dict[str, Handler] = {
    "ai": _on_appointment(check_in.apply),  # check in
    "ad": _on_appointment(complete_session.apply),  # session done
    "an": _on_appointment(no_show.apply),
    "ax": _on_appointment(cancel_appointment.apply),
    "ao": list_appointments.open_one,
    "ac": _on_appointment(confirm_appointment.apply),  # the customer confirmed
    "tf": transfer_course.press,  # a course's sessions to another customer
    "cn": transfer_course.press_count,  # how many of them
    "bk": book_appointment.press_slot,  # an offered free slot
    "bm": reschedule_appointment.press_slot,  # an offered slot for a move
    "bs": book_appointment.press_service,
    "bt": book_appointment.press_technician,
    "sp": stock_common.press_product,
    "tc": transfer_course.press_course,  # typed transfer: which of the giver's courses
}
