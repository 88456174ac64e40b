"""Appointments in the customer chatbot (#9), on Facebook, the Zalo OA and the widget.

- "cho em đặt lịch triệt nách chiều thứ 7": the service is found among those the branch performs,
  free times of that day (or the next days) are offered as buttons / quick replies (also chosen by
  typing the time or its number), her choice is booked with the offered technician, she is told,
  and the branch's front desk is notified. A customer without a phone yet is asked for it first
  (dedup by phone as for any lead). A service the spa does not do, or a question, goes on to the
  Q&A (which hands off when it cannot answer).
- Her "ok" / "xác nhận" to an appointment reminder confirms the appointment (booked → confirmed)
  and tells the front desk. On the Zalo OA the reminder ends with numbered answers: her "1"
  confirms, "2" offers other times, "3" asks to cancel — only while the reminder is the last
  thing the spa said in that conversation (a "1" after anything else answers that instead).
- "hủy lịch" (after she confirms) and "dời lịch sang 16h thứ 7" (free times offered as for a
  booking) act on her next appointment, only hers, and tell the front desk.

The flow's state is the conversation's dialog row (one pending booking per conversation).
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from typing import Any

from spacrm.bot.nlu.parser import parse
from spacrm.bot.nlu.party import party
from spacrm.core import clock
from spacrm.core.errors import DomainError, ErrorCode
from spacrm.core.ids import format_phone
from spacrm.core.models import Appointment, Branch, CatalogItem, Conversation, User
from spacrm.core.services import availability, bookings, conversations, dialogs, outbox
from spacrm.core.services.booking_reminders import (
    answered_appointment,
    front_desk_routes,
    reminded_appointment,
)
from spacrm.core.services.sessions import confirm_appointment
from spacrm.core.textnorm import fold, fold_words
from spacrm.intents import format as fmt
from spacrm.intents.chat import Button, Reply
from spacrm.intents.customer import lang
from spacrm.intents.customer.booking_texts import BOOKING
from spacrm.intents.customer.texts import CHANNEL_NAMES

STATE = "cbook"  # the dialog rows' channel: one per conversation id
OFFERS = 4
DAYS = 7
# Parts of the day in minutes after midnight ("chiều thứ 7").
_PARTS = {"sang": (0, 12 * 60), "trua": (11 * 60, 14 * 60), "chieu": (12 * 60, 18 * 60),
          "toi": (17 * 60, 24 * 60)}  # fmt: skip
_PART_WORD = re.compile(r"\b(sang|trua|chieu|toi)\b")
_TIME = re.compile(r"\b(\d{1,2})\s*(?:h|g|:|gio)\s*(\d{2})?\b")
# A message asking about prices, durations or how things work is for the Q&A even when it says
# "đặt lịch" ("giá triệt nách bao nhiêu, đặt lịch được không"); "… được không ạ" alone is the
# polite form of a request and books.
_INFO_QUESTION = re.compile(
    r"\b(?:gia|bao nhieu|bao lau|the nao|nhu nao|co can|o dau|dia chi|tai sao|vi sao|mat bao)\b"
)
_CANCEL = frozenset({"huy", "thoi", "khong", "ko", "k", "cancel", "thoi a", "thoi em"})
_YES = re.compile(
    r"\b(?:xac nhan|ok|oke|okay|okie|dong y|duoc|vang|da vang|u|uh|co|chac chan|confirm|yes)\b"
    r"|\b(?:se|van) (?:toi|den|qua|di)\b"
)
_NO = re.compile(r"\b(?:khong|ko|k|hok|chua|huy|doi|dich|lui|bao)\b|\?")
MAX_WORDS = 10


def is_yes(text: str) -> bool:
    """A short "yes" ("ok em", "dạ xác nhận ạ", "✅ Xác nhận", "chị sẽ tới"), never a question,
    a "no" or a change."""
    folded = fold(text)
    if len(folded.split()) > MAX_WORDS or _NO.search(folded):
        return False
    return bool(_YES.search(folded))


async def handle(conv: Conversation, text: str) -> list[Reply] | None:
    """What the booking side answers, or None to let the Q&A answer."""
    numbered = await reminder_number(conv, text)
    if numbered is not None:
        return numbered
    pending = (await dialogs.load(STATE, str(conv.id))).get("booking")
    if isinstance(pending, dict):
        out = await _continue(conv, text, pending)
        if out is not None:
            return out
    reminded = await reminder_reply(conv, text)
    if reminded is not None:
        return reminded
    return await _start(conv, text)


async def after_phone(conv: Conversation) -> list[Reply]:
    """The customer just gave her phone: a booking waiting for it is made now."""
    pending = (await dialogs.load(STATE, str(conv.id))).get("booking")
    if isinstance(pending, dict) and pending.get("step") == "phone" and conv.lead_id:
        return await _after_phone_step(conv, pending)
    return []


async def _after_phone_step(conv: Conversation, pending: dict[str, Any]) -> list[Reply]:
    if pending.get("then"):  # "hủy lịch" / "dời lịch" from a chat that had no phone yet
        await _save(conv, None)
        return await _change(conv, str(pending.get("text") or ""), str(pending["then"]),
                             dict(pending.get("slots") or {}))  # fmt: skip
    return await _book(conv, pending)


async def awaiting_name(conv: Conversation) -> bool:
    """The bot has just asked this customer for her name and phone (to hold a time)."""
    pending = (await dialogs.load(STATE, str(conv.id))).get("booking")
    return isinstance(pending, dict) and pending.get("step") == "phone" and not conv.display_name


async def _save(conv: Conversation, pending: dict[str, Any] | None) -> None:
    if pending is None:
        await dialogs.clear(STATE, str(conv.id))
    else:
        await dialogs.save(STATE, str(conv.id), {"booking": pending})


def _day(value: date) -> str:
    return fmt.day(value, lang.CURRENT.get())


def _when(value: datetime) -> str:
    return fmt.when(value, lang.CURRENT.get())


def _part(text: str) -> str | None:
    found = _PART_WORD.search(fold(text))
    return found.group(1) if found else None


# "chiều nay còn chỗ không", "t7 này spa còn slot triệt nách ko": asking for a free time is asking
# to book; the question's own words are dropped and the rest read as a booking ("đặt lịch …").
_AVAILABILITY = re.compile(
    r"\b(?:con (?:cho|slot|suat|trong|nhan khach)|(?:lich|gio) (?:con )?trong|kin lich|full lich"
    r"|het (?:cho|slot|lich)|co (?:cho|slot) (?:khong|ko|k|hok)|nhan khach (?:khong|ko|k))\b"
)
_AVAILABILITY_WORDS = frozenset(
    "con cho slot suat lich trong nhan khach kin full het co khong ko k hok a vay nhi nhe "
    "shop spa ad oi ben minh nua the".split()
)


def _as_booking(text: str) -> str | None:
    """A free-time question rewritten as the booking it asks for, else None."""
    if not _AVAILABILITY.search(fold(text)):
        return None
    kept = [word for word in text.split() if fold(word).strip("?.!,") not in _AVAILABILITY_WORDS]
    return "đặt lịch " + " ".join(kept)


# "e muốn đổi sang chủ nhật", "cho em dời qua 11h": moving her appointment without saying "lịch".
_MOVE = re.compile(
    r"\b(?:doi|dich|chuyen|lui|don|hoan)\s+(?:lai\s+)?(?:lich\s+|hen\s+|gio\s+|ngay\s+)?"
    r"(?:sang|qua|thanh|ve|xuong|len)\b"
)
# "Tối nay 10h đặt massage mặt được ko": a booking word anywhere, with a service of the menu named.
# A bare "dat" without diacritics may be "đắt" (dear): only "dat lich", "dat cho"… count then.
_BOOK_WORD = re.compile(
    r"\b(?:dat (?:lich|hen|cho|slot|suat|truoc)|book|booking|lay lich|dang ky|xep lich)\b"
)


def _asks_to_book(text: str) -> bool:
    return "đặt" in text.lower() or bool(_BOOK_WORD.search(fold(text)))


def _as_move(text: str) -> str | None:
    """A customer's "đổi sang chủ nhật" rewritten as the "dời lịch sang …" the parser reads."""
    folded = fold(text)
    found = _MOVE.search(folded)
    return None if found is None else "dời lịch sang " + folded[found.end() :]


