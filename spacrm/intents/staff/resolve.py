"""Which customer a staff message is about: the one rule every write goes through (#6).

- A customer the message names (name with or without honorific, part of it, phone, first or last
  digits, email, tax code) is searched; one match is used, several give a pick-list, none gives
  "not found" + "Thêm khách mới" (the request is kept and done once the customer is added). A name
  that matches nobody is never replaced by the customer on screen.
- Only when nobody is named: the customer in focus (card on screen, not expired) is used when the
  message points at them ("chị ấy", "khách này"); with no customer words at all the bot asks a
  one-tap confirmation first. Nothing is done until the target is certain.
- Something typed like a phone/email that is not valid is refused before anything is saved.
"""

from __future__ import annotations

import re
from typing import Any

from spacrm.core.errors import DomainError, ErrorCode
from spacrm.core.ids import normalize_phone
from spacrm.core.models import Lead
from spacrm.core.services import leads as lead_service
from spacrm.core.services.search import Found, name_matches, name_words, search
from spacrm.core.textnorm import fold
from spacrm.intents import format as fmt
from spacrm.intents.chat import Button, Reply
from spacrm.intents.context import Ctx

MAX_CHOICES = 5
OTHER_CUSTOMER = "kk"  # "Khách khác": the confirmation was wrong, ask which customer
MORE = "pm"  # "Xem thêm": the next page of a pick-list
# Front desks look customers up by the last digits of a phone ("xem khách 678").
# Not a date or time ("2/12/2026", "15:30"), an amount ("500k") or a count ("100 buổi").
_SHORT_DIGITS = re.compile(
    r"(?<![\d.,/:\-])(\d{3,9})(?![\d.,/:\-]|\s*(?:k|tr|h|giờ|gio|triệu|trieu|đ|d\b|buổi|buoi|lần|lan\b|%))"
)
# Something typed as a phone ("09xx123456", "0912 34", 9 or 12 digits): checked, never dropped.
_PHONE_LIKE = re.compile(r"(?<![\w.,/:])(?:\+84|0)\d[\dxX*. \-]{3,13}[\dxX*](?![\w/:])")
_EMAIL_LIKE = re.compile(r"[^\s,;]*@[^\s,;]*")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$", re.IGNORECASE)
_SEPARATORS = re.compile(r"[\s.\-]")


async def _leads_for(ctx: Ctx, found: list[Found]) -> list[Lead]:
    ids = [f.ref_id for f in found if f.kind == "lead"]
    leads = await lead_service.leads_by_ids(ctx.actor, ids)
    others = [f for f in found if f.kind != "lead"]
    # A converted customer's account/contact: show the lead it came from.
    for f in others:
        lead = await lead_service.lead_for_customer(ctx.actor, f.kind, f.ref_id)
        if lead and lead.id not in ids:
            leads.append(lead)
            ids.append(lead.id)
    return leads


def choice_buttons(ctx: Ctx, leads: list[Lead]) -> list[list[Button]]:
    return [
        [
            Button(
                f"{lead.name} — {fmt.phone(lead.phone) or '…'} · {fmt.stage(lead.stage, ctx.lang)}",
                f"pk:{lead.id}",
            )
        ]
        for lead in leads[:MAX_CHOICES]
    ]


def query_of(slots: dict[str, Any]) -> str | None:
    for key in ("phone", "email", "tax_code", "citizen_id", "customer"):
        if slots.get(key):
            return str(slots[key])
    return None


def check_typed_identifiers(ctx: Ctx, slots: dict[str, Any]) -> None:
    """Refuse a message with a phone or email the parser could not accept: saving the rest
    without it would silently lose what the user typed."""
    text = ctx.event.text or ""
    accepted = {
        _SEPARATORS.sub("", str(v)).removeprefix("+")
        for k, v in slots.items()
        if k in ("phone", "tax_code", "citizen_id", "value") and v
    }
    for match in _PHONE_LIKE.finditer(text):
        typed = match.group(0).strip()
        digits = _SEPARATORS.sub("", typed).removeprefix("+")
        if normalize_phone(typed) in accepted or digits in accepted:
            continue
        if _phone_then_count(typed, text[match.end() :], accepted):
            continue
        if normalize_phone(typed) is None:
            raise DomainError(ErrorCode.INVALID_PHONE, value=typed)
    if not slots.get("email") and not (slots.get("field") == "email" and slots.get("value")):
        for match in _EMAIL_LIKE.finditer(text):
            typed = match.group(0).rstrip(".")
            if len(typed) > 1 and not _EMAIL.match(typed):
                raise DomainError(ErrorCode.INVALID_EMAIL, value=typed)


_WORD_NEXT = re.compile(r"^\s+[^\W\d_]")


def _phone_then_count(typed: str, after: str, accepted: set[str]) -> bool:
    """ "0389001000 2 chai serum": the phone the parser took, then a count before a word — not
    an 11-digit phone. A trailing digit with no word after it stays a suspicious phone."""
    parts = typed.split()
    for k in range(len(parts) - 1, 0, -1):
        rest = parts[k:]
        if normalize_phone(" ".join(parts[:k])) in accepted and all(
            p.isdigit() and len(p) <= 3 for p in rest
        ):
            return _WORD_NEXT.match(after) is not None
    return False


def _named(lead: Lead, name: str) -> bool:
    """Whether the name typed fits the lead found by phone/email (every word starts a word)."""
    words = name_words(name)
    return not words or name_matches(fold(lead.name), words)


