from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django_scopes import ScopedManager

from shops.models import Shop


class Category(models.Model):
    """The platform's category tree, kept by staff; not shop-owned."""

    name = models.CharField(max_length=100)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    slug = models.SlugField(max_length=120, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "categories"

    def __str__(self) -> str:
        return f"{self.parent} › {self.name}" if self.parent_id else self.name


class Product(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        LIVE = "live", "Live"
        ISSUES = "issues", "Issues"
        SUSPENDED = "suspended", "Suspended"
        DEACTIVATED = "deactivated", "Deactivated"
        DELISTED = "delisted", "Delisted"
        DELETED = "deleted", "Deleted"

    class DelistedBy(models.TextChoices):
        NONE = "", "—"
        INACTIVITY = "inactivity", "Inactivity sweep"
        DEACTIVATION = "deactivation", "Shop deactivation"

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="products")
    title = models.CharField(max_length=255)
    description = models.TextField(blank=True)
    category = models.ForeignKey(
        Category, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    brand = models.CharField(max_length=100, blank=True)
    keywords = models.CharField(max_length=255, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    status_reason = models.TextField(
        blank=True, help_text="Why it is suspended or has issues; shown to the seller."
    )
    delisted_by = models.CharField(
        max_length=16, choices=DelistedBy.choices, blank=True, default=""
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    deleted_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(shop="shop")

    class Meta:
        ordering = ["-updated_at", "-id"]
        indexes = [
            models.Index(fields=["shop", "status", "-updated_at"]),
            models.Index(fields=["shop", "-updated_at"]),
        ]

    def __str__(self) -> str:
        return self.title


class SKU(models.Model):
    """A sellable variant. Stock lives here; every change is a StockMovement."""

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="+")
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="skus")
    seller_sku = models.CharField("seller SKU", max_length=64)
    attributes = models.JSONField(
        default=dict, blank=True, help_text='e.g. {"size": "M", "colour": "Red"}'
    )
    price = models.DecimalField(
        max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    compare_at_price = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    on_hand = models.IntegerField(default=0)
    reserved = models.IntegerField(default=0)
    low_stock_threshold = models.PositiveIntegerField(null=True, blank=True)
    weight_grams = models.PositiveIntegerField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1, help_text="Optimistic lock for inline edits.")

    objects = ScopedManager(shop="shop")

    class Meta:
        ordering = ["id"]
        verbose_name = "SKU"
        constraints = [
            models.UniqueConstraint(
                fields=["shop", "seller_sku"], name="sku_unique_seller_sku_per_shop"
            ),
            # The backstop against overselling: available (on hand − reserved) is never negative.
            models.CheckConstraint(
                condition=Q(on_hand__gte=F("reserved")), name="sku_available_not_negative"
            ),
            models.CheckConstraint(condition=Q(reserved__gte=0), name="sku_reserved_not_negative"),
        ]

    def __str__(self) -> str:
        return self.seller_sku

    @property
    def available(self) -> int:
        return self.on_hand - self.reserved

    @property
    def label(self) -> str:
        return ", ".join(f"{v}" for v in self.attributes.values()) or "Default"


class StockMovement(models.Model):
    class Reason(models.TextChoices):
        ADJUSTMENT = "adjustment", "Adjustment"
        ORDER = "order", "Order"
        CANCELLATION = "cancellation", "Cancellation"
        RETURN_RESTOCK = "return_restock", "Return restock"
        IMPORT = "import", "Import"

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="+")
    sku = models.ForeignKey(SKU, on_delete=models.CASCADE, related_name="movements")
    on_hand_delta = models.IntegerField(default=0)
    reserved_delta = models.IntegerField(default=0)
    reason = models.CharField(max_length=16, choices=Reason.choices)
    reference = models.CharField(max_length=64, blank=True, help_text="Order number, import id…")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(shop="shop")

    class Meta:
        ordering = ["-created_at", "-id"]
