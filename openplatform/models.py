"""Apps a shop has authorized, and the API's remembered answers to idempotent requests.

A ``ShopApp`` is one app's access to one shop: a private app an owner made for their own shop
(its access token is shown once and only its SHA-256 is kept), or a partner app the owner
authorized. Revoking stamps ``revoked_at``; every API call checks it, so revoking is instant.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django_scopes import ScopedManager
from oauth2_provider.settings import oauth2_settings

from shops.models import Shop


class ShopApp(models.Model):
    class Kind(models.TextChoices):
        PRIVATE = "private", "Private app"
        PARTNER = "partner", "Partner app"

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=100)
    kind = models.CharField(max_length=8, choices=Kind.choices, default=Kind.PRIVATE)
    scopes = models.JSONField(default=list, help_text="Scope names (openplatform.scopes).")
    # Private apps: the SHA-256 of the access token (a 256-bit random secret, so a fast hash is
    # enough); the token itself is shown once and never stored.
    token_hash = models.CharField(max_length=64, unique=True, null=True, blank=True)
    token_hint = models.CharField(max_length=16, blank=True, help_text="Its first characters.")
    # The member who authorized it: the API acts as them (audit, activity, history rows).
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    last_call_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Partner apps: the registered OAuth application this authorization is for.
    application = models.ForeignKey(
        oauth2_settings.APPLICATION_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )

    objects = ScopedManager(shop="shop")

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["shop", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_kind_display()})"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class IdempotentResponse(models.Model):
    """The first answer to a POST sent with an Idempotency-Key, returned again for a repeat."""

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="+")
    app = models.ForeignKey(ShopApp, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    request_hash = models.CharField(max_length=64, help_text="SHA-256 of method, path and body.")
    status_code = models.PositiveSmallIntegerField()
    body = models.BinaryField()
    created_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(shop="shop")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["app", "key"], name="idempotent_response_app_key")
        ]


class WebhookSubscription(models.Model):
    """An app's endpoint for this shop's events, signed with its own secret (Standard Webhooks)."""

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="+")
    app = models.ForeignKey(ShopApp, on_delete=models.CASCADE, related_name="webhooks")
    url = models.URLField(max_length=500)
    events = models.JSONField(default=list)
    secret = models.CharField(max_length=80, help_text="whsec_…, shown to the app once.")
    created_at = models.DateTimeField(default=timezone.now)
    consecutive_failures = models.PositiveIntegerField(default=0)
    disabled_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(shop="shop")

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.url


class WebhookDelivery(models.Model):
    """One event for one subscription: the outbox row written with the change, then its log."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        DELIVERED = "delivered", "Delivered"
        FAILED = "failed", "Failed (gave up)"

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="+")
    subscription = models.ForeignKey(
        WebhookSubscription, on_delete=models.CASCADE, related_name="deliveries"
    )
    message_id = models.CharField(max_length=40, unique=True)
    event_type = models.CharField(max_length=60)
    payload = models.JSONField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_duration_ms = models.PositiveIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    delivered_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(shop="shop")

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="webhook_due")]


class PartnerApp(models.Model):
    """What a partner app (registered by staff: oauth2_provider's Application) may ask for."""

    application = models.OneToOneField(
        oauth2_settings.APPLICATION_MODEL, on_delete=models.CASCADE, related_name="partner"
    )
    scopes = models.JSONField(
        default=list, help_text="Scopes it may request (openplatform.scopes)."
    )

    def __str__(self) -> str:
        return f"Scopes of {self.application}"


class PartnerTokenFamily(models.Model):
    """Binds one OAuth refresh-token family (the tokens of one authorization, through every
    refresh) to the shop's ShopApp: a partner token opens that shop and no other."""

    token_family = models.UUIDField(unique=True)
    shop_app = models.ForeignKey(ShopApp, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)


class InventoryConnection(models.Model):
    """A Shopify store connected to this shop: the sync (openplatform.sync) pulls its stock
    levels for the SKUs whose codes match. The Admin API token is encrypted at rest
    (accounts.crypto); only its last characters are shown."""

    class Outcome(models.TextChoices):
        OK = "ok", "Synced"
        FAILED = "failed", "Failed"

    shop = models.OneToOneField(Shop, on_delete=models.CASCADE, related_name="+")
    store_domain = models.CharField(max_length=255, help_text="your-store.myshopify.com")
    token_encrypted = models.TextField()
    token_hint = models.CharField(max_length=8, blank=True, help_text="Its last characters.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    # One sync at a time per store: a conditional UPDATE claims it (a dead worker's claim goes
    # stale), so the beat and a "Sync now" never pull twice at once.
    sync_claimed_at = models.DateTimeField(null=True, blank=True)
    last_sync_at = models.DateTimeField(null=True, blank=True)
    last_outcome = models.CharField(max_length=8, choices=Outcome.choices, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    last_matched = models.PositiveIntegerField(default=0)
    last_changed = models.PositiveIntegerField(default=0)
    last_unmatched = models.PositiveIntegerField(default=0)
    # What the last sync could not do, a line each (unmatched SKU codes, stock it refused).
    last_notes = models.JSONField(default=list, blank=True)

    objects = ScopedManager(shop="shop")

    def __str__(self) -> str:
        return self.store_domain
