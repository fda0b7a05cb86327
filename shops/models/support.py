"""Help and support: a seller's tickets to platform support and their messages."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django_scopes import ScopedManager

from common.files import private_storage
from shops.models.shop import Shop


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
        storage=private_storage, upload_to="support/%Y/%m/", max_length=255, blank=True
    )
    attachment_type = models.CharField(max_length=32, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(shop="shop")

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{'Support' if self.from_staff else 'Seller'} · {self.created_at:%Y-%m-%d %H:%M}"
