"""Reads for the Marketing pages: coupons, discounts, campaigns, what each promotion brought in,
and the promotional prices checkout and the storefront charge.

Most shops run no promotion most of the time, so what each price read needs to know first —
which kinds of promotion may run at a moment — is one shared figure per shop
(``promotion_windows``): the windows of its discounts and campaign registrations not yet over,
and the pins of its LIVE sessions live now. A price read queries only the kinds that run, and
nothing at all when none does. The figure is forgotten whenever one of those rows changes
(orders.marketing.receivers), so it never answers from a change already committed.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.core.exceptions import ImproperlyConfigured
from django.db.models import Count, Q, QuerySet, Sum
from django.shortcuts import get_object_or_404
from django.utils import timezone

from catalog.models import SKU, Product
from common.figures import shop_figure, shops_figure_forget
from orders.marketing.models import (
    Campaign,
    CampaignProduct,
    Coupon,
    Discount,
    DiscountProduct,
    LivePin,
    LiveSession,
    OrderPromotion,
)
from orders.models import Order
from shops.models import Shop

# Program eligibility (SPEC §3) is the lifecycle app's rule, and lifecycle sits above orders. It
# hands its answer down at start-up (LifecycleConfig.ready calls eligibility_source_set), so
# campaign registration asks it here without an upward import.
_eligibility_source: Callable[[Shop], bool] | None = None


def eligibility_source_set(source: Callable[[Shop], bool]) -> None:
    global _eligibility_source
    _eligibility_source = source


def shop_is_eligible(shop: Shop) -> bool:
    """The shop's latest program eligibility evaluation (SPEC §3): may it join campaigns?"""
    if _eligibility_source is None:
        raise ImproperlyConfigured("Program eligibility comes from the lifecycle app: install it.")
    return _eligibility_source(shop)


@dataclass(frozen=True)
class Performance:
    orders: int = 0
    revenue: Decimal = Decimal("0.00")
    saved: Decimal = Decimal("0.00")


def coupon_list(*, shop: Shop) -> QuerySet[Coupon]:
    return Coupon.objects.filter(shop=shop).order_by("-starts_at", "-id")


def access_coupon(shop: Shop, coupon_id: int) -> Coupon:
    return get_object_or_404(Coupon.objects.filter(shop=shop), pk=coupon_id)


def promotion_performance(*, shop: Shop, kind: str) -> dict[int, Performance]:
    """Promotion id → orders it was applied to and their revenue (order totals after every
    discount, cancelled orders left out — the same revenue the Home tiles count). One query."""
    key = {"coupon": "coupon_id", "discount": "discount_id"}[kind]
    rows = (
        OrderPromotion.objects.filter(shop=shop, kind=kind)
        .filter(~Q(order__status=Order.Status.CANCELLED))
        .values(key)
        .annotate(
            orders=Count("order_id", distinct=True),
            revenue=Sum("order__total"),
            saved=Sum("amount"),
        )
    )
    return {
        r[key]: Performance(
            orders=r["orders"], revenue=_cents(r["revenue"]), saved=_cents(r["saved"])
        )
        for r in rows
    }


def campaign_product_performance(*, shop: Shop) -> dict[tuple[int, int], Performance]:
    """(campaign id, product id) → orders that bought the product at its campaign price."""
    rows = (
        OrderPromotion.objects.filter(shop=shop, kind=OrderPromotion.Kind.CAMPAIGN)
        .filter(~Q(order__status=Order.Status.CANCELLED))
        .values("campaign_id", "product_id")
        .annotate(
            orders=Count("order_id", distinct=True),
            revenue=Sum("order__total"),
            saved=Sum("amount"),
        )
    )
    return {
        (r["campaign_id"], r["product_id"]): Performance(
            orders=r["orders"], revenue=_cents(r["revenue"]), saved=_cents(r["saved"])
        )
        for r in rows
    }


def _cents(value) -> Decimal:
    return Decimal(value or 0).quantize(Decimal("0.01"))


