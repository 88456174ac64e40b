"""All models, in one Tortoise app called "models"."""

from spacrm.core.models.chat import (
    DialogState,
    OutboxMessage,
    ProcessedEvent,
    SentMessageRef,
    TaxCodeCache,
)
from spacrm.core.models.crm import (
    Account,
    Activity,
    Attachment,
    Complaint,
    ComplaintReply,
    Contact,
    Lead,
    Opportunity,
    SearchEntry,
)
from spacrm.core.models.customer import (
    Conversation,
    ConversationMessage,
    CustomerChannel,
    QARecord,
    StaffReplyTarget,
    VariantSuggestion,
)
from spacrm.core.models.guard import CustomerKey, RateEvent
from spacrm.core.models.org import Branch, ChannelIdentity, LinkCode, Region, Team, User

__all__ = [
    "Account",
    "Activity",
    "Attachment",
    "Branch",
    "ChannelIdentity",
    "Complaint",
    "ComplaintReply",
    "Contact",
    "Conversation",
    "ConversationMessage",
    "CustomerChannel",
    "CustomerKey",
    "DialogState",
    "Lead",
    "LinkCode",
    "Opportunity",
    "OutboxMessage",
    "ProcessedEvent",
    "QARecord",
    "RateEvent",
    "Region",
    "SearchEntry",
    "SentMessageRef",
    "StaffReplyTarget",
    "TaxCodeCache",
    "Team",
    "User",
    "VariantSuggestion",
]
