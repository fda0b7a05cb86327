"""The shops app's tables, one module per concern; importing the package registers them all."""

from common.files import private_storage as _private_storage  # named by migrations 0002, 0004
from shops.models.onboarding import (
    BankAccount,
    DocumentExpiryNotice,
    SellerProfile,
    SubmissionDocument,
    VerificationDecision,
    VerificationDocument,
    VerificationSubmission,
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
