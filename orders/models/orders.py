from django.conf import settings
from django.db import models
from django.utils import timezone
from django_scopes import ScopedManager

from catalog.models import SKU, Product
from shops.models import Shop


class Order(models.Model):
    class Status(models.TextChoices):
        AWAITING_SHIPMENT = "awaiting_shipment", "Awaiting shipment"
        PARTIALLY_SHIPPED = "partially_shipped", "Partially shipped"
        AWAITING_COLLECTION = "awaiting_collection", "Awaiting collection"
        IN_TRANSIT = "in_transit", "In transit"
        DELIVERED = "delivered", "Delivered"
        COMPLETED = "completed", "Completed"
        CANCELLED = "cancelled", "Cancelled"

    # SPEC §6: the single transition table; orders.services enforces it.
    ALLOWED: dict[str, set[str]] = {
        Status.AWAITING_SHIPMENT: {
            Status.PARTIALLY_SHIPPED,
            Status.AWAITING_COLLECTION,
            Status.CANCELLED,
        },
        Status.PARTIALLY_SHIPPED: {Status.AWAITING_COLLECTION, Status.IN_TRANSIT},
        Status.AWAITING_COLLECTION: {Status.IN_TRANSIT, Status.DELIVERED},
        Status.IN_TRANSIT: {Status.DELIVERED},
        Status.DELIVERED: {Status.COMPLETED},
        Status.COMPLETED: set(),
        Status.CANCELLED: set(),
    }

    class Fulfillment(models.TextChoices):
        SELLER = "seller", "Fulfilled by myself"
        PLATFORM = "platform", "Fulfilled by the platform"

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="orders")
    number = models.CharField(max_length=24)
    status = models.CharField(
        max_length=24, choices=Status.choices, default=Status.AWAITING_SHIPMENT
    )
    fulfillment = models.CharField(
        max_length=16, choices=Fulfillment.choices, default=Fulfillment.SELLER
    )
    buyer_name = models.CharField(max_length=150)
    buyer_email = models.EmailField()
    buyer_phone = models.CharField(max_length=20, blank=True)
    ship_line1 = models.CharField(max_length=200)
    ship_city = models.CharField(max_length=100)
    ship_state = models.CharField(max_length=2)
    ship_postcode = models.CharField(max_length=10)
    currency = models.CharField(max_length=3, default="USD")
    subtotal = models.DecimalField(max_digits=12, decimal_places=2)
    shipping_fee = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    discount = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    total = models.DecimalField(max_digits=12, decimal_places=2)
    placed_at = models.DateTimeField(default=timezone.now)
    ship_by = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    traffic_source = models.CharField(max_length=16, blank=True)

    objects = ScopedManager(shop="shop")

    class Meta:
        ordering = ["-placed_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["shop", "number"], name="order_unique_number_per_shop")
        ]
        indexes = [
            models.Index(fields=["shop", "-placed_at", "-id"]),
            models.Index(fields=["shop", "status", "-placed_at"]),
        ]

    def __str__(self) -> str:
        return f"Order {self.number}"

    @property
    def masked_email(self) -> str:
        local, _, domain = self.buyer_email.partition("@")
        return f"{local[:1]}***@{domain}" if domain else "***"

    @property
    def masked_phone(self) -> str:
        return f"***-***-{self.buyer_phone[-4:]}" if self.buyer_phone else ""


class OrderLine(models.Model):
    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="+")
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    sku = models.ForeignKey(SKU, null=True, on_delete=models.SET_NULL, related_name="+")
    product = models.ForeignKey(Product, null=True, on_delete=models.SET_NULL, related_name="+")
    title = models.CharField(
        max_length=255, help_text="Product title and variant at the time of sale."
    )
    seller_sku = models.CharField(max_length=64)
    quantity = models.PositiveIntegerField()
    unit_price = models.DecimalField(max_digits=12, decimal_places=2)
    line_total = models.DecimalField(max_digits=12, decimal_places=2)

    objects = ScopedManager(shop="shop")

    class Meta:
        ordering = ["id"]


class OrderStatusChange(models.Model):
    """The order's history: every transition, who or which system made it, and why."""

    class ActorKind(models.TextChoices):
        SELLER = "seller", "Seller"
        BUYER = "buyer", "Buyer"
        SYSTEM = "system", "System"
        CARRIER = "carrier", "Carrier"
        STAFF = "staff", "Platform staff"

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="+")
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="history")
    from_status = models.CharField(max_length=24, blank=True)
    to_status = models.CharField(max_length=24)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_kind = models.CharField(max_length=16, choices=ActorKind.choices)
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(shop="shop")

    class Meta:
        ordering = ["created_at", "id"]