def _service_in(services: list[CatalogItem], text: str) -> CatalogItem | None:
    """The service a customer names in her own words anywhere in the message: its name, or its
    name without one inner word ("triệt nách" for Triệt lông nách, "chăm sóc da cơ bản"); the
    longest name found wins ("massage body" over a shorter one)."""
    words = " " + fold_words(text) + " "
    best: CatalogItem | None = None
    best_len = 0
    for item in services:
        parts = fold_words(item.name).split()
        keys = [parts] + [parts[:i] + parts[i + 1 :] for i in range(1, len(parts) - 1)]
        for key_words in keys:
            key = " ".join(key_words)
            if len(key_words) >= 2 and f" {key} " in words and len(key) > best_len:
                best, best_len = item, len(key)
    return best


async def _start(conv: Conversation, text: str) -> list[Reply] | None:
    result = parse(text, clock.local_now())
    moved = _as_move(text) if conv.lead_id else None
    if moved is not None and result.intent not in ("cancel_appointment", "reschedule_appointment"):
        as_move = parse(moved, clock.local_now())
        if as_move.intent == "reschedule_appointment" and (
            as_move.slots.get("date") or as_move.slots.get("time")
        ):
            result = as_move
    if result.intent in ("cancel_appointment", "reschedule_appointment"):
        if conv.lead_id:
            return await _change(conv, text, result.intent, result.slots)
        # A chat without her phone yet (she booked by phone, or on another channel): which
        # customer she is comes first, then her appointment.
        await _save(conv, {"step": "phone", "then": result.intent, "slots": result.slots,
                           "text": text})  # fmt: skip
        return [Reply(lang.booking("ask_phone_change"))]
    if _INFO_QUESTION.search(fold(text)):
        return None
    named_only = False
    if result.intent != "book_appointment":
        rewritten = _as_booking(text)
        if rewritten is None and _asks_to_book(text):
            rewritten, named_only = "đặt lịch " + text, True  # only when a service is named
        if rewritten is None:
            return None
        result = parse(rewritten, clock.local_now())
        if result.intent != "book_appointment":
            return None
    slots = result.slots
    branch_id = await bookings.customer_branch(
        conv.lead_id, await conversations.ensure_assignee(conv)
    )
    if branch_id is None:
        return None
    named = _service_in(await availability.branch_services(branch_id), text)
    if named is None and named_only:
        return None  # "đặt cọc bao nhiêu": no service named, the Q&A answers
    wish = {"branch_id": branch_id, "date": slots.get("date"), "time": slots.get("time"),
            "part": _part(text), "party": party(text)}  # fmt: skip
    if named is not None:
        return await _offer(conv, wish, named.name, named.id)
    if not slots.get("service"):
        await _save(conv, {**wish, "step": "service"})
        return [Reply(lang.booking("ask_service"))]
    return await _offer(conv, wish, str(slots["service"]))


