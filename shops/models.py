from django.conf import settings
from django.db import models
from django.utils import timezone
from django_scopes import ScopedManager

from accounts.identity import IdentityQuerySet


class ShopQuerySet(IdentityQuerySet):
    identity_users = "memberships__user"


class MembershipQuerySet(IdentityQuerySet):
    identity_users = "user"


class Shop(models.Model):
    """The tenant. Every product, order, return, message and record belongs to one shop."""

    class Status(models.TextChoices):
        PENDING_VERIFICATION = "pending_verification", "Pending verification"
        ACTIVE = "active", "Active"
        # Staff took the shop offline for a policy reason (trust & safety); only staff lift it.
        SUSPENDED = "suspended", "Suspended by staff"
        DEACTIVATED = "deactivated", "Deactivated"
        BANNED = "banned", "Banned"
        DELETED = "deleted", "Deleted"

    # The shop's status machine (common.transitions enforces it; history: ShopStatusChange).
    ALLOWED: dict[str, set[str]] = {
        Status.PENDING_VERIFICATION: {Status.ACTIVE, Status.DELETED},
        # Back to review when a verified business licence expires.
        Status.ACTIVE: {
            Status.PENDING_VERIFICATION,
            Status.DEACTIVATED,
            Status.BANNED,
            Status.DELETED,
            Status.SUSPENDED,
        },
        Status.DEACTIVATED: {Status.ACTIVE, Status.BANNED, Status.DELETED, Status.SUSPENDED},
        # Staff suspension: lifted back to active by staff, or escalated to a ban.
        Status.SUSPENDED: {Status.ACTIVE, Status.BANNED, Status.DELETED},
        # Staff lift a ban (lifecycle.services.leaving.shop_lift_ban).
        Status.BANNED: {Status.ACTIVE, Status.DELETED},
        Status.DELETED: set(),
    }

    class SellerType(models.TextChoices):
        INDIVIDUAL = "individual", "Individual"
        BUSINESS = "business", "Business"

    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=60, unique=True)
    status = models.CharField(
        max_length=24, choices=Status.choices, default=Status.PENDING_VERIFICATION, db_index=True
    )
    seller_type = models.CharField(
        max_length=16, choices=SellerType.choices, default=SellerType.INDIVIDUAL
    )
    region = models.CharField(max_length=2, default="US")
    currency = models.CharField(max_length=3, default="USD")
    created_at = models.DateTimeField(default=timezone.now)
    # SPEC §9.1: follows the newest ActivityEvent; the inactivity sweep reads only this column.
    last_activity_at = models.DateTimeField(default=timezone.now, db_index=True)
    # SPEC §3 probation; §9.2 investigation period. Caps are read from settings unless overridden.
    on_probation = models.BooleanField(default=True)
    in_investigation = models.BooleanField(default=False)
    store_deposit_paid = models.BooleanField(default=False)
    sps = models.DecimalField("shop performance score", max_digits=3, decimal_places=2, default=0)
    low_stock_default = models.PositiveIntegerField(
        default=5, help_text="Low-stock threshold for SKUs without their own."
    )

    objects = ShopQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        # Staff console: the least-privilege groups are granted these one by one.
        permissions = [
            ("suspend_shop", "Can suspend a shop and lift a suspension"),
            ("ban_shop", "Can ban a shop and lift a ban"),
            ("adjust_violations", "Can adjust a shop's violation points"),
            ("set_standing", "Can set SPS, probation and the investigation period"),
            ("manage_deposit", "Can mark the store deposit paid or refunded"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE

    def history_row(self, **change) -> "ShopStatusChange":
        return ShopStatusChange(shop=self, **change)


class Role(models.TextChoices):
    OWNER = "owner", "Owner"
    MANAGER = "manager", "Manager"
    STAFF = "staff", "Staff"


class Membership(models.Model):
    """A user's role in a shop (SPEC §1). Looked up by the tenancy resolver on every request."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=16, choices=Role.choices)
    created_at = models.DateTimeField(default=timezone.now)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "shop"], name="membership_unique_user_shop")
        ]
        ordering = ["shop__name"]

    def __str__(self) -> str:
        return f"{self.user} · {self.shop} ({self.role})"

    def can(self, capability: str) -> bool:
        from shops.permissions import role_can

        return role_can(self.role, capability)


class ActivityEvent(models.Model):
    """SPEC §9.1: something a seller did that keeps the shop active."""

    class Kind(models.TextChoices):
        PRODUCT_MODIFIED = "product_modified", "Modified product information"
        ORDER_PROCESSED = "order_processed", "Processed an order"
        SIGNED_IN = "signed_in", "Logged in to Seller Center"
        MESSAGE_ANSWERED = "message_answered", "Answered a customer-service message"

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="activity_events")
    kind = models.CharField(max_length=24, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    occurred_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(shop="shop")

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["shop", "-occurred_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} at {self.occurred_at:%Y-%m-%d %H:%M}"


# --- Onboarding, verification, bank account, probation (SPEC §2–§3) ---------------------------


class ShopStatusChange(models.Model):
    """The shop's status history: every transition, who made it and why."""

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=24)
    to_status = models.CharField(max_length=24)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(shop="shop")

    class Meta:
        ordering = ["created_at", "id"]


class SellerProfile(models.Model):
    """What the seller entered in the onboarding wizard (one per shop), saved step by step."""

    shop = models.OneToOneField(Shop, on_delete=models.CASCADE, related_name="seller_profile")
    seller_type_chosen = models.BooleanField(default=False)
    # Business details (SPEC §2).
    legal_name = models.CharField(max_length=150, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    business_name = models.CharField(max_length=150, blank=True)
    registration_number = models.CharField(max_length=64, blank=True)
    registration_country = models.CharField(max_length=2, blank=True)
    address_line1 = models.CharField(max_length=200, blank=True)
    address_line2 = models.CharField(max_length=200, blank=True)
    city = models.CharField(max_length=100, blank=True)
    state = models.CharField(max_length=2, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    region = models.CharField(max_length=2, default="US")
    contact_email = models.EmailField(blank=True)
    contact_phone = models.CharField(max_length=20, blank=True)
    details_completed_at = models.DateTimeField(null=True, blank=True)
    # TikTok account link; the follower count comes from the TikTok adapter (shops.tiktok).
    tiktok_username = models.CharField(max_length=64, blank=True)
    tiktok_followers = models.PositiveIntegerField(null=True, blank=True)
    tiktok_checked_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(shop="shop")

    def __str__(self) -> str:
        return f"Seller profile of {self.shop}"

    @property
    def display_name(self) -> str:
        if self.shop.seller_type == Shop.SellerType.BUSINESS:
            return self.business_name
        return self.legal_name


def _private_storage():
    from django.core.files.storage import storages

    return storages["private"]


class VerificationDocument(models.Model):
    """An identity or business document (SPEC §2), stored in the private storage only."""

    class Type(models.TextChoices):
        US_PASSPORT = "us_passport", "US passport"
        DRIVERS_LICENSE = "drivers_license", "Driver's license"
        LEGAL_RESIDENCY = "legal_residency", "Proof of legal residency"
        BUSINESS_CERTIFICATE = "business_certificate", "Business certificate (government-issued)"
        BUSINESS_LICENSE = "business_license", "Business license (government-issued)"

    class Status(models.TextChoices):
        UPLOADED = "uploaded", "Uploaded"
        SUBMITTED = "submitted", "In review"
        VERIFIED = "verified", "Verified"
        REJECTED = "rejected", "Rejected"
        EXPIRED = "expired", "Expired"
        REMOVED = "removed", "Removed"

    # Which types each seller type may upload, and which carry an expiry date.
    TYPES_FOR = {
        Shop.SellerType.INDIVIDUAL: (Type.US_PASSPORT, Type.DRIVERS_LICENSE, Type.LEGAL_RESIDENCY),
        Shop.SellerType.BUSINESS: (Type.BUSINESS_CERTIFICATE, Type.BUSINESS_LICENSE),
    }
    EXPIRING_TYPES = frozenset(
        {Type.US_PASSPORT, Type.DRIVERS_LICENSE, Type.LEGAL_RESIDENCY, Type.BUSINESS_LICENSE}
    )
    # Documents that count towards "documents done" and are shown to reviewers.
    CURRENT = (Status.UPLOADED, Status.SUBMITTED, Status.VERIFIED)

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="documents")
    doc_type = models.CharField("document type", max_length=24, choices=Type.choices)
    file = models.FileField(storage=_private_storage, upload_to="documents/%Y/%m/", max_length=255)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=32)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    expires_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.UPLOADED)
    rejection_reason = models.CharField(max_length=255, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)
    verified_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(shop="shop")

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        indexes = [models.Index(fields=["status", "expires_on"])]

    def __str__(self) -> str:
        return f"{self.get_doc_type_display()} ({self.original_name})"


