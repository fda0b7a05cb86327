from django.conf import settings
from django.db import models
from django.utils import timezone
from django_scopes import ScopedManager

from accounts.models import AuditEvent
from catalog.models import SKU, Product
from shops.models import Shop


class OrderStatus(models.TextChoices):
    AWAITING_SHIPMENT = "awaiting_shipment", "Awaiting shipment"
    PARTIALLY_SHIPPED = "partially_shipped", "Partially shipped"
    AWAITING_COLLECTION = "awaiting_collection", "Awaiting collection"
    IN_TRANSIT = "in_transit", "In transit"
    DELIVERED = "delivered", "Delivered"
    COMPLETED = "completed", "Completed"
    CANCELLED = "cancelled", "Cancelled"


# "Still to ship" (SPEC §6): paid and not yet wholly handed to a carrier. Home's to-do, the
# orders' To ship tab, late shipments, the ship actions and the index below all read this.
TO_SHIP = (OrderStatus.AWAITING_SHIPMENT, OrderStatus.PARTIALLY_SHIPPED)


class Order(models.Model):
    Status = OrderStatus
    TO_SHIP = TO_SHIP

    # SPEC §6: the single transition table; common.transitions enforces it (history:
    # OrderStatusChange).
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

    class CancelledBy(models.TextChoices):
        NONE = "", "—"
        SELLER = "seller", "Seller"
        BUYER = "buyer", "Buyer"
        SYSTEM = "system", "System"

    cancelled_by = models.CharField(
        max_length=8, choices=CancelledBy.choices, blank=True, default=""
    )
    cancel_reason = models.CharField(max_length=255, blank=True)
    # The storefront's idempotency key: a retried checkout POST finds this order, not a twin.
    checkout_key = models.CharField(max_length=64, null=True, blank=True)
    # What the key was first sent with (a keyed hash of the cart, the buyer and the coupon): a
    # replay with another body is refused instead of answered with this order.
    checkout_fingerprint = models.CharField(max_length=64, blank=True, default="")
    # Named by the buyer's signed links (orders.buyer_links): bumping it revokes them all.
    buyer_link_version = models.PositiveIntegerField(default=0)
    # The order confirmation email as an outbox: pending while confirmation_sent_at is empty;
    # a sender claims it first (no email twice), and a beat job re-queues any whose task was
    # lost with the broker (orders.services.notifications).
    confirmation_sent_at = models.DateTimeField(null=True, blank=True)
    confirmation_claimed_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(shop="shop")

    class Meta:
        ordering = ["-placed_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["shop", "number"], name="order_unique_number_per_shop"),
            models.UniqueConstraint(
                fields=["shop", "checkout_key"], name="order_unique_checkout_key_per_shop"
            ),
        ]
        indexes = [
            models.Index(fields=["shop", "-placed_at", "-id"]),
            models.Index(
                fields=["shop", "status", "-placed_at", "-id"], name="order_shop_status_keyset"
            ),
            models.Index(
                fields=["placed_at"],
                condition=models.Q(confirmation_sent_at__isnull=True),
                name="order_confirmation_pending",
            ),
            # Orders still to ship, due first: Home's to-do (LIMIT 5) and late count. Ties on
            # ship_by are common (one deadline per day), so id is in the index too, or the
            # to-do sorts every open order of the shop.
            models.Index(
                fields=["shop", "ship_by", "id"],
                condition=models.Q(status__in=list(TO_SHIP)),
                name="order_to_ship_due",
            ),
        ]

    def __str__(self) -> str:
        return f"Order {self.number}"

    @property
    def is_to_ship(self) -> bool:
        return self.status in TO_SHIP

    @property
    def masked_email(self) -> str:
        return mask_buyer_email(self.buyer_email)

    @property
    def masked_phone(self) -> str:
        return mask_buyer_phone(self.buyer_phone)

    @property
    def traffic_source_label(self) -> str:
        return self.traffic_source.replace("_", " ").capitalize()

    def history_row(self, **change) -> "OrderStatusChange":
        return OrderStatusChange(shop_id=self.shop_id, order=self, **change)


def mask_buyer_email(email: str) -> str:
    """What a seller sees of a buyer's email, on every page and in every export (SPEC §1:
    "masked contact"): the first letter and the domain. The platform writes to buyers itself."""
    local, _, domain = (email or "").partition("@")
    return f"{local[:1]}***@{domain}" if domain else "***"


def mask_buyer_phone(phone: str) -> str:
    """What a seller sees of a buyer's phone: its last four digits."""
    return f"***-***-{phone[-4:]}" if phone else ""


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


class StatusChange(models.Model):
    """What every order-side history row holds: the step, who made it, when and why. A subclass
    adds the record it belongs to and ``actor_kind`` with the kinds of actor that may move it."""

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="+")
    from_status = models.CharField(max_length=24, blank=True)
    to_status = models.CharField(max_length=24)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(shop="shop")

    class Meta:
        abstract = True
        ordering = ["created_at", "id"]