async def _offer(
    conv: Conversation, wish: dict[str, Any], service_name: str, service_id: int | None = None
) -> list[Reply] | None:
    if service_id is None:
        branch_id = int(wish["branch_id"])
        items = await availability.find_services(branch_id, service_name)
        if len(items) > 1 and fold_words(items[0].name) != fold_words(service_name):
            # "gội đầu" is two services: she is asked which, never silently given one of them.
            await _save(conv, {**wish, "step": "service",
                               "choices": [[i.id, i.name] for i in items]})  # fmt: skip
            return [Reply(lang.booking("which_service"),
                          [[Button(i.name, f"sb:{i.id}")] for i in items])]  # fmt: skip
        named = items[0] if items else _service_in(
            await availability.branch_services(branch_id), service_name
        )  # fmt: skip
        if named is None:
            await _save(conv, None)
            return None  # not a service of this spa: the Q&A answers (or hands off)
        service_id = named.id
    service = await availability.service_info(service_id)
    day = date.fromisoformat(str(wish["date"])) if wish.get("date") else None
    offers = await _free_times(int(wish["branch_id"]), service, day, wish.get("time"),
                               wish.get("part"), int(wish.get("party") or 1))  # fmt: skip
    note = await _wish_note(int(wish["branch_id"]), day, wish.get("time"), offers)
    if not offers:
        await _save(conv, None)
        return [
            Reply(
                " ".join(filter(None, [note, lang.booking("no_slot").format(service=service.name)]))
            )
        ]
    pending = {**wish, "step": "time", "service_id": service.id, "service": service.name,
               "offers": offers}  # fmt: skip
    await _save(conv, pending)
    return [_offer_reply(pending, note)]


