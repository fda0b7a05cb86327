"""Marketing, one home: platform campaigns and registrations, the shop's discounts and coupons,
the promotions applied to an order, and LIVE sessions.

No data moved with the code. Campaign, CampaignProduct, Discount and DiscountProduct keep
``app_label = "catalog"`` and Coupon, OrderPromotion and LiveSession keep ``app_label = "orders"``:
their tables, migrations, content types and permission codenames stay in those apps' history.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.utils import timezone
from django_scopes import ScopedManager

from catalog.models import Product
from common.money import format_money
from orders.marketing.purchases import BuyerPurchase
from orders.models.orders import Order
from shops.models import Shop

CENT = Decimal("0.01")


def percent_off(price: Decimal, percent: Decimal) -> Decimal:
    """``price`` less ``percent`` %, to the cent (half up)."""
    from decimal import ROUND_HALF_UP

    return (price * (Decimal(100) - percent) / Decimal(100)).quantize(CENT, ROUND_HALF_UP)


class Campaign(models.Model):
    """A platform campaign (Black Friday, Cyber Monday…), published by staff in the admin.

    Not shop-owned: every shop sees the same campaigns. Eligible shops register products with a
    campaign price while registration is open; the price applies at checkout while it runs.
    """

    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    registration_starts_at = models.DateTimeField()
    registration_ends_at = models.DateTimeField()
    starts_at = models.DateTimeField("campaign starts")
    ends_at = models.DateTimeField("campaign ends")
    min_discount_percent = models.DecimalField(
        "minimum discount (%)",
        max_digits=5,
        decimal_places=2,
        help_text="A campaign price must be at least this much below the regular price.",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        app_label = "catalog"
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(registration_ends_at__gt=F("registration_starts_at")),
                name="campaign_registration_window_ordered",
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="campaign_window_ordered"
            ),
            models.CheckConstraint(
                condition=Q(min_discount_percent__gte=0, min_discount_percent__lt=100),
                name="campaign_min_discount_0_to_100",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def registration_open(self, now=None) -> bool:
        now = now or timezone.now()
        return self.registration_starts_at <= now < self.registration_ends_at

    def running(self, now=None) -> bool:
        now = now or timezone.now()
        return self.starts_at <= now < self.ends_at

    def max_price_for(self, regular: Decimal) -> Decimal:
        """The highest campaign price allowed for a regular price."""
        from decimal import ROUND_DOWN

        return (regular * (Decimal(100) - self.min_discount_percent) / Decimal(100)).quantize(
            CENT, ROUND_DOWN
        )


class CampaignProduct(models.Model):
    """A shop's product registered for a campaign at a campaign price (one row per product)."""

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="+")
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="registrations")
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="+")
    campaign_price = models.DecimalField(
        max_digits=12, decimal_places=2, validators=[MinValueValidator(CENT)]
    )
    registered_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ScopedManager(shop="shop")

    class Meta:
        app_label = "catalog"
        ordering = ["-registered_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "product"], name="campaignproduct_once_per_campaign"
            ),
            models.CheckConstraint(
                condition=Q(campaign_price__gte=CENT), name="campaignproduct_price_positive"
            ),
        ]
        indexes = [models.Index(fields=["shop", "product"], name="campaignproduct_product")]

    def __str__(self) -> str:
        return f"{self.product} in {self.campaign} at {format_money(self.campaign_price)}"


class AmountOff:
    """What a discount and a coupon share: a percent-or-dollar value and a time window."""

    @property
    def label(self) -> str:
        if self.kind == self.Kind.PERCENT:
            return f"{self.value.normalize():f}% off"
        return f"{format_money(self.value)} off"

    def status(self, now=None) -> str:
        now = now or timezone.now()
        if now < self.starts_at:
            return "scheduled"
        return "active" if now < self.ends_at else "ended"


