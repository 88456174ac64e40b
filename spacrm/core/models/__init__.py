"""All models, in one Tortoise app called "models"."""

from spacrm.core.models.catalog import CatalogItem, Package, PackageItem, ServiceConsumable
from spacrm.core.models.chat import (
    DialogState,
    OutboxMessage,
    ProcessedEvent,
    SentMessageRef,
    TaxCodeCache,
)
from spacrm.core.models.courses import Course
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
    QAEmbedding,
    QARecord,
    StaffReplyTarget,
    UnansweredQuestion,
    VariantSuggestion,
)
from spacrm.core.models.guard import CustomerKey, RateEvent
from spacrm.core.models.org import Branch, ChannelIdentity, LinkCode, Region, Team, User
from spacrm.core.models.printing import Printer, PrintJob
from spacrm.core.models.sales import (
    BankReview,
    BankTransfer,
    DocCounter,
    Order,
    OrderLine,
    Voucher,
)

__all__ = [
    "Account",
    "Activity",
    "Attachment",
    "BankReview",
    "BankTransfer",
    "Branch",
    "CatalogItem",
    "ChannelIdentity",
    "Complaint",
    "ComplaintReply",
    "Contact",
    "Conversation",
    "ConversationMessage",
    "Course",
    "CustomerChannel",
    "CustomerKey",
    "DialogState",
    "DocCounter",
    "Lead",
    "LinkCode",
    "Opportunity",
    "Order",
    "OrderLine",
    "OutboxMessage",
    "Package",
    "PackageItem",
    "PrintJob",
    "Printer",
    "ProcessedEvent",
    "QAEmbedding",
    "QARecord",
    "RateEvent",
    "Region",
    "SearchEntry",
    "SentMessageRef",
    "ServiceConsumable",
    "StaffReplyTarget",
    "TaxCodeCache",
    "Team",
    "UnansweredQuestion",
    "User",
    "VariantSuggestion",
    "Voucher",
]
