"""Onboarding (SPEC §2): the seller profile, verification documents, submissions and reviewers'
decisions, document expiry notices, the bank account."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django_scopes import ScopedManager

from common.files import private_storage
from shops.models.shop import Shop


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

    # The business details step (SPEC §2): what the form asks and the service saves.
    DETAIL_FIELDS = (
        "legal_name",
        "date_of_birth",
        "business_name",
        "registration_number",
        "registration_country",
        "address_line1",
        "address_line2",
        "city",
        "state",
        "postcode",
        "region",
        "contact_email",
        "contact_phone",
    )

    def __str__(self) -> str:
        return f"Seller profile of {self.shop}"

    @property
    def display_name(self) -> str:
        if self.shop.seller_type == Shop.SellerType.BUSINESS:
            return self.business_name
        return self.legal_name


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
    file = models.FileField(storage=private_storage, upload_to="documents/%Y/%m/", max_length=255)
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