async def _wish_note(
    branch_id: int, day: date | None, wanted: object, offers: list[list[Any]]
) -> str:
    """Why the time she asked for is not among the offers: the spa is closed that day, the time
    is outside the opening hours, or it is already booked. Empty when it is offered (or she named
    no time)."""
    if not isinstance(wanted, str) or not wanted:
        return ""
    target = availability.hhmm(wanted)
    day = day or clock.today()
    for offer in offers:
        local = clock.local(_at(int(offer[0])))
        if local.date() == day and local.hour * 60 + local.minute == target:
            return ""
    hours = await availability.opening(branch_id, day)
    if hours is None:
        return lang.booking("closed_day").format(day=_day(day))
    if not hours[0] <= target < hours[1]:
        return lang.booking("outside_hours").format(hours=availability.hours_text(hours))
    return lang.booking("wish_taken").format(time=wanted, day=_day(day))


async def _change(
    conv: Conversation,
    text: str,
    intent: str,
    slots: dict[str, Any],
    appt: Appointment | None = None,
) -> list[Reply]:
    """Her "hủy lịch" (asked to confirm first: a wrong cancel is worse than a question) or
    "dời lịch sang 16h thứ 7" (free times offered as for a booking) on her next appointment (or
    on the one her reminder was about)."""
    assert conv.lead_id is not None
    appt = appt or await bookings.next_of_customer(conv.lead_id)
    if appt is None:
        return [Reply(lang.booking("no_appt"))]
    when = _when(appt.starts_at)
    if intent == "cancel_appointment":
        await _save(conv, {"step": "cancel", "appointment_id": appt.id})
        return [Reply(lang.booking("ask_cancel").format(when=when, service=appt.service_name),
                      [[Button(lang.booking("btn_cancel_yes"), f"cx:{appt.id}")]])]  # fmt: skip
    service = await availability.service_info(appt.service_id)
    day = date.fromisoformat(str(slots["date"])) if slots.get("date") else None
    if day is None and slots.get("time"):  # "đổi qua 11h": 11h on the day she is booked
        day = clock.local(appt.starts_at).date()
    offers = await _free_times(appt.site_branch_id, service, day, slots.get("time"), _part(text))
    note = await _wish_note(appt.site_branch_id, day, slots.get("time"), offers)
    if not offers:
        return [
            Reply(
                " ".join(filter(None, [note, lang.booking("no_slot").format(service=service.name)]))
            )
        ]
    pending = {"step": "time", "move": appt.id, "branch_id": appt.site_branch_id,
               "service_id": service.id, "service": service.name, "offers": offers}  # fmt: skip
    await _save(conv, pending)
    headline = (
        note if text else lang.booking("ask_new_time").format(when=when, service=appt.service_name)
    )
    return [_offer_reply(pending, headline)]


_AGREE = re.compile(r"\b(?:dung|ok|oke|vang|u|co|huy|dong y|xac nhan|chac chan)\b")
_REFUSE = re.compile(r"\b(?:khong|ko|k|hok|thoi|chua|giu)\b")


