"""Coupons and what each order got from promotions (issue 7)."""

from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.utils import timezone
from django_scopes import ScopedManager

from catalog.models import Campaign, Discount, Product
from orders.models.orders import Order
from shops.models import Shop


class Coupon(models.Model):
    """A code buyers enter at checkout. ``uses`` is taken with a conditional UPDATE inside the
    checkout transaction, so the total limit holds however many buyers race for the last use."""

    class Kind(models.TextChoices):
        PERCENT = "percent", "Percentage off"
        FIXED = "fixed", "Fixed amount off"

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="+")
    code = models.CharField(
        max_length=32, help_text="Stored upper-case; matched case-insensitively."
    )
    kind = models.CharField(max_length=8, choices=Kind.choices)
    value = models.DecimalField(max_digits=12, decimal_places=2)
    min_spend = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    usage_limit = models.PositiveIntegerField(null=True, blank=True, help_text="Total uses.")
    per_buyer_limit = models.PositiveIntegerField(null=True, blank=True)
    uses = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(shop="shop")

    class Meta:
        ordering = ["-starts_at", "-id"]
        constraints = [
            models.UniqueConstraint("shop", Lower("code"), name="coupon_code_unique_per_shop"),
            models.CheckConstraint(condition=Q(value__gt=0), name="coupon_value_positive"),
            models.CheckConstraint(
                condition=~Q(kind="percent") | Q(value__lte=100), name="coupon_percent_max_100"
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="coupon_window_ordered"
            ),
            # The backstop behind checkout's conditional UPDATE.
            models.CheckConstraint(
                condition=Q(usage_limit__isnull=True) | Q(uses__lte=F("usage_limit")),
                name="coupon_uses_within_limit",
            ),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def label(self) -> str:
        if self.kind == self.Kind.PERCENT:
            return f"{self.value.normalize():f}% off"
        return f"${self.value} off"

    def status(self, now=None) -> str:
        now = now or timezone.now()
        if now < self.starts_at:
            return "scheduled"
        if now >= self.ends_at:
            return "ended"
        if self.usage_limit is not None and self.uses >= self.usage_limit:
            return "used up"
        return "active"


class OrderPromotion(models.Model):
    """One promotion an order received and how much it took off: the Marketing pages' orders
    and revenue per discount, coupon and campaign, and the per-buyer coupon count."""

    class Kind(models.TextChoices):
        DISCOUNT = "discount", "Discount"
        CAMPAIGN = "campaign", "Campaign"
        COUPON = "coupon", "Coupon"

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="+")
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="promotions")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    coupon = models.ForeignKey(
        Coupon, null=True, blank=True, on_delete=models.CASCADE, related_name="redemptions"
    )
    discount = models.ForeignKey(
        Discount, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    campaign = models.ForeignKey(
        Campaign, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Campaign rows are per registered product, so each registration has its own numbers.
    product = models.ForeignKey(
        Product, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    # Lower-cased: buyers have no accounts, so "one per buyer" means one per email address.
    buyer_email = models.CharField(max_length=254)
    created_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(shop="shop")

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(fields=["coupon", "buyer_email"], name="orderpromo_coupon_buyer"),
            models.Index(fields=["shop", "kind"], name="orderpromo_shop_kind"),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """What the seller reads next to the order's discount ("coupon WELCOME5")."""
        if self.kind == self.Kind.COUPON and self.coupon_id:
            return f"coupon {self.coupon.code}"
        if self.kind == self.Kind.DISCOUNT and self.discount_id:
            return f"discount “{self.discount.name}”"
        if self.kind == self.Kind.CAMPAIGN and self.campaign_id:
            return f"{self.campaign.name} price"
        return self.get_kind_display()