class VerificationSubmission(models.Model):
    """One "submit for review" of a shop's onboarding data; the reviewer queue lists these."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for a reviewer"
        IN_REVIEW = "in_review", "In review"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"
        MORE_INFO = "more_info", "More information requested"

    ALLOWED: dict[str, set[str]] = {
        Status.PENDING: {Status.IN_REVIEW},
        Status.IN_REVIEW: {Status.PENDING, Status.APPROVED, Status.REJECTED, Status.MORE_INFO},
        Status.APPROVED: set(),
        Status.REJECTED: set(),
        Status.MORE_INFO: set(),
    }
    OPEN = (Status.PENDING, Status.IN_REVIEW)

    class Reason(models.TextChoices):
        BLURRY = "blurry", "Blurry or unreadable image"
        EXPIRED = "expired", "Expired document"
        NAME_MISMATCH = "name_mismatch", "Name mismatch"
        WRONG_TYPE = "wrong_type", "Wrong document type"
        OTHER = "other", "Other"

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="submissions")
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(default=timezone.now, db_index=True)
    # What the seller entered, frozen at submission: the reviewer judges what was submitted.
    snapshot = models.JSONField(default=dict)
    documents = models.ManyToManyField(
        VerificationDocument, through="SubmissionDocument", related_name="submissions"
    )
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    claimed_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.CharField(max_length=16, choices=Reason.choices, blank=True)
    note = models.TextField(blank=True)

    objects = ScopedManager(shop="shop")

    class Meta:
        ordering = ["submitted_at", "id"]
        constraints = [
            # At most one open submission per shop: the seller cannot queue the same shop twice.
            models.UniqueConstraint(
                fields=["shop"],
                condition=models.Q(status__in=["pending", "in_review"]),
                name="submission_one_open_per_shop",
            )
        ]

    def __str__(self) -> str:
        return f"Submission #{self.pk} · {self.shop}"

    def history_row(self, *, from_status: str, to_status: str, **details):
        """A reviewer's step is recorded as a VerificationDecision named after where it led."""
        action = {
            self.Status.IN_REVIEW: VerificationDecision.Action.CLAIMED,
            self.Status.PENDING: VerificationDecision.Action.RELEASED,
        }.get(to_status, to_status)
        return VerificationDecision(shop_id=self.shop_id, submission=self, action=action, **details)