async def _cancel(conv: Conversation, text: str, pending: dict[str, Any]) -> list[Reply] | None:
    folded = fold(text)
    if folded.strip(" .!") == "1":  # the question's only numbered answer on Zalo: "1. Đúng, hủy"
        folded = "dung"
    appt_id = int(pending["appointment_id"])
    await _save(conv, None)
    if _REFUSE.search(folded) or not _AGREE.search(folded) or conv.lead_id is None:
        appt = await bookings.next_of_customer(conv.lead_id) if conv.lead_id else None
        if appt is not None and appt.id == appt_id and _REFUSE.search(folded):
            return [Reply(lang.booking("kept").format(when=_when(appt.starts_at)))]
        return None  # something else: the Q&A answers
    try:
        appt = await bookings.cancel_by_customer(lead_id=conv.lead_id, appointment_id=appt_id)
    except DomainError:
        return [Reply(lang.booking("no_appt"))]
    when = _when(appt.starts_at)
    note = lang.booking("desk_cancelled").format(
        channel=CHANNEL_NAMES.get(conv.channel, conv.channel), name=appt.customer_name,
        service=appt.service_name, when=when,
    )  # fmt: skip
    await _tell_desk(appt.site_branch_id, note, [])
    return [Reply(lang.booking("cancelled_appt").format(when=when, service=appt.service_name))]


def _offer_reply(pending: dict[str, Any], headline: str = "") -> Reply:
    offers = pending["offers"]
    first = clock.local(_at(offers[0][0]))
    party = int(pending.get("party") or 1)
    text = (lang.booking("offer_party").format(service=pending["service"], n=party,
                                               day=_day(first.date()))
            if party > 1 else
            lang.booking("offer").format(service=pending["service"], day=_day(first.date())))  # fmt: skip
    # The times travel as buttons: quick replies on Messenger, a numbered list on Zalo (the
    # channel writes it), chips in the widget; a press, the typed time or its number chooses.
    buttons = [[Button(o[2], f"cb:{o[0]}:{o[1]}")] for o in offers]
    return Reply("\n".join(filter(None, [headline, text])), buttons)


def _at(epoch_min: int) -> datetime:
    return datetime.fromtimestamp(epoch_min * 60, UTC)


async def _free_times(
    branch_id: int,
    service: availability.ServiceInfo,
    day: date | None,
    wanted: object,
    part: object,
    party: int = 1,
) -> list[list[Any]]:
    """Up to OFFERS free starts ([epoch minute, technician id, label, technician ids]) on the
    wished day, else on the next days: nearest to the wished time, inside the wished part of the
    day when said; for a party of several, only starts with that many technicians free."""
    start_day = day or clock.today()
    target = availability.hhmm(str(wanted)) if isinstance(wanted, str) and wanted else None
    low, high = _PARTS.get(str(part), (0, 24 * 60))
    for offset in range(DAYS):
        current = start_day + timedelta(days=offset)
        techs: dict[datetime, list[int]] = {}
        for slot in await availability.free_slots(branch_id=branch_id, service=service,
                                                  day=current):  # fmt: skip
            techs.setdefault(slot.starts_at, []).append(slot.technician_id)
        first_tech = {s: ids[0] for s, ids in techs.items() if len(set(ids)) >= party}
        starts = [s for s in first_tech if low <= availability.minute_of(s) < high] or (
            list(first_tech) if offset == 0 and part else []
        )
        if target is not None:
            starts.sort(key=lambda s: abs(availability.minute_of(s) - target))
        chosen = sorted(starts[:OFFERS])
        if chosen:
            return [
                [int(s.timestamp()) // 60, first_tech[s],
                 f"{clock.local(s):%H:%M} {_day(clock.local(s).date())}",
                 list(dict.fromkeys(techs[s]))[:party]]
                for s in chosen
            ]  # fmt: skip
    return []


def _pick(text: str, offers: list[list[Any]]) -> list[Any] | None:
    """The offer the customer chose: its button title, its time ("14h", "2h chiều") or its
    number ("2")."""
    folded = fold(text).strip(" .!")
    if folded.isdigit() and 1 <= int(folded) <= len(offers):
        return offers[int(folded) - 1]
    found = _TIME.search(folded)
    if found is None:
        return None
    hour, minute = int(found.group(1)), int(found.group(2) or 0)
    hours = {hour, hour + 12} if hour < 12 and _part(text) in ("chieu", "toi") else {hour}
    for offer in offers:
        local = clock.local(_at(int(offer[0])))
        if local.hour in hours and local.minute == minute:
            return offer
    return None


