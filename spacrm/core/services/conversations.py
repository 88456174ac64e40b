"""Customer conversations on Facebook / Zalo / the widget: state, history, lead capture."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from tortoise.transactions import in_transaction

from spacrm.core import clock
from spacrm.core.actors import Actor
from spacrm.core.errors import DomainError, ErrorCode
from spacrm.core.models import (
    Conversation,
    ConversationMessage,
    Lead,
    StaffReplyTarget,
    User,
)
from spacrm.core.permissions import can_see, scoped
from spacrm.core.services import channels, outbox
from spacrm.core.services.leads import create_lead
from spacrm.core.services.search import find_duplicates
from spacrm.core.services.users import actor_for, ownership_for
from spacrm.core.textnorm import clean_inbound

MAX_STORED_TEXT = 20_000
SOURCE = {"facebook": "facebook", "zalo": "zalo", "widget": "website"}


async def open_conversation(
    channel: str, account_ref: str, customer_ref: str, *, display_name: str | None = None
) -> Conversation:
    display_name = clean_inbound(display_name, 120)  # profile lookups bypass ChatEvent's cleaning
    conv, _ = await Conversation.get_or_create(
        channel=channel, account_ref=account_ref, customer_ref=customer_ref,
        defaults={"display_name": display_name},
    )  # fmt: skip
    if display_name and not conv.display_name:
        conv.display_name = display_name
        await conv.save(update_fields=["display_name"])
    return conv


async def set_display_name(conv: Conversation, name: str) -> None:
    """The name she gave in the chat (the widget has no profile to read it from)."""
    conv.display_name = clean_inbound(name, 120)
    await conv.save(update_fields=["display_name"])


async def get_conversation(conv_id: int) -> Conversation | None:
    return await Conversation.get_or_none(id=conv_id)


async def may_see(actor: Actor, conv: Conversation) -> bool:
    """A staff member may see and act on a customer conversation when they hold it, manage the
    one who holds it (the #11 scope rule applied to the assignee), or may see the lead it is
    linked to. A conversation nobody holds is only the board's and admins'."""
    if actor.sees_all or conv.assignee_id == actor.user_id:
        return True
    if conv.assignee_id is not None and can_see(actor, await ownership_for(conv.assignee_id)):
        return True
    return conv.lead_id is not None and await scoped(Lead, actor).filter(id=conv.lead_id).exists()


async def visible_conversation(actor: Actor, conv_id: int) -> Conversation:
    """The conversation, or NOT_FOUND when it does not exist or is outside the actor's scope
    (a forged button or a stale reply target must not reveal or touch it)."""
    conv = await Conversation.get_or_none(id=conv_id)
    if conv is None or not await may_see(actor, conv):
        raise DomainError(ErrorCode.NOT_FOUND)
    return conv


async def find_conversation(
    channel: str, account_ref: str, customer_ref: str
) -> Conversation | None:
    return await Conversation.get_or_none(
        channel=channel, account_ref=account_ref, customer_ref=customer_ref
    )


async def record(
    conv: Conversation,
    author: str,
    text: str,
    *,
    staff_id: int | None = None,
    msg_id: str | None = None,
) -> ConversationMessage:
    msg = await ConversationMessage.create(
        conversation=conv, author=author, text=text[:MAX_STORED_TEXT], staff_id=staff_id
    )
    if author == "customer":
        conv.last_customer_at = clock.now()
        if msg_id:
            conv.last_customer_msg_id = msg_id[:120]
        await conv.save(update_fields=["last_customer_at", "last_customer_msg_id", "updated_at"])
    return msg


async def recent(conv: Conversation, n: int = 5) -> list[ConversationMessage]:
    rows = await ConversationMessage.filter(conversation_id=conv.id).order_by("-id").limit(n)
    return list(reversed(rows))


async def messages_after(
    conv: Conversation, after_id: int, authors: tuple[str, ...]
) -> list[ConversationMessage]:
    return await ConversationMessage.filter(
        conversation_id=conv.id, id__gt=after_id, author__in=list(authors)
    ).order_by("id")


async def send_staff_text(conv: Conversation, staff_id: int, text: str) -> None:
    """A staff member's answer to the customer: stored in the conversation (the staff member
    now holds it) and queued on the customer's channel. The widget has no push: the page polls
    the stored message."""
    await record(conv, "staff", text, staff_id=staff_id)
    if conv.state != "handoff":
        await set_state(conv, "handoff", assignee_id=staff_id)
    if conv.channel in ("facebook", "zalo"):
        await outbox.enqueue(
            conv.channel, conv.customer_ref, {"text": text, "staff_id": staff_id},
            account_ref=conv.account_ref,
        )  # fmt: skip


async def set_state(conv: Conversation, state: str, *, assignee_id: int | None = None) -> None:
    conv.state = state
    if assignee_id is not None:
        conv.assignee_id = assignee_id
    await conv.save(update_fields=["state", "assignee_id", "updated_at"])


async def ensure_assignee(conv: Conversation) -> int | None:
    """The staff member who takes this conversation: the one it has, else the channel's next in
    turn (kept on the conversation); None when nobody can take it."""
    if conv.assignee_id is None:
        assignee = await channels.next_assignee(conv.channel, conv.account_ref)
        if assignee is not None:
            conv.assignee_id = assignee
            await conv.save(update_fields=["assignee_id"])
    return conv.assignee_id


@dataclass(frozen=True, slots=True)
class LeadLink:
    lead_id: int | None
    created: bool
    owner_id: int | None


async def attach_phone(conv: Conversation, phone: str, owner_id: int | None) -> LeadLink:
    """Link the conversation to the lead with this phone, creating one (source = the channel,
    owner = `owner_id`) only when nobody in the company has that phone yet. Concurrent first
    messages with the same phone (several widget tabs, Facebook and Zalo at once) make one lead:
    the losers of the race link to the winner's."""
    conv.phone = phone
    await conv.save(update_fields=["phone", "updated_at"])
    existing = await _existing_link(conv, phone)
    if existing is not None:
        return existing
    if owner_id is None:
        return LeadLink(None, False, None)
    owner = await User.get(id=owner_id)
    name = conv.display_name or f"Khách {SOURCE.get(conv.channel, conv.channel)} {phone[-4:]}"
    try:
        async with in_transaction():
            lead = await create_lead(
                await actor_for(owner),
                name=name,
                phone=phone,
                source=SOURCE.get(conv.channel, conv.channel),
            )
            conv.lead_id = lead.id
            await conv.save(update_fields=["lead_id"])
    except DomainError as exc:
        if exc.code not in (ErrorCode.DUPLICATE_VISIBLE, ErrorCode.DUPLICATE_HIDDEN):
            raise
        return await _existing_link(conv, phone) or LeadLink(None, False, None)
    return LeadLink(lead.id, True, owner_id)


