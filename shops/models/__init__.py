"""The shops app's tables, one module per concern; importing the package registers them all."""

from shops.models.onboarding import (
    BankAccount,
    DocumentExpiryNotice,
    SellerProfile,
    SubmissionDocument,
    VerificationDecision,
    VerificationDocument,
    VerificationSubmission,
    _private_storage,  # named by the FileFields of migrations 0002 and 0004
)
from shops.models.probation import ShopProbation, Violation
from shops.models.shop import (
    ActivityEvent,
    Membership,
    Role,
    Shop,
    ShopStatusChange,
)
from shops.models.support import SupportTicket, TicketMessage

__all__ = [
    "ActivityEvent",
    "BankAccount",
    "DocumentExpiryNotice",
    "Membership",
    "Role",
    "SellerProfile",
    "Shop",
    "ShopProbation",
    "ShopStatusChange",
    "SubmissionDocument",
    "SupportTicket",
    "TicketMessage",
    "VerificationDecision",
    "VerificationDocument",
    "VerificationSubmission",
    "Violation",
    "_private_storage",
]
