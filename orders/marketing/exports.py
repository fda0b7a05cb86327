"""CSV exports of the shop's coupons, discounts and campaign registrations."""

from django.http import HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from common.clock import to_local_input
from common.csvio import csv_response
from orders.marketing.views import campaign_registrations, coupon_rows, discount_rows
from shops import permissions as p
from shops.tenancy import shop_view

# Every export ends with how the promotion sold (OrderPromotion rows), in the same three columns.
PERFORMANCE_HEADER = ["orders", "revenue", "discount given"]


@shop_view(p.MARKETING)
@require_GET
def coupon_export(request, shop_slug):
    now = timezone.now()
    rows = [
        [
            c.code,
            c.get_kind_display(),
            c.value,
            c.min_spend,
            *_period(c),
            "" if c.usage_limit is None else c.usage_limit,
            "" if c.per_buyer_limit is None else c.per_buyer_limit,
            c.uses,
            c.status(now),
            *_performance(c),
        ]
        for c in coupon_rows(request.shop)
    ]
    header = [
        "code",
        "type",
        "value",
        "minimum spend",
        "starts",
        "ends",
        "usage limit",
        "per-buyer limit",
        "uses",
        "status",
        *PERFORMANCE_HEADER,
    ]
    return _csv(request, "coupons", header, rows)


@shop_view(p.MARKETING)
@require_GET
def discount_export(request, shop_slug):
    now = timezone.now()
    rows = [
        [
            d.name,
            d.get_kind_display(),
            d.value,
            *_period(d),
            "; ".join(pr.title for pr in d.products.all()),
            d.status(now),
            *_performance(d),
        ]
        for d in discount_rows(request.shop)
    ]
    header = [
        "name",
        "type",
        "value",
        "starts",
        "ends",
        "products",
        "status",
        *PERFORMANCE_HEADER,
    ]
    return _csv(request, "discounts", header, rows)


@shop_view(p.MARKETING)
@require_GET
def campaign_export(request, shop_slug):
    rows = [
        [
            r.campaign.name,
            r.product.title,
            r.regular if r.regular is not None else "",
            r.campaign_price,
            *_period(r.campaign),
            "withdrawn" if r.withdrawn_at else "registered",
            *_performance(r),
        ]
        for r in campaign_registrations(request.shop)
    ]
    header = [
        "campaign",
        "product",
        "regular price",
        "campaign price",
        "campaign starts",
        "campaign ends",
        "status",
        *PERFORMANCE_HEADER,
    ]
    return _csv(request, "campaign-registrations", header, rows)


def _csv(request, name: str, header: list[str], rows: list[list]) -> HttpResponse:
    return csv_response(f"{request.shop.slug}-{name}.csv", header, rows)


def _performance(row) -> list:
    return [row.perf.orders, row.perf.revenue, row.perf.saved]


def _period(promotion) -> list[str]:
    """When it starts and ends, in the platform time zone."""
    return [to_local_input(promotion.starts_at, " "), to_local_input(promotion.ends_at, " ")]
