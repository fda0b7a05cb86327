"""Apps a shop has authorized, and the API's remembered answers to idempotent requests.

A ``ShopApp`` is one app's access to one shop: a private app an owner made for their own shop
(its access token is shown once and only its SHA-256 is kept), or a partner app the owner
authorized. Revoking stamps ``revoked_at``; every API call checks it, so revoking is instant.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django_scopes import ScopedManager

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