async def _continue(conv: Conversation, text: str, pending: dict[str, Any]) -> list[Reply] | None:
    step = pending.get("step")
    if step == "cancel":  # "hủy" / "đúng" here means yes, cancel it
        return await _cancel(conv, text, pending)
    if fold(text).strip(" .!") in _CANCEL:
        await _save(conv, None)
        return [Reply(lang.booking("cancelled"))]
    if step == "service":
        await _save(conv, None)
        if parse(text).intent == "book_appointment":
            return None  # a new request: started afresh
        choices = list(pending.get("choices") or [])
        number = fold(text).strip(" .!")
        if number.isdigit() and 1 <= int(number) <= len(choices):
            return await _offer(
                conv, pending, choices[int(number) - 1][1], choices[int(number) - 1][0]
            )
        named = next((c for c in choices if fold_words(c[1]) == fold_words(text)), None)
        if named is not None:  # her press of a button arrives as its title
            return await _offer(conv, pending, named[1], named[0])
        return await _offer(conv, pending, text)
    if _wants_later(text):
        await _save(conv, None)  # "thôi để em sắp xếp rồi báo lại": no booking, no staff needed
        return [Reply(lang.booking("later"))]
    if step == "phone":
        return await _after_phone_step(conv, pending) if conv.lead_id else None
    choice = _pick(text, pending.get("offers") or [])
    if choice is None:
        if parse(text).intent == "book_appointment" and _TIME.search(fold(text)) is None:
            await _save(conv, None)  # a new request replaces the old one
            return None
        again = await _retime(conv, text, pending)
        if again is not None:
            return again
        return None  # a question meanwhile: the Q&A answers, the offer stays
    return await _chosen(conv, pending, choice)


_LATER = re.compile(
    r"\b(?:de (?:hom|lan|bua|dip|khi|luc) khac|hom khac|khi khac|luc khac|bua khac"
    r"|de (?:em|e|chi|c|minh|toi|anh|a) (?:sap xep|suy nghi|tinh|xem|coi|hoi|bao)"
    r"|bao (?:lai )?sau|nhan (?:lai )?sau|lien he (?:lai )?sau|khong dat nua|ko dat nua"
    r"|later|not now|never ?mind|maybe another)\b"
)


def _wants_later(text: str) -> bool:
    """ "thôi để em sắp xếp rồi báo lại", "để hôm khác", "thôi vậy": no booking now. A "thôi"
    that goes on to choose ("thôi lấy 15h", "thôi chốt giờ sớm nhất") is a choice, not this."""
    folded = fold(text)
    if _LATER.search(folded):
        return True
    return folded.startswith("thoi ") and not re.search(r"\d|\b(?:lay|chot|dat|ok|book)\b", folded)


async def _retime(conv: Conversation, text: str, pending: dict[str, Any]) -> list[Reply] | None:
    """She names a time (or day) that was not offered ("cho chị 18h30 đc ko"): that time when it
    is free (as if she had pressed it), else the free times nearest to it and why hers is not
    among them. None when she names no time or day."""
    slots = parse("đặt lịch " + text, clock.local_now()).slots
    if not slots.get("time") and not slots.get("date"):
        return None
    offers = pending.get("offers") or []
    day = (date.fromisoformat(str(slots["date"])) if slots.get("date") else
           clock.local(_at(int(offers[0][0]))).date() if offers else None)  # fmt: skip
    service = await availability.service_info(int(pending["service_id"]))
    found = await _free_times(int(pending["branch_id"]), service, day, slots.get("time"),
                              _part(text), int(pending.get("party") or 1))  # fmt: skip
    note = await _wish_note(int(pending["branch_id"]), day, slots.get("time"), found)
    if not found:
        return [
            Reply(
                " ".join(filter(None, [note, lang.booking("no_slot").format(service=service.name)]))
            )
        ]
    if slots.get("time") and not note:  # exactly the time she asked for is free
        wanted = availability.hhmm(str(slots["time"]))
        exact = next(o for o in found if availability.minute_of(_at(int(o[0]))) == wanted)
        pending["offers"] = found
        return await _chosen(conv, pending, exact)
    pending.update(offers=found, step="time")
    await _save(conv, pending)
    return [_offer_reply(pending, note)]


