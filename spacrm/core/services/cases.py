"""Cases (#15): a complaint opens one; new → in_progress → resolved → closed.

Staff open one from chat on a lead they can see; its assignee is the lead's owner. Every read and
write goes through `core.permissions`: a case outside the actor's scope is "not found".
"""

from __future__ import annotations

from dataclasses import dataclass

from tortoise.transactions import in_transaction

from spacrm.core import clock
from spacrm.core.actors import Actor
from spacrm.core.errors import DomainError, ErrorCode
from spacrm.core.models import Complaint, ComplaintReply, Lead, QARecord, User
from spacrm.core.permissions import get_visible, scoped
from spacrm.core.services import conversations
from spacrm.core.services.users import ownership_for
from spacrm.core.textnorm import nfc

STATUSES = ("new", "in_progress", "resolved", "closed")
OPEN = ("new", "in_progress")
MAX_TITLE = 300
MAX_TEXT = 5000


async def open_case(
    *,
    title: str,
    owner_id: int,
    description: str | None = None,
    lead_id: int | None = None,
    conversation_id: int | None = None,
) -> Complaint:
    """A case the system opens (a customer's complaint on a chat channel, kept linked to that
    conversation so replies on the case reach the customer)."""
    return await Complaint.create(
        title=title[:MAX_TITLE], description=description, lead_id=lead_id,
        conversation_id=conversation_id, created_at=clock.now(), **(await ownership_for(owner_id)).columns(),
    )  # fmt: skip


async def open_case_for_lead(lead_id: int) -> Complaint | None:
    return await Complaint.filter(lead_id=lead_id, status__in=list(OPEN)).order_by("-id").first()


async def open_case_for_chat(conversation_id: int, lead_id: int | None) -> Complaint | None:
    """The open case a customer chat belongs to: opened from it, else on its lead."""
    case = (
        await Complaint.filter(conversation_id=conversation_id, status__in=list(OPEN))
        .order_by("-id")
        .first()
    )
    if case is None and lead_id is not None:
        case = await open_case_for_lead(lead_id)
    return case


async def mark_first_response(case: Complaint) -> None:
    """The first staff answer to the customer starts the case's work."""
    if case.first_response_at is None:
        case.first_response_at = clock.now()
        if case.status == "new":
            case.status = "in_progress"
        await case.save(update_fields=["first_response_at", "status", "updated_at"])


def _text(value: str, *, limit: int = MAX_TEXT) -> str:
    text = nfc(value.strip())
    if not text:
        raise DomainError(ErrorCode.INVALID_VALUE, value=value)
    return text[:limit]


async def create_case(
    actor: Actor, *, lead_id: int, title: str, description: str | None = None
) -> Complaint:
    """Open a case on a lead the actor can see; the lead's owner takes it."""
    lead = await get_visible(Lead, actor, lead_id)
    clean = _text(title, limit=MAX_TITLE)
    return await Complaint.create(
        title=clean, description=nfc(description.strip())[:MAX_TEXT] if description else None,
        lead_id=lead.id, contact_id=lead.contact_id, created_at=clock.now(),
        **(await ownership_for(lead.owner_id)).columns(),
    )  # fmt: skip


async def get_case(actor: Actor, case_id: int) -> Complaint:
    return await get_visible(Complaint, actor, case_id)


async def my_open_cases(actor: Actor, limit: int = 20) -> list[Complaint]:
    """The actor's own cases that are not closed yet, oldest first (they wait the longest)."""
    return (
        await scoped(Complaint, actor)
        .filter(owner_id=actor.user_id, status__in=[*OPEN, "resolved"])
        .order_by("created_at", "id")
        .limit(limit)
    )


def _check(case: Complaint, version: int | None, allowed: tuple[str, ...]) -> None:
    if (version is not None and case.version != version) or case.status not in allowed:
        raise DomainError(ErrorCode.STALE)