class Discount(AmountOff, models.Model):
    """A shop's time-limited price cut on chosen products: a percentage or a fixed amount off."""

    class Kind(models.TextChoices):
        PERCENT = "percent", "Percentage off"
        FIXED = "fixed", "Fixed amount off"

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=8, choices=Kind.choices)
    value = models.DecimalField(max_digits=12, decimal_places=2)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    created_at = models.DateTimeField(default=timezone.now)
    products = models.ManyToManyField(Product, through="DiscountProduct", related_name="+")

    objects = ScopedManager(shop="shop")

    class Meta:
        app_label = "catalog"
        ordering = ["-starts_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(value__gt=0), name="discount_value_positive"),
            models.CheckConstraint(
                condition=~Q(kind="percent") | Q(value__lte=100), name="discount_percent_max_100"
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="discount_window_ordered"
            ),
        ]
        indexes = [models.Index(fields=["shop", "ends_at"], name="discount_shop_ends")]

    def __str__(self) -> str:
        return self.name

    def price_for(self, regular: Decimal) -> Decimal:
        if self.kind == self.Kind.PERCENT:
            return percent_off(regular, self.value)
        return max(regular - self.value, Decimal("0.00"))


class DiscountProduct(models.Model):
    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="+")
    discount = models.ForeignKey(Discount, on_delete=models.CASCADE, related_name="lines")
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="+")

    objects = ScopedManager(shop="shop")

    class Meta:
        app_label = "catalog"
        constraints = [
            models.UniqueConstraint(fields=["discount", "product"], name="discountproduct_unique")
        ]
        indexes = [models.Index(fields=["shop", "product"], name="discountproduct_product")]


def normalise_code(code: str) -> str:
    """A coupon code as stored and matched: trimmed, upper case, at most 32 characters."""
    return (code or "").strip().upper()[:32]


class Coupon(AmountOff, models.Model):
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
        app_label = "orders"
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

    def status(self, now=None) -> str:
        status = super().status(now)
        if status == "active" and self.usage_limit is not None and self.uses >= self.usage_limit:
            return "used up"
        return status


GMAIL_DOMAINS = {"gmail.com", "googlemail.com"}


def buyer_identity(email: str) -> str:
    """The buyer behind an email address, for "per buyer" limits (buyers have no accounts):
    lower-cased, without a "+tag" (victim+2@… is victim@…), and for Gmail without the dots it
    ignores (v.ictim@gmail.com is victim@gmail.com; googlemail.com is gmail.com). Other
    providers' dots are kept: for them they may name another mailbox."""
    local, _, domain = (email or "").strip().lower().rpartition("@")
    if not local:
        return domain
    local = local.split("+", 1)[0]
    if domain in GMAIL_DOMAINS:
        local, domain = local.replace(".", ""), "gmail.com"
    return f"{local}@{domain}"


class OrderPromotion(BuyerPurchase):
    """One promotion an order received and how much it took off: the Marketing pages' orders
    and revenue per discount, coupon and campaign, and the per-buyer coupon count."""

    class Kind(models.TextChoices):
        DISCOUNT = "discount", "Discount"
        CAMPAIGN = "campaign", "Campaign"
        COUPON = "coupon", "Coupon"
        LIVE = "live", "LIVE price"

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
    live_session = models.ForeignKey(
        "orders.LiveSession", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    # Campaign and LIVE rows are per product, so each registration has its own numbers.
    product = models.ForeignKey(
        Product, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # amount, buyer_email (one coupon use per buyer's mailbox), created_at: BuyerPurchase

    class Meta(BuyerPurchase.Meta):
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
        if self.kind == self.Kind.LIVE and self.live_session_id:
            return f"LIVE price in “{self.live_session.title}”"
        return self.get_kind_display()


# LIVE sessions live in their own module (this one would pass 400 lines); imported here so
# Django finds them as models of this app.
from orders.marketing.live_models import (  # noqa: E402
    LivePin,
    LiveSale,
    LiveSession,
    LiveSessionStatusChange,
)

__all__ = [
    "AmountOff",
    "Campaign",
    "CampaignProduct",
    "Coupon",
    "Discount",
    "DiscountProduct",
    "LivePin",
    "LiveSale",
    "LiveSession",
    "LiveSessionStatusChange",
    "OrderPromotion",
]