async def _chosen(conv: Conversation, pending: dict[str, Any], choice: list[Any]) -> list[Reply]:
    pending["chosen"] = choice
    if conv.lead_id is None:
        pending["step"] = "phone"
        await _save(conv, pending)
        # Unknown name too (the widget has no profile): both, in one answer ("Lan 0912…").
        key = "ask_phone" if conv.display_name else "ask_name_phone"
        return [Reply(lang.booking(key).format(label=choice[2]))]
    return await _book(conv, pending)


async def _book(conv: Conversation, pending: dict[str, Any]) -> list[Reply]:
    minute, tech_id = pending["chosen"][:2]
    assert conv.lead_id is not None
    if pending.get("move"):
        return await _move(conv, pending)
    party = int(pending.get("party") or 1)
    techs = (list(pending["chosen"][3]) if len(pending["chosen"]) > 3 else [])[:party] or [tech_id]
    try:
        if party > 1:  # one appointment per person, all or none
            if len(techs) < party:
                raise DomainError(ErrorCode.SLOT_TAKEN)
            booked = (await bookings.book_party_by_customer(
                lead_id=conv.lead_id, service_id=int(pending["service_id"]),
                starts_at=_at(int(minute)), technician_ids=[int(t) for t in techs],
                note=BOOKING["note_party"].format(n=party),
            ))[0]  # fmt: skip
        else:
            booked = await bookings.book_by_customer(
                lead_id=conv.lead_id, service_id=int(pending["service_id"]),
                starts_at=_at(int(minute)), technician_id=int(tech_id),
            )  # fmt: skip
    except DomainError as exc:
        if exc.code not in (ErrorCode.SLOT_TAKEN, ErrorCode.NO_ROOM, ErrorCode.DAY_OFF):
            await _save(conv, None)  # not for the customer to fix: the front desk calls her
            await _tell_desk(int(pending["branch_id"]), lang.booking("desk_failed").format(
                name=conv.display_name or "", phone=format_phone(conv.phone or ""),
                service=pending.get("service", ""), label=pending["chosen"][2]), [])  # fmt: skip
            return [Reply(lang.booking("failed"))]
        service = await availability.service_info(int(pending["service_id"]))
        day = clock.local(_at(int(minute))).date()
        offers = await _free_times(int(pending["branch_id"]), service, day, None, None,
                                   int(pending.get("party") or 1))  # fmt: skip
        if not offers:
            await _save(conv, None)
            return [
                Reply(
                    lang.booking("taken")
                    + " "
                    + lang.booking("no_slot").format(service=service.name)
                )
            ]
        pending.update(step="time", offers=offers, chosen=None)
        await _save(conv, pending)
        return [_offer_reply(pending, lang.booking("taken"))]
    await _save(conv, None)
    appt = booked.appointment
    branch = await Branch.get_or_none(id=appt.site_branch_id)
    tech = await User.get_or_none(id=appt.technician_id)
    when = _when(appt.starts_at)
    note = BOOKING["desk_booked"].format(
        channel=CHANNEL_NAMES.get(conv.channel, conv.channel), name=appt.customer_name,
        phone=format_phone(appt.customer_phone) if appt.customer_phone else "",
        service=appt.service_name, when=when, tech=tech.full_name if tech else "",
    ) + (BOOKING["desk_party"].format(n=party) if party > 1 else "")  # fmt: skip
    await _tell_desk(
        appt.site_branch_id, note, [[[lang.booking("btn_desk_confirm"), f"ac:{appt.id}"]]]
    )
    if party > 1:
        return [Reply(lang.booking("booked_party").format(
            service=appt.service_name, when=when, n=party, branch=branch.name if branch else ""))]  # fmt: skip
    return [Reply(lang.booking("booked").format(service=appt.service_name, when=when,
                                           branch=branch.name if branch else ""))]  # fmt: skip


