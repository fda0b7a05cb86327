import uuid
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

    # SPEC §5 status machine, enforced by common.transitions (history: ProductStatusChange);
    # catalog.services.products.status.transition_refusal adds who may make each move.
    ALLOWED: dict[str, set[str]] = {
        Status.DRAFT: {Status.LIVE, Status.ISSUES, Status.DELETED},
        Status.ISSUES: {Status.LIVE, Status.DEACTIVATED, Status.SUSPENDED, Status.DELETED},
        Status.LIVE: {
            Status.ISSUES,
            Status.DEACTIVATED,
            Status.SUSPENDED,
            Status.DELISTED,
            Status.DELETED,
        },
        Status.DEACTIVATED: {Status.LIVE, Status.ISSUES, Status.SUSPENDED, Status.DELETED},
        # Delisted is reversed by the system's re-listing only, never by the seller's "activate":
        # live, or issues when the product no longer passes the listing check.
        Status.DELISTED: {
            Status.LIVE,
            Status.ISSUES,
            Status.DEACTIVATED,
            Status.SUSPENDED,
            Status.DELETED,
        },
        # Staff lift a suspension (→ live or issues after the listing checks).
        Status.SUSPENDED: {Status.LIVE, Status.ISSUES, Status.DELETED},
        # Recovery within the window: back to draft, or to the state the seller may not leave alone.
        Status.DELETED: {Status.DRAFT, Status.SUSPENDED, Status.DELISTED},
    }

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
    # Package weight and dimensions (shipping quotes; weight tiers).
    weight_grams = models.PositiveIntegerField(null=True, blank=True)
    length_cm = models.DecimalField(max_digits=6, decimal_places=1, null=True, blank=True)
    width_cm = models.DecimalField(max_digits=6, decimal_places=1, null=True, blank=True)
    height_cm = models.DecimalField(max_digits=6, decimal_places=1, null=True, blank=True)
    # orders.ShippingTemplate id: the one home of a product's template. A plain column, not a
    # ForeignKey: catalog sits below orders, which offers the choices (catalog.shipping), checks
    # an id from the API and resolves it in the quote (a missing template: the shop default).
    # Null = the shop's default template.
    shipping_template_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    # Where a deleted product returns to on recovery (suspended/delisted stay what they were).
    status_before_delete = models.CharField(max_length=16, blank=True, default="")
    # A suspended product the seller fixed and sent back for staff review.
    resubmitted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    deleted_at = models.DateTimeField(null=True, blank=True)

    # What the seller edits on the product form (besides variants, images and shipping).
    EDITABLE = (
        "title",
        "description",
        "category",
        "brand",
        "keywords",
        "weight_grams",
        "length_cm",
        "width_cm",
        "height_cm",
    )

    objects = ScopedManager(shop="shop")

    class Meta:
        ordering = ["-updated_at", "-id"]
        indexes = [
            # Keyset pagination: every sort the list offers is an index range scan.
            models.Index(
                fields=["shop", "status", "updated_at", "id"], name="product_status_upd_id"
            ),
            models.Index(fields=["shop", "updated_at", "id"], name="product_upd_id"),
            models.Index(fields=["shop", "status", "title", "id"], name="product_status_title_id"),
            models.Index(fields=["shop", "title", "id"], name="product_title_id"),
            models.Index(fields=["status", "deleted_at"], name="product_deleted_purge"),
        ]
        # Staff console: trust & safety suspend and reinstate products.
        permissions = [("suspend_product", "Can suspend a product and lift a suspension")]

    def __str__(self) -> str:
        return self.title

    def history_row(self, **change) -> "ProductStatusChange":
        return ProductStatusChange(shop_id=self.shop_id, product=self, **change)


class SKU(models.Model):
    """A sellable variant. Stock lives here; every change is a StockMovement."""

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="+")
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="skus")
    seller_sku = models.CharField("seller SKU", max_length=64)
    attributes = models.JSONField(
        default=dict, blank=True, help_text='e.g. {"size": "M", "colour": "Red"}'
    )
    # Null while a draft has no price yet; the listing checks refuse to put it live.
    price = models.DecimalField(
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.01"))],
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
            models.CheckConstraint(
                condition=Q(price__isnull=True) | Q(price__gte=Decimal("0.01")),
                name="sku_price_at_least_one_cent",
            ),
            models.CheckConstraint(
                condition=Q(compare_at_price__isnull=True)
                | Q(price__isnull=False, compare_at_price__gt=F("price")),
                name="sku_compare_at_above_price",
            ),
        ]
        indexes = [models.Index(fields=["product", "id"], name="sku_product_id")]

    def __str__(self) -> str:
        return self.seller_sku

    @property
    def available(self) -> int:
        return self.on_hand - self.reserved

    @property
    def label(self) -> str:
        return ", ".join(f"{v}" for v in self.attributes.values() if v) or "Default"

    def threshold(self, shop: Shop) -> int:
        return (
            self.low_stock_threshold
            if self.low_stock_threshold is not None
            else shop.low_stock_default
        )

    def stock_state(self, shop: Shop) -> str:
        """ "out", "low" or "in" — the same rule as catalog.selectors.sku_stock_state_q."""
        if self.available <= 0:
            return "out"
        return "low" if self.available <= self.threshold(shop) else "in"


