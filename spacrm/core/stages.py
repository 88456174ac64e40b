"""Pipeline stages (#22) and opportunity stages (#5) with their default probabilities."""

from __future__ import annotations

LEAD_STAGES = ("potential", "caring", "booked", "in_service", "dead")
CONVERTED_STAGES = ("booked", "in_service")

OPPORTUNITY_STAGES = {
    "needs_analysis": 10,
    "proposal": 40,
    "negotiation": 70,
    "won": 100,
    "lost": 0,
}

ACTIVITY_KINDS = ("call", "meeting", "email", "quote_email")
COUNTER_FIELD = {
    "call": "calls",
    "meeting": "meetings",
    "email": "emails",
    "quote_email": "quote_emails",
}