async def _save(case: Complaint, *fields: str) -> Complaint:
    case.version += 1
    await case.save(update_fields=[*fields, "version", "updated_at"])
    return case


async def start_case(actor: Actor, *, case_id: int, version: int | None = None) -> Complaint:
    async with in_transaction():
        case = await get_case(actor, case_id)
        _check(case, version, ("new",))
        case.status = "in_progress"
        return await _save(case, "status")


@dataclass(frozen=True, slots=True)
class CaseReply:
    reply: ComplaintReply
    sent_to_customer: bool  # False: the case has no customer chat, the reply is internal


async def add_reply(actor: Actor, *, case_id: int, text: str) -> CaseReply:
    """A reply on the case; the first one sets the first-response time and starts the work.
    A case opened from a customer chat sends the reply to the customer there (outbox)."""
    async with in_transaction():
        case = await get_case(actor, case_id)
        if case.status == "closed":
            raise DomainError(ErrorCode.STALE)
        reply = await ComplaintReply.create(
            complaint_id=case.id, author_id=actor.user_id, text=_text(text), created_at=clock.now()
        )
        if case.first_response_at is None:
            case.first_response_at = reply.created_at
            if case.status == "new":
                case.status = "in_progress"
            await _save(case, "first_response_at", "status")
        conv = (
            await conversations.get_conversation(case.conversation_id)
            if case.conversation_id is not None
            else None
        )
        if conv is not None:
            await conversations.send_staff_text(conv, actor.user_id, reply.text)
        return CaseReply(reply, conv is not None)


async def record_customer_reply(
    conversation_id: int, lead_id: int | None, staff_id: int, text: str
) -> None:
    """A staff answer sent to the customer's chat counts as a reply on their open case."""
    case = await open_case_for_chat(conversation_id, lead_id)
    if case is None:
        return
    await ComplaintReply.create(
        complaint_id=case.id, author_id=staff_id, text=text[:MAX_TEXT], created_at=clock.now()
    )
    await mark_first_response(case)


async def resolve_case(
    actor: Actor, *, case_id: int, resolution: str, version: int | None = None
) -> Complaint:
    async with in_transaction():
        case = await get_case(actor, case_id)
        _check(case, version, OPEN)
        case.resolution = _text(resolution)
        case.status = "resolved"
        case.resolved_at = clock.now()
        if case.first_response_at is None:
            case.first_response_at = case.resolved_at
        return await _save(case, "resolution", "status", "resolved_at", "first_response_at")


async def close_case(actor: Actor, *, case_id: int, version: int | None = None) -> Complaint:
    async with in_transaction():
        case = await get_case(actor, case_id)
        _check(case, version, ("resolved",))
        case.status = "closed"
        case.closed_at = clock.now()
        return await _save(case, "status", "closed_at")


@dataclass(frozen=True, slots=True)
class CaseView:
    case: Complaint
    lead: Lead | None
    assignee_name: str
    replies: list[ComplaintReply]
    reply_count: int
    author_names: dict[int, str]
    article_approved: bool


async def case_view(actor: Actor, case_id: int, last_replies: int = 3) -> CaseView:
    """Everything the case card shows."""
    case = await get_case(actor, case_id)
    lead = await Lead.get_or_none(id=case.lead_id) if case.lead_id else None
    recent = list(
        reversed(
            await ComplaintReply.filter(complaint_id=case.id).order_by("-id").limit(last_replies)
        )
    )
    count = await ComplaintReply.filter(complaint_id=case.id).count()
    ids = {case.owner_id, *(r.author_id for r in recent)}
    names = {u.id: u.full_name for u in await User.filter(id__in=list(ids))}
    article = await QARecord.get_or_none(id=case.kb_article_id) if case.kb_article_id else None
    return CaseView(
        case,
        lead,
        names.get(case.owner_id, "?"),
        recent,
        count,
        names,
        bool(article and article.approved),
    )