async def _existing_link(conv: Conversation, phone: str) -> LeadLink | None:
    """Link to the lead that has this phone; LeadLink(None…) for an existing customer/account
    (never copied); None when nobody has it."""
    for found in await find_duplicates(phone=phone, email=None, tax_code=None, citizen_id=None):
        lead: Lead | None = None
        if found.kind == "lead":
            lead = await Lead.get_or_none(id=found.ref_id)
        elif found.kind == "contact":
            lead = await Lead.filter(contact_id=found.ref_id).order_by("id").first()
        if lead is not None:
            conv.lead_id = lead.id
            await conv.save(update_fields=["lead_id"])
            return LeadLink(lead.id, False, lead.owner_id)
        return LeadLink(None, False, None)
    return None


async def set_reply_target(channel: str, chat_id: str, conv_id: int) -> None:
    await StaffReplyTarget.filter(channel=channel, chat_id=chat_id).delete()
    await StaffReplyTarget.create(channel=channel, chat_id=chat_id, conversation_id=conv_id)


# "Trả lời" pressed and then forgotten must not send a later, unrelated message to a customer.
REPLY_TARGET_MINUTES = 15


async def pop_reply_target(channel: str, chat_id: str) -> int | None:
    target = await StaffReplyTarget.get_or_none(channel=channel, chat_id=chat_id)
    if target is None:
        return None
    await target.delete()
    if target.created_at < clock.now() - timedelta(minutes=REPLY_TARGET_MINUTES):
        return None
    return target.conversation_id


async def clear_reply_target(channel: str, chat_id: str) -> bool:
    return bool(await StaffReplyTarget.filter(channel=channel, chat_id=chat_id).delete())
