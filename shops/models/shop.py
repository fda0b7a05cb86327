"""The tenant: Shop and its status machine, members and roles, activity records, status history."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django_scopes import ScopedManager

from accounts.identity import IdentityQuerySet
from shops.permissions import Role, role_can


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
    # Banned or deleted: members are signed out, and the daily sweeps and evaluations skip it.
    CLOSED = (Status.BANNED, Status.DELETED)

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
    # SPEC §9.2: when staff last lifted a ban. A lift starts a new inactivity countdown, so the
    # sweep counts from the later of this and the last activity (``inactive_since``).
    ban_lifted_at = models.DateTimeField(null=True, blank=True)
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

    @property
    def inactive_since(self):
        """The instant the inactivity countdown runs from: the last activity, or the lift of a
        ban when that came later (a lifted ban never counts from the activity before it)."""
        if self.ban_lifted_at and self.ban_lifted_at > self.last_activity_at:
            return self.ban_lifted_at
        return self.last_activity_at

    def history_row(self, **change) -> "ShopStatusChange":
        return ShopStatusChange(shop=self, **change)


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
