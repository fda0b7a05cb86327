"""Reads for the Marketing pages (issue 7): coupons, and what each promotion brought in."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.shortcuts import get_object_or_404

from orders.models import Coupon, Order, OrderPromotion
from shops.models import Shop


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