class SubmissionDocument(models.Model):
    """Which documents a submission included (its own shop column, like every shop-owned row)."""

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="+")
    submission = models.ForeignKey(VerificationSubmission, on_delete=models.CASCADE)
    document = models.ForeignKey(VerificationDocument, on_delete=models.CASCADE)

    objects = ScopedManager(shop="shop")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "document"], name="submission_document_unique"
            )
        ]


class VerificationDecision(models.Model):
    """Every reviewer action on a submission — who, when, what, why — kept forever."""

    class Action(models.TextChoices):
        SUBMITTED = "submitted", "Submitted"
        CLAIMED = "claimed", "Claimed"
        RELEASED = "released", "Released"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"
        MORE_INFO = "more_info", "More information requested"

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="+")
    submission = models.ForeignKey(
        VerificationSubmission, on_delete=models.CASCADE, related_name="decisions"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=16, choices=Action.choices)
    reason = models.CharField(
        max_length=16, choices=VerificationSubmission.Reason.choices, blank=True
    )
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(shop="shop")

    class Meta:
        ordering = ["created_at", "id"]


class DocumentExpiryNotice(models.Model):
    """One row per (document, days before expiry): the unique key makes each notice send once."""

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="+")
    document = models.ForeignKey(
        VerificationDocument, on_delete=models.CASCADE, related_name="expiry_notices"
    )
    days_before = models.PositiveSmallIntegerField()
    sent_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(shop="shop")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["document", "days_before"], name="expiry_notice_once_per_stage"
            )
        ]