@dataclass(frozen=True)
class PromoPrice:
    regular: Decimal
    price: Decimal
    discount_id: int | None = None
    campaign_id: int | None = None
    # The product is pinned to a session that is live now: its allocation and buyer limit hold,
    # and the storefront shows the LIVE badge. ``live_priced``: the live price is the one charged.
    live_pin: LivePin | None = None
    live_priced: bool = False

    @property
    def reduced(self) -> bool:
        return self.price < self.regular


def promotional_prices(
    *,
    shop: Shop,
    skus: list[SKU],
    at: datetime | None = None,
    windows: "PromotionWindows | None" = None,
) -> dict[int, PromoPrice]:
    """sku id → its price at ``at``: the lowest of the regular price, running discounts, a
    running campaign price and the live price of a session live now. One query per kind of
    promotion that runs at ``at`` (``promotion_windows``; the caller's, if it read them), so
    none when the shop runs none; the pins of a session live now come with the windows."""
    at = at or timezone.now()
    windows = windows or promotion_windows(shop=shop)
    product_ids = {s.product_id for s in skus}
    pins = windows.pins_of(product_ids)
    discounts: dict[int, list[Discount]] = {}
    if windows.discount_at(at):
        for line in DiscountProduct.objects.filter(
            shop=shop,
            product_id__in=product_ids,
            discount__starts_at__lte=at,
            discount__ends_at__gt=at,
        ).select_related("discount"):
            discounts.setdefault(line.product_id, []).append(line.discount)
    campaign_prices = {}
    if windows.campaign_at(at):
        campaign_prices = {
            r.product_id: r
            for r in CampaignProduct.objects.filter(
                shop=shop,
                product_id__in=product_ids,
                withdrawn_at__isnull=True,
                campaign__starts_at__lte=at,
                campaign__ends_at__gt=at,
            ).order_by("campaign_price")
        }
    prices: dict[int, PromoPrice] = {}
    for sku in skus:
        if sku.price is None:
            continue
        best = PromoPrice(regular=sku.price, price=sku.price)
        for discount in discounts.get(sku.product_id, []):
            price = discount.price_for(sku.price)
            if price < best.price:
                best = PromoPrice(regular=sku.price, price=price, discount_id=discount.pk)
        registration = campaign_prices.get(sku.product_id)
        if registration and registration.campaign_price < best.price:
            best = PromoPrice(
                regular=sku.price,
                price=registration.campaign_price,
                campaign_id=registration.campaign_id,
            )
        pin = pins.get(sku.product_id)
        if pin is not None:
            live = pin.live_price is not None and pin.live_price < best.price
            best = PromoPrice(
                regular=sku.price,
                price=pin.live_price if live else best.price,
                discount_id=None if live else best.discount_id,
                campaign_id=None if live else best.campaign_id,
                live_pin=pin,
                live_priced=live,
            )
        prices[sku.pk] = best
    return prices


# Named for the shape of PromotionWindows: a new shape gets a new name, so no process reads an
# entry a different release stored.
PROMOTION_WINDOWS_FIGURE = "promotion-windows-2"

Window = tuple[datetime, datetime]


@dataclass(frozen=True)
class PromotionWindows:
    """When the shop's promotions may change a price: the windows of its discounts and of its
    campaign registrations not yet over, and the pins of its LIVE sessions live now (product id
    → pin, with its product), so a checkout reads no pin — with the SKUs of the pins whose
    allocation was all sold when the figure was computed (sku id → product title), so a flash
    sale's late buyers are answered from here. A pin's ``sold`` is as of that moment too:
    checkout takes the allocation under the pin's lock, and forgets the figure when it finds a
    pin sold out that the figure did not know of."""

    discounts: tuple[Window, ...] = ()
    campaigns: tuple[Window, ...] = ()
    live_pins: dict[int, LivePin] = field(default_factory=dict)
    sold_out: dict[int, str] = field(default_factory=dict)

    def discount_at(self, at: datetime) -> bool:
        return any(starts <= at < ends for starts, ends in self.discounts)

    def campaign_at(self, at: datetime) -> bool:
        return any(starts <= at < ends for starts, ends in self.campaigns)

    def pins_of(self, product_ids) -> dict[int, LivePin]:
        """product id → its pin in a session live now, for those of ``product_ids`` pinned (at
        most one each: a session cannot start while one of its products is pinned to another
        open session at the same time)."""
        return {pk: self.live_pins[pk] for pk in product_ids if pk in self.live_pins}


