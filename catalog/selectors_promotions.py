"""Reads for discounts and campaign prices (issue 7).

``promotional_prices`` is the one rule for "what does this SKU sell for right now": the lowest of
its regular price, every running discount on its product and a running campaign price. The
storefront shows it (original struck through) and checkout charges it, so they never disagree.
"""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from catalog.models import SKU, Campaign, CampaignProduct, Discount, DiscountProduct, Product
from shops.models import Shop


@dataclass(frozen=True)
class PromoPrice:
    regular: Decimal
    price: Decimal
    discount_id: int | None = None
    campaign_id: int | None = None

    @property
    def reduced(self) -> bool:
        return self.price < self.regular


def promotional_prices(
    *, shop: Shop, skus: list[SKU], at: datetime | None = None
) -> dict[int, PromoPrice]:
    """sku id → its price at ``at``; two queries whatever the cart size."""
    at = at or timezone.now()
    product_ids = {s.product_id for s in skus}
    discounts: dict[int, list[Discount]] = {}
    for line in DiscountProduct.objects.filter(
        shop=shop,
        product_id__in=product_ids,
        discount__starts_at__lte=at,
        discount__ends_at__gt=at,
    ).select_related("discount"):
        discounts.setdefault(line.product_id, []).append(line.discount)
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
        prices[sku.pk] = best
    return prices


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


def promotable_products(*, shop: Shop) -> QuerySet[Product]:
    """Products a seller may put on promotion: anything not deleted, title order."""
    return (
        Product.objects.filter(shop=shop)
        .filter(~Q(status=Product.Status.DELETED))
        .order_by("title", "id")
    )