class BankAccount(models.Model):
    """The payout account (SPEC §2). The number is stored encrypted; only ••••1234 is shown."""

    class Kind(models.TextChoices):
        CHECKING = "checking", "Checking"
        SAVINGS = "savings", "Savings"

    shop = models.OneToOneField(Shop, on_delete=models.CASCADE, related_name="bank_account")
    holder_name = models.CharField(max_length=150)
    routing_number = models.CharField(max_length=9)
    account_number_encrypted = models.TextField()
    account_last4 = models.CharField(max_length=4)
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.CHECKING)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(shop="shop")

    def __str__(self) -> str:
        return f"{self.holder_name} {self.masked_number}"

    @property
    def masked_number(self) -> str:
        return f"••••{self.account_last4}"


class Violation(models.Model):
    """A policy violation ledger entry; points and fraud feed probation and program eligibility."""

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="violations")
    # Signed: staff correct the total with a negative entry (the ledger is never edited).
    points = models.SmallIntegerField()
    reason = models.CharField(max_length=255)
    fraud = models.BooleanField("fraud-related", default=False)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    objects = ScopedManager(shop="shop")

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.points} pt · {self.reason}"


class ShopProbation(models.Model):
    """The probation period of an approved shop (SPEC §3). ``Shop.on_probation`` mirrors it."""

    shop = models.OneToOneField(Shop, on_delete=models.CASCADE, related_name="probation")
    started_at = models.DateTimeField(default=timezone.now)
    # Staff may extend: the daily check does not end probation before this date.
    extended_until = models.DateField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    end_reason = models.CharField(max_length=255, blank=True)

    objects = ScopedManager(shop="shop")


# --- Help and support --------------------------------------------------------------------
class SupportTicket(models.Model):
    """A seller's question to platform support, opened from the Help page; staff answer in the
    admin. ``awaiting_staff_since`` is set when the seller writes and cleared by a staff reply:
    tickets waiting longer than SUPPORT_UNANSWERED_FLAG_HOURS are flagged for staff."""

    class Category(models.TextChoices):
        VERIFICATION = "verification", "Verification is taking long"
        DOCUMENTS = "documents", "A document was rejected"
        PAYMENTS = "payments", "Bank account and payouts"
        SIGN_IN = "sign_in", "Sign-in, two-step verification, locked account"
        INACTIVITY = "inactivity", "Inactivity, delisted products, re-listing"
        ORDERS = "orders", "Orders, shipping and returns"
        OTHER = "other", "Something else"

    class Status(models.TextChoices):
        OPEN = "open", "Waiting for support"
        ANSWERED = "answered", "Answered"
        CLOSED = "closed", "Closed"

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="support_tickets")
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    category = models.CharField(max_length=16, choices=Category.choices)
    subject = models.CharField(max_length=120)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    awaiting_staff_since = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(shop="shop")

    class Meta:
        ordering = ["-updated_at", "-id"]
        indexes = [
            models.Index(fields=["shop", "-updated_at"], name="ticket_shop_updated"),
            models.Index(
                fields=["awaiting_staff_since"],
                condition=models.Q(awaiting_staff_since__isnull=False),
                name="ticket_awaiting_staff",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.subject}"


class TicketMessage(models.Model):
    """One message in a support ticket's thread, from the seller or from staff."""

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="+")
    ticket = models.ForeignKey(SupportTicket, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    from_staff = models.BooleanField(default=False)
    body = models.TextField()
    attachment = models.FileField(
        storage=_private_storage, upload_to="support/%Y/%m/", max_length=255, blank=True
    )
    attachment_type = models.CharField(max_length=32, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(shop="shop")

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{'Support' if self.from_staff else 'Seller'} · {self.created_at:%Y-%m-%d %H:%M}"
