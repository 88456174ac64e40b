"""The lead card lists the customer's first two active courses to expire (the card reads only
those), whatever else she holds."""

from __future__ import annotations

from datetime import date

from spacrm.core.services.cards import SHOWN_COURSES, lead_card
from tests.bookings.conftest import Spa


async def test_card_lists_the_two_courses_expiring_first(spa: Spa) -> None:
    lan = await spa.lead("Lan")
    late = await spa.course(lan, spa.facial, sessions=10, expires_on=date(2027, 6, 1))
    soon = await spa.course(lan, spa.laser, sessions=6, expires_on=date(2027, 1, 1))
    await spa.course(lan, spa.facial, sessions=5, expires_on=date(2027, 9, 1))
    await spa.course(lan, spa.laser, sessions=3, status="finished", expires_on=date(2026, 12, 1))
    card = await lead_card(spa.desk, lan.id)
    assert SHOWN_COURSES == 2
    assert [c.id for c in card.courses] == [soon.id, late.id]