def confirm_focus(ctx: Ctx, intent: str, slots: dict[str, Any], lead: Lead) -> list[Reply]:
    """ "Ghi cho chị Vy?": the message named nobody, the card on screen is only a guess."""
    buttons = [
        [Button(f"✅ {lead.name}", f"pk:{lead.id}")],
        [Button(ctx.t("btn.other_customer"), OTHER_CUSTOMER)],
    ]
    asked = ctx.ask(intent, slots, "pick", ctx.t("ask.confirm_focus", name=lead.name), buttons)
    ctx.state["pending"]["confirm"] = lead.id  # a typed "ừ" / "đúng rồi" also confirms
    return asked


async def resolve_lead(ctx: Ctx, intent: str, slots: dict[str, Any]) -> Lead | list[Reply]:
    """The lead `slots` name (or the focus, see the module docstring), or the replies asking."""
    if "lead_id" in slots:  # a pick, a confirmation, or a button on a card
        found = await lead_service.leads_by_ids(ctx.actor, [int(slots["lead_id"])])
        if not found:
            raise DomainError(ErrorCode.NOT_FOUND)
        ctx.set_focus(found[0].id)
        return found[0]
    check_typed_identifiers(ctx, slots)
    query = query_of(slots)
    if query is None and ctx.event.text:
        digits = _SHORT_DIGITS.search(ctx.event.text)
        query = digits.group(1) if digits else None
    if query is None:
        focus = ctx.focus()
        shown = await lead_service.leads_by_ids(ctx.actor, [focus]) if focus else []
        lead = shown[0] if shown else None
        if lead is not None and ctx.focus_ref:
            ctx.set_focus(lead.id)
            return lead
        if lead is not None:
            return confirm_focus(ctx, intent, slots, lead)
        return ctx.ask(intent, slots, "customer", ctx.t("ask.customer"))
    leads = await _leads_for(ctx, await search(ctx.actor, query, limit=MAX_CHOICES + 1))
    name = str(slots.get("customer") or "")
    if len(leads) == 1 and name and query != name and not _named(leads[0], name):
        # "đã gọi chị Lan 0987…" and that number is someone else's: ask, do not guess.
        by_name = await _leads_for(ctx, await search(ctx.actor, name, limit=MAX_CHOICES))
        choices = [leads[0], *[x for x in by_name if x.id != leads[0].id]]
        asked = ctx.t("ask.pick_customer", query=f"{name} · {query}")
        return ctx.ask(intent, slots, "pick", asked, choice_buttons(ctx, choices))
    if len(leads) == 1:
        ctx.set_focus(leads[0].id)
        return leads[0]
    if not leads:
        return not_found(ctx, intent, slots, query)
    buttons = choice_buttons(ctx, leads)
    if len(leads) > MAX_CHOICES:
        buttons.append([Button(ctx.t("btn.more_choices"), f"{MORE}:{MAX_CHOICES}")])
    return ctx.ask(intent, slots, "pick", ctx.t("ask.pick_customer", query=query), buttons)


async def more_choices(ctx: Ctx, args: list[str]) -> list[Reply]:
    """ "Xem thêm" under a pick-list: the next customers matching the same words."""
    pending = ctx.state.get("pending")
    query = query_of(pending["slots"]) if pending else None
    if pending is None or query is None:
        return [Reply(ctx.t("err.stale"), toast=ctx.t("err.stale"))]
    offset = max(0, int(args[0]))
    found = await search(ctx.actor, query, limit=offset + MAX_CHOICES + 1)
    leads = (await _leads_for(ctx, found))[offset:]
    buttons = choice_buttons(ctx, leads)
    if len(leads) > MAX_CHOICES:
        buttons.append([Button(ctx.t("btn.more_choices"), f"{MORE}:{offset + MAX_CHOICES}")])
    text = ctx.t("ask.pick_customer", query=query)
    return ctx.ask(pending["intent"], pending["slots"], "pick", text, buttons)


# Requests that are not worth finishing once the missing customer is added (every write is).
_DROP_AFTER_NEW_LEAD = frozenset({"show_customer", "create_lead", "reassign"})


def not_found(ctx: Ctx, intent: str, slots: dict[str, Any], query: str) -> list[Reply]:
    """Say so, and offer to add the customer; the request itself is kept for after that."""
    ctx.done()
    buttons = []
    draft = {k: slots[k] for k in ("customer", "phone", "email", "tax_code") if slots.get(k)}
    if draft.get("customer") or draft.get("phone"):
        rest = {k: v for k, v in slots.items() if k not in draft}
        if intent not in _DROP_AFTER_NEW_LEAD:
            draft["_then"] = {"intent": intent, "slots": rest}
        # Numbered: an older "Thêm khách mới" button must not add the customer of a newer message.
        number = int(ctx.state.get("draft_n", 0)) + 1
        ctx.state["draft_n"] = number
        ctx.state["draft_lead"] = draft
        buttons.append([Button(ctx.t("btn.create_lead"), f"nl:{number}")])
    return [Reply(ctx.t("err.customer_not_found", query=query), buttons)]


async def lead_and_note(
    ctx: Ctx, intent: str, slots: dict[str, Any], ask: str
) -> tuple[Lead, str] | list[Reply]:
    """The customer and the text of a request that writes one on her (a note, a case), or the
    replies asking for whichever is missing (`ask`: the text's question). A typed answer to that
    question comes back as `text`."""
    if slots.get("text") and not slots.get("note"):
        slots["note"] = slots.pop("text")
    found = await resolve_lead(ctx, intent, slots)
    if isinstance(found, list):
        return found
    slots["lead_id"] = found.id
    note = str(slots.get("note") or "").strip()
    if not note:
        return ctx.ask(intent, slots, "text", ctx.t(ask, name=found.name))
    return found, note