class OrderStatusChange(StatusChange):
    """The order's history: every transition, who or which system made it, and why."""

    class ActorKind(models.TextChoices):
        SELLER = "seller", "Seller"
        BUYER = "buyer", "Buyer"
        SYSTEM = "system", "System"
        CARRIER = "carrier", "Carrier"
        STAFF = "staff", "Platform staff"

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="history")
    actor_kind = models.CharField(max_length=16, choices=ActorKind.choices)


class DailyOrderCount(models.Model):
    """Orders a capped shop accepted on one platform calendar day (SPEC §3, §9.2).

    Checkout takes a slot with one conditional UPDATE (``count < cap``), so concurrent buyers
    can never push a shop past its cap.
    """

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    count = models.IntegerField(default=0)

    objects = ScopedManager(shop="shop")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["shop", "day"], name="daily_order_count_unique_day")
        ]


class Package(models.Model):
    """One parcel of an order: carrier, service, tracking, and where it is."""

    class Carrier(models.TextChoices):
        UPS = "ups", "UPS"
        USPS = "usps", "USPS"
        FEDEX = "fedex", "FedEx"
        DHL = "dhl", "DHL"
        OTHER = "other", "Other"

    class Status(models.TextChoices):
        AWAITING_COLLECTION = "awaiting_collection", "Awaiting collection"
        IN_TRANSIT = "in_transit", "In transit"
        DELIVERED = "delivered", "Delivered"

    # Its history is the audit trail (one row per carrier event, who reported it and when);
    # the order's own history names the event when the order moves with it.
    ALLOWED: dict[str, set[str]] = {
        Status.AWAITING_COLLECTION: {Status.IN_TRANSIT, Status.DELIVERED},
        Status.IN_TRANSIT: {Status.DELIVERED},
        Status.DELIVERED: set(),
    }

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="+")
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="packages")
    carrier = models.CharField(max_length=8, choices=Carrier.choices)
    service = models.CharField(max_length=60)
    tracking_number = models.CharField(max_length=40)
    status = models.CharField(
        max_length=24, choices=Status.choices, default=Status.AWAITING_COLLECTION
    )
    shipped_at = models.DateTimeField(default=timezone.now)
    in_transit_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    shipped_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ScopedManager(shop="shop")

    class Meta:
        ordering = ["shipped_at", "id"]
        constraints = [
            # Unique per shop and carrier, not across shops: one shop's number must neither block
            # another shop nor tell it that the number is in use. The carrier webhook moves
            # every package recorded under a number (orders.services.fulfillment.delivery).
            models.UniqueConstraint(
                fields=["shop", "carrier", "tracking_number"],
                name="package_unique_tracking_per_shop",
            )
        ]
        indexes = [models.Index(fields=["carrier", "tracking_number"], name="package_tracking")]

    def __str__(self) -> str:
        return f"{self.get_carrier_display()} {self.tracking_number}"

    def history_row(self, *, from_status: str, to_status: str, actor=None, at=None):
        return AuditEvent.entry(
            actor=actor,
            action=f"orders.package_{to_status}",
            shop=self.shop_id,
            target=self,
            changes={"status": (from_status, to_status), "reported_at": (None, at)},
        )


class PackageLine(models.Model):
    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="+")
    package = models.ForeignKey(Package, on_delete=models.CASCADE, related_name="lines")
    line = models.ForeignKey(OrderLine, on_delete=models.CASCADE, related_name="package_lines")
    quantity = models.PositiveIntegerField()

    objects = ScopedManager(shop="shop")

    class Meta:
        ordering = ["id"]


class CancellationRequest(models.Model):
    """A buyer's request to cancel before shipment; the seller answers by ``respond_by``."""

    class Status(models.TextChoices):
        REQUESTED = "requested", "Awaiting your answer"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"
        AUTO_ACCEPTED = "auto_accepted", "Accepted automatically"

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="+")
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="cancel_requests")
    reason = models.CharField(max_length=255)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.REQUESTED)
    requested_at = models.DateTimeField(default=timezone.now)
    respond_by = models.DateTimeField()
    responded_at = models.DateTimeField(null=True, blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decline_note = models.CharField(max_length=255, blank=True)

    objects = ScopedManager(shop="shop")

    class Meta:
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["order"],
                condition=models.Q(status="requested"),
                name="cancel_request_one_open_per_order",
            )
        ]
        indexes = [
            models.Index(fields=["status", "respond_by"], name="cancel_request_due"),
            # Home's to-do: one shop's open requests, due first (the index above serves the
            # platform-wide sweep and would walk every shop's open requests).
            models.Index(
                fields=["shop", "respond_by"],
                condition=models.Q(status="requested"),
                name="cancel_request_shop_due",
            ),
        ]
