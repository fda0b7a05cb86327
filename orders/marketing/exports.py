"""CSV exports of the shop's coupons, discounts and campaign registrations."""

from django.http import HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from common.clock import to_local_input
from common.csvio import csv_response
from orders.marketing.views import campaign_context, coupon_rows, discount_rows
from shops import permissions as p
from shops.tenancy import shop_view


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
            to_local_input(c.starts_at, " "),
            to_local_input(c.ends_at, " "),
            "" if c.usage_limit is None else c.usage_limit,
            "" if c.per_buyer_limit is None else c.per_buyer_limit,
            c.uses,
            c.status(now),
            c.perf.orders,
            c.perf.revenue,
            c.perf.saved,
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
        "orders",
        "revenue",
        "discount given",
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
            to_local_input(d.starts_at, " "),
            to_local_input(d.ends_at, " "),
            "; ".join(pr.title for pr in d.products.all()),
            d.status(now),
            d.perf.orders,
            d.perf.revenue,
            d.perf.saved,
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
        "orders",
        "revenue",
        "discount given",
    ]
    return _csv(request, "discounts", header, rows)


@shop_view(p.MARKETING)
@require_GET
def campaign_export(request, shop_slug):
    ctx = campaign_context(request.shop)
    rows = [
        [
            r.campaign.name,
            r.product.title,
            r.regular if r.regular is not None else "",
            r.campaign_price,
            to_local_input(r.campaign.starts_at, " "),
            to_local_input(r.campaign.ends_at, " "),
            "withdrawn" if r.withdrawn_at else "registered",
            r.perf.orders,
            r.perf.revenue,
            r.perf.saved,
        ]
        for r in ctx["registrations"]
    ]
    header = [
        "campaign",
        "product",
        "regular price",
        "campaign price",
        "campaign starts",
        "campaign ends",
        "status",
        "orders",
        "revenue",
        "discount given",
    ]
    return _csv(request, "campaign-registrations", header, rows)


def _csv(request, name: str, header: list[str], rows: list[list]) -> HttpResponse:
    return csv_response(f"{request.shop.slug}-{name}.csv", header, rows)