async def _move(conv: Conversation, pending: dict[str, Any]) -> list[Reply]:
    minute, tech_id = pending["chosen"][:2]
    assert conv.lead_id is not None
    try:
        appt = await bookings.reschedule_by_customer(
            lead_id=conv.lead_id, appointment_id=int(pending["move"]),
            starts_at=_at(int(minute)), technician_id=int(tech_id),
        )  # fmt: skip
    except DomainError as exc:
        await _save(conv, None)
        if exc.code in (ErrorCode.SLOT_TAKEN, ErrorCode.NO_ROOM, ErrorCode.DAY_OFF):
            return [Reply(lang.booking("taken"))]
        return [Reply(lang.booking("no_appt"))]
    await _save(conv, None)
    when = _when(appt.starts_at)
    note = lang.booking("desk_moved").format(
        channel=CHANNEL_NAMES.get(conv.channel, conv.channel), name=appt.customer_name,
        service=appt.service_name, when=when,
    )  # fmt: skip
    await _tell_desk(
        appt.site_branch_id, note, [[[lang.booking("btn_desk_confirm"), f"ac:{appt.id}"]]]
    )
    return [Reply(lang.booking("moved").format(service=appt.service_name, when=when))]


async def _tell_desk(branch_id: int, text: str, buttons: list[list[list[str]]]) -> None:
    for channel, chat in await front_desk_routes(branch_id):
        payload: dict[str, object] = {"text": text, "buttons": buttons}
        if channel == "zalo":
            payload["audience"] = "staff"
        await outbox.enqueue(channel, chat, payload)


async def reminder_reply(conv: Conversation, text: str) -> list[Reply] | None:
    if conv.lead_id is None or not is_yes(text):
        return None
    appt = await reminded_appointment(conv.lead_id)
    if appt is None:
        return None
    return await _confirm(conv, appt)


async def _confirm(conv: Conversation, appt: Appointment) -> list[Reply] | None:
    try:
        appt = await confirm_appointment(None, appointment_id=appt.id)
    except DomainError:
        return None  # changed meanwhile (cancelled, checked in): the Q&A answers as usual
    when = _when(appt.starts_at)
    note = lang.booking("desk_confirmed").format(
        name=appt.customer_name, when=when, service=appt.service_name,
        channel=CHANNEL_NAMES.get(conv.channel, conv.channel),
    )  # fmt: skip
    await _tell_desk(appt.site_branch_id, note, [])
    return [Reply(lang.booking("confirmed").format(when=when, service=appt.service_name))]


async def conversation_language(conv_id: int) -> str:
    """The language the customer wrote in last (what the spa's messages to her are written in)."""
    return str((await dialogs.load(lang.STATE, str(conv_id))).get("lang") or "vi")


# -- numbered answers to a Zalo reminder ---------------------------------------------------------
REMINDED = "cremind"  # dialog rows: the numbered reminder last sent in a conversation


async def remember_numbered_reminder(
    conv: Conversation, appointment_id: int, message_id: int
) -> None:
    """The reminder just recorded in the conversation asks for 1 / 2 / 3 about this appointment."""
    await dialogs.save(REMINDED, str(conv.id),
                       {"appointment_id": appointment_id, "message_id": message_id})  # fmt: skip


async def reminder_number(conv: Conversation, text: str) -> list[Reply] | None:
    """Her "1" / "2" / "3" answering the numbered reminder: confirm, other times, cancel. None
    when the message is no such answer, or the reminder is not the last thing the spa said."""
    choice = fold(text).strip(" .!)")
    if choice not in ("1", "2", "3") or conv.lead_id is None:
        return None
    state = await dialogs.load(REMINDED, str(conv.id))
    if not state:
        return None
    await dialogs.clear(REMINDED, str(conv.id))  # one answer per reminder
    said_since = await conversations.messages_after(
        conv, int(state["message_id"]), ("bot", "staff")
    )
    if said_since:
        return None  # the number answers what was said after the reminder
    appt = await answered_appointment(conv.lead_id, int(state["appointment_id"]))
    if appt is None:
        return [Reply(lang.booking("no_appt"))]
    await _save(conv, None)  # an older pending offer is no longer what she answers
    if choice == "1":
        return await _confirm(conv, appt) or [Reply(lang.booking("no_appt"))]
    if choice == "2":
        day = clock.local(appt.starts_at).date().isoformat()
        return await _change(conv, "", "reschedule_appointment", {"date": day}, appt)
    return await _change(conv, "", "cancel_appointment", {}, appt)
