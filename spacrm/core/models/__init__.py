"""All models, in one Tortoise app called "models"."""

from spacrm.core.models.bookings import (
    Appointment,
    AppointmentReminder,
    BranchHours,
    Commission,
    Room,
    RoomService,
    ServiceBuffer,
    TechnicianDayOff,
    TechnicianShift,
    TechnicianSkill,
)
from spacrm.core.models.catalog import CatalogItem, Package, PackageItem, ServiceConsumable
from spacrm.core.models.chat import (
    DialogState,
    OutboxMessage,
    ProcessedEvent,
    SentMessageRef,
    TaxCodeCache,
)
from spacrm.core.models.config import StoredSetting  # console settings (#11)
from spacrm.core.models.console import ConsoleSession  # console sign-in (#11)
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
from spacrm.core.models.hr import (  # staff life (#12)
    Holiday,
    LeaveRequest,
    OrderTask,
    OvertimeEntry,
    PayAdjustment,
    PayRate,
    PayrollRun,
    Payslip,
    SalaryProfile,
    SalesCommission,
)  # fmt: skip
from spacrm.core.models.imports import ImportBatch, ImportChange  # imports (#21)
from spacrm.core.models.kpi import KpiSetting, ReportSend  # reports (#10)
from spacrm.core.models.org import Branch, ChannelIdentity, LinkCode, Region, Team, User
from spacrm.core.models.printing import Printer, PrintJob
from spacrm.core.models.rollup import ActivityDay, LeadBuy, LeadTouch, OrderDay  # roll-ups (#10)
from spacrm.core.models.runtime import ChatPresence as ChatPresence
from spacrm.core.models.runtime import InboundUpdate as InboundUpdate
from spacrm.core.models.sales import (
    BankReview,
    BankTransfer,
    DocCounter,
    Order,
    OrderLine,
    Voucher,
)
from spacrm.core.models.stock import StockMove, StockThreshold, Warehouse
from spacrm.core.models.usage import UsageChange, UsageEvent  # CRM usage (#33)

__all__ = [
    "Account",
    "Activity",
    "Appointment",
    "AppointmentReminder",
    "Attachment",
    "BankReview",
    "BankTransfer",
    "Branch",
    "BranchHours",
    "CatalogItem",
    "ChannelIdentity",
    "Commission",
    "Complaint",
    "ComplaintReply",
    "ConsoleSession",
    "Contact",
    "Conversation",
    "ConversationMessage",
    "Course",
    "CustomerChannel",
    "CustomerKey",
    "DialogState",
    "DocCounter",
    "KpiSetting",
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
    "ReportSend",
    "Room",
    "RoomService",
    "SearchEntry",
    "SentMessageRef",
    "ServiceBuffer",
    "ServiceConsumable",
    "StaffReplyTarget",
    "StockMove",
    "StockThreshold",
    "TaxCodeCache",
    "Team",
    "TechnicianDayOff",
    "TechnicianShift",
    "TechnicianSkill",
    "UnansweredQuestion",
    "User",
    "VariantSuggestion",
    "Voucher",
    "Warehouse",
]
__all__ += [  # staff life (#12)
    "Holiday", "LeaveRequest", "OrderTask", "OvertimeEntry", "PayAdjustment", "PayRate", "PayrollRun",
    "Payslip", "SalaryProfile", "SalesCommission",
]  # fmt: skip
__all__ += ["UsageEvent"]  # CRM usage (#33)
__all__ += ["StoredSetting"]  # console settings (#11)
__all__ += ["ImportBatch", "ImportChange"]  # spreadsheet imports (#21)
__all__ += ["ActivityDay", "LeadBuy", "LeadTouch", "OrderDay"]  # report roll-ups (#10)
__all__ += ["UsageChange"]  # reports2: records created/changed per usage row (#33)