class StockMovement(models.Model):
    class Reason(models.TextChoices):
        ADJUSTMENT = "adjustment", "Adjustment"
        ORDER = "order", "Order"
        CANCELLATION = "cancellation", "Cancellation"
        RETURN_RESTOCK = "return_restock", "Return restock"
        IMPORT = "import", "Import"
        SYNC = "sync", "Sync"  # a connected store's stock level (openplatform.sync)

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


def _image_path(instance, filename: str) -> str:
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "img"
    return f"products/{instance.shop_id}/{uuid.uuid4().hex}.{ext}"


def _thumb_path(instance, filename: str) -> str:
    return f"products/{instance.shop_id}/thumbs/{uuid.uuid4().hex}.jpg"


class ProductImage(models.Model):
    """One of a product's 1–9 images, validated by content; the thumbnail is made at upload."""

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="+")
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="images")
    image = models.FileField(upload_to=_image_path, max_length=200)
    thumbnail = models.FileField(upload_to=_thumb_path, max_length=200)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    position = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(shop="shop")

    class Meta:
        ordering = ["position", "id"]
        indexes = [models.Index(fields=["product", "position", "id"], name="productimage_order")]


class ProductStatusChange(models.Model):
    """History of every product status transition (written by common.transitions only)."""

    class By(models.TextChoices):
        SELLER = "seller", "Seller"
        STAFF = "staff", "Platform staff"
        SYSTEM = "system", "System"

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="+")
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=16, choices=Product.Status.choices)
    to_status = models.CharField(max_length=16, choices=Product.Status.choices)
    by = models.CharField(max_length=8, choices=By.choices)
    reason = models.TextField(blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(shop="shop")

    class Meta:
        ordering = ["-created_at", "-id"]


class StockAlert(models.Model):
    """A SKU crossed into low or out of stock. Open until stock recovers; mailed once in a digest."""

    class Kind(models.TextChoices):
        LOW = "low", "Low stock"
        OUT = "out", "Out of stock"

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="+")
    sku = models.ForeignKey(SKU, on_delete=models.CASCADE, related_name="alerts")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    available = models.IntegerField(help_text="Available units when the alert was raised.")
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)
    digested_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(shop="shop")

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["sku"], condition=Q(resolved_at__isnull=True), name="stockalert_one_open"
            )
        ]
        indexes = [
            models.Index(fields=["shop", "resolved_at", "-created_at"], name="stockalert_open"),
            models.Index(fields=["digested_at", "shop"], name="stockalert_digest"),
        ]


class ImportJob(models.Model):
    """A CSV import run by a Celery task; the page polls it for progress."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to start"
        RUNNING = "running", "Importing"
        DONE = "done", "Finished"
        FAILED = "failed", "Failed"

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="+")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    filename = models.CharField(max_length=255)
    # Path in the private storage (never public).
    file = models.CharField(max_length=255)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    created_count = models.PositiveIntegerField(default=0)
    updated_count = models.PositiveIntegerField(default=0)
    error_count = models.PositiveIntegerField(default=0)
    # [{"row": 3, "column": "price", "message": "..."}, ...] — the downloadable error report.
    errors = models.JSONField(default=list, blank=True)
    message = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Shopify / WooCommerce exports: image URLs per product (keyed by its first SKU), fetched
    # once the rows are in (catalog.services.imports.images), and what came of them.
    image_urls = models.JSONField(default=dict, blank=True)
    images_added = models.PositiveIntegerField(default=0)
    image_errors = models.JSONField(default=list, blank=True)
    images_started_at = models.DateTimeField(null=True, blank=True)
    images_finished_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(shop="shop")

    class Meta:
        ordering = ["-created_at", "-id"]

    @property
    def images_pending(self) -> bool:
        return (
            bool(self.image_urls)
            and self.status == self.Status.DONE
            and not (self.images_finished_at)
        )

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return int(100 * self.processed_rows / self.total_rows) if self.total_rows else 0

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)
