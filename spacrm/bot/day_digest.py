"""The day digest → one chat message per technician and front desk, through the outbox. The claim
and the queued message are one transaction: sent once a day, never lost between the two."""

from __future__ import annotations

from spacrm.bot.scheduled import queue_each
from spacrm.core import clock
from spacrm.core.models import Appointment
from spacrm.core.services.day_digest import KIND, DayDigest, pending_day_digests
from spacrm.intents import format as fmt
from spacrm.intents.texts import t

MAX_LINES = 40  # a branch's busy day stays one readable message; the rest is one command away


async def send_day_digests() -> int:
    return await queue_each(KIND, await pending_day_digests(), _message)


async def _message(digest: DayDigest) -> dict[str, object] | None:
    """None for a technician with nothing booked: claimed, nothing sent."""
    text = render(digest)
    if text is None:
        return None
    payload: dict[str, object] = {"text": text, "buttons": []}
    if digest.channel == "zalo":
        payload["audience"] = "staff"  # the OA's staff bot, not a customer message
    return payload


def render(d: DayDigest) -> str | None:
    """The message, or None for a technician with nothing booked today."""
    day = fmt.day(d.day, d.lang)
    if not d.front_desk:
        if not d.appointments:
            return None
        lines = [t(d.lang, "digest.tech_title", day=day, n=len(d.appointments))]
        lines += [_line(d, a) for a in d.appointments[:MAX_LINES]]
        return "\n".join(lines + _more(d, len(d.appointments)))
    if not d.appointments:
        lines = [t(d.lang, "digest.desk_empty", branch=d.branch_name, day=day)]
        if d.idle:
            lines.append(t(d.lang, "digest.idle", names=", ".join(d.idle)))
        return "\n".join(lines)
    by_tech: dict[int, list[Appointment]] = {}
    for a in d.appointments:
        by_tech.setdefault(a.technician_id, []).append(a)
    lines = [t(d.lang, "digest.desk_title", day=day, branch=d.branch_name,
               n=len(d.appointments), techs=len(by_tech))]  # fmt: skip
    shown = 0
    for tech_id in sorted(by_tech, key=lambda i: d.names.get(i, "")):
        rows = by_tech[tech_id]
        head = t(d.lang, "digest.tech_head", tech=d.names.get(tech_id, "?"), n=len(rows))
        if tech_id in d.free_from:
            head += t(d.lang, "digest.free_from", at=d.free_from[tech_id])
        else:
            head += t(d.lang, "digest.full")
        lines.append(head)
        for a in rows:
            if shown < MAX_LINES:
                lines.append(_line(d, a))
            shown += 1
    if d.idle:
        lines.append(t(d.lang, "digest.idle", names=", ".join(d.idle)))
    return "\n".join(lines + _more(d, shown))


def _line(d: DayDigest, a: Appointment) -> str:
    start, end = clock.local(a.starts_at), clock.local(a.ends_at)
    text = t(d.lang, "digest.line", start=f"{start:%H:%M}", end=f"{end:%H:%M}",
             name=a.customer_name, service=a.service_name,
             room=d.names.get(-a.room_id, "?"))  # fmt: skip
    if a.id in d.sessions:
        n, total = d.sessions[a.id]
        text += t(d.lang, "digest.session", n=n, total=total)
    return text


def _more(d: DayDigest, total: int) -> list[str]:
    return [t(d.lang, "digest.more", n=total - MAX_LINES)] if total > MAX_LINES else []