def promotion_windows(*, shop: Shop) -> PromotionWindows:
    """The shop's promotion windows, a shared figure (one cache read) forgotten on every
    change to a discount, a campaign, a registration, a LIVE session's status or a pin, when
    a cancelled order gives LIVE units back, and when checkout finds a pin sold out that the
    figure did not know of."""
    return shop_figure(shop.pk, PROMOTION_WINDOWS_FIGURE, lambda: _promotion_windows(shop)).value


def promotion_windows_forget(shop_ids) -> None:
    shops_figure_forget(shop_ids, PROMOTION_WINDOWS_FIGURE, also_now=True)


def _promotion_windows(shop: Shop) -> PromotionWindows:
    now = timezone.now()
    discounts = Discount.objects.filter(shop=shop, ends_at__gt=now).values_list(
        "starts_at", "ends_at"
    )
    campaigns = CampaignProduct.objects.filter(
        shop=shop, withdrawn_at__isnull=True, campaign__ends_at__gt=now
    ).values_list("campaign__starts_at", "campaign__ends_at")
    live_pins = {
        pin.product_id: pin
        for pin in LivePin.objects.filter(shop=shop, session__status__in=LiveSession.RUNNING)
        .select_related("product")
        .order_by("id")
    }
    sold_out = {}
    if any(pin.sold_out for pin in live_pins.values()):
        sold_out = dict(
            SKU.objects.filter(
                shop=shop, product_id__in=[p for p, pin in live_pins.items() if pin.sold_out]
            ).values_list("pk", "product__title")
        )
    return PromotionWindows(
        discounts=tuple(sorted(set(discounts))),
        campaigns=tuple(sorted(set(campaigns))),
        live_pins=live_pins,
        sold_out=sold_out,
    )


def discount_list(*, shop: Shop) -> QuerySet[Discount]:
    return (
        Discount.objects.filter(shop=shop)
        .prefetch_related("products")
        .order_by("-starts_at", "-id")
    )


def access_discount(shop: Shop, discount_id: int) -> Discount:
    return get_object_or_404(Discount.objects.filter(shop=shop), pk=discount_id)


def campaign_list_visible(*, now: datetime | None = None) -> QuerySet[Campaign]:
    """Campaigns a seller can see: every one not yet over, soonest first."""
    now = now or timezone.now()
    return Campaign.objects.filter(ends_at__gt=now).order_by("registration_starts_at", "id")


def access_campaign(campaign_id) -> Campaign:
    """Any published campaign (they are platform-wide); 404 for a bad or unknown id."""
    try:
        campaign_id = int(campaign_id)
    except (TypeError, ValueError):
        campaign_id = 0
    return get_object_or_404(Campaign, pk=campaign_id)


def campaign_registration_list(*, shop: Shop) -> QuerySet[CampaignProduct]:
    return CampaignProduct.objects.filter(shop=shop).select_related("campaign", "product")


def access_campaign_product(shop: Shop, campaign_product_id: int) -> CampaignProduct:
    return get_object_or_404(
        CampaignProduct.objects.filter(shop=shop).select_related("campaign", "product"),
        pk=campaign_product_id,
    )


# The discount, campaign and LIVE pin forms list at most this many products to choose from.
FORM_PRODUCTS = 500


def promotable_products(*, shop: Shop) -> QuerySet[Product]:
    """Products a seller may put on promotion: anything not deleted, title order."""
    return (
        Product.objects.filter(shop=shop)
        .filter(~Q(status=Product.Status.DELETED))
        .order_by("title", "id")
    )
