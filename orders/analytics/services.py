"""Daily per-shop rollups: rebuilt from raw rows, set-based, idempotent for any date range."""

from collections import defaultdict
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncDate
from django_scopes import scopes_disabled

from common.clock import day_bounds, platform_tz
from orders.analytics.models import DailyProductStats, DailyShopStats, DailySourceStats
from orders.models import Order, OrderLine, Visit
from orders.returns.models import ReturnRequest

FIELDS = [
    "orders",
    "cancelled_orders",
    "items_sold",
    "revenue",
    "visitors",
    "page_views",
    "returns",
]


def rollup_rebuild(*, start: date, end: date, shop_ids: list[int] | None = None) -> int:
    """Recompute DailyShopStats for the calendar days start..end (inclusive). Returns rows written.

    One grouped query per source table over the whole range (cross-shop by design: it is the
    operator's rebuild and the hourly task), then one delete and one bulk insert.
    """
    lo, hi = day_bounds(start, end)
    tz = platform_tz()
    rows: dict[tuple[int, date], dict] = defaultdict(lambda: dict.fromkeys(FIELDS, 0))

    def scoped(qs):
        return qs.filter(shop_id__in=shop_ids) if shop_ids is not None else qs

    with scopes_disabled():
        cancelled = Q(status=Order.Status.CANCELLED)
        for r in (
            scoped(Order.objects.filter(placed_at__gte=lo, placed_at__lt=hi))
            .annotate(day=TruncDate("placed_at", tzinfo=tz))
            .values("shop_id", "day")
            .annotate(
                n=Count("id", filter=~cancelled),
                c=Count("id", filter=cancelled),
                revenue=Sum("total", filter=~cancelled),
            )
            .order_by()
        ):
            row = rows[(r["shop_id"], r["day"])]
            row.update(orders=r["n"], cancelled_orders=r["c"], revenue=r["revenue"] or Decimal("0"))
        for r in (
            scoped(OrderLine.objects.filter(order__placed_at__gte=lo, order__placed_at__lt=hi))
            .exclude(order__status=Order.Status.CANCELLED)
            .annotate(day=TruncDate("order__placed_at", tzinfo=tz))
            .values("shop_id", "day")
            .annotate(q=Sum("quantity"))
            .order_by()
        ):
            rows[(r["shop_id"], r["day"])]["items_sold"] = r["q"] or 0
        for r in (
            scoped(Visit.objects.filter(occurred_at__gte=lo, occurred_at__lt=hi))
            .annotate(day=TruncDate("occurred_at", tzinfo=tz))
            .values("shop_id", "day")
            .annotate(v=Count("visitor_key", distinct=True), pv=Count("id"))
            .order_by()
        ):
            rows[(r["shop_id"], r["day"])].update(visitors=r["v"], page_views=r["pv"])
        for r in (
            scoped(ReturnRequest.objects.filter(requested_at__gte=lo, requested_at__lt=hi))
            .annotate(day=TruncDate("requested_at", tzinfo=tz))
            .values("shop_id", "day")
            .annotate(n=Count("id"))
            .order_by()
        ):
            rows[(r["shop_id"], r["day"])]["returns"] = r["n"]

        products = _product_rows(scoped, lo, hi, tz)
        sources = _source_rows(scoped, lo, hi, tz)
        with transaction.atomic():
            for model in (DailyShopStats, DailyProductStats, DailySourceStats):
                scoped(model.objects.filter(day__gte=start, day__lte=end)).delete()
            DailyShopStats.objects.bulk_create(
                (
                    DailyShopStats(shop_id=shop_id, day=day, **values)
                    for (shop_id, day), values in rows.items()
                ),
                batch_size=2000,
            )
            DailyProductStats.objects.bulk_create(
                (
                    DailyProductStats(shop_id=s, day=d, product_id=p, **v)
                    for (s, d, p), v in products.items()
                ),
                batch_size=2000,
            )
            DailySourceStats.objects.bulk_create(
                (
                    DailySourceStats(shop_id=s, day=d, source=src, **v)
                    for (s, d, src), v in sources.items()
                ),
                batch_size=2000,
            )
    return len(rows)


def _product_rows(scoped, lo, hi, tz) -> dict:
    rows: dict = defaultdict(lambda: {"views": 0, "orders": 0, "units": 0, "revenue": Decimal("0")})
    for r in (
        scoped(Visit.objects.filter(occurred_at__gte=lo, occurred_at__lt=hi, product__isnull=False))
        .annotate(day=TruncDate("occurred_at", tzinfo=tz))
        .values("shop_id", "day", "product_id")
        .annotate(n=Count("id"))
        .order_by()
    ):
        rows[(r["shop_id"], r["day"], r["product_id"])]["views"] = r["n"]
    for r in (
        scoped(
            OrderLine.objects.filter(
                order__placed_at__gte=lo, order__placed_at__lt=hi, product__isnull=False
            )
        )
        .exclude(order__status=Order.Status.CANCELLED)
        .annotate(day=TruncDate("order__placed_at", tzinfo=tz))
        .values("shop_id", "day", "product_id")
        .annotate(o=Count("order_id", distinct=True), u=Sum("quantity"), rev=Sum("line_total"))
        .order_by()
    ):
        rows[(r["shop_id"], r["day"], r["product_id"])].update(
            orders=r["o"], units=r["u"] or 0, revenue=r["rev"] or Decimal("0")
        )
    return rows


def _source_rows(scoped, lo, hi, tz) -> dict:
    rows: dict = defaultdict(
        lambda: {"visits": 0, "visitors": 0, "orders": 0, "revenue": Decimal("0")}
    )
    for r in (
        scoped(Visit.objects.filter(occurred_at__gte=lo, occurred_at__lt=hi))
        .annotate(day=TruncDate("occurred_at", tzinfo=tz))
        .values("shop_id", "day", "source")
        .annotate(n=Count("id"), v=Count("visitor_key", distinct=True))
        .order_by()
    ):
        rows[(r["shop_id"], r["day"], r["source"])].update(visits=r["n"], visitors=r["v"])
    for r in (
        scoped(Order.objects.filter(placed_at__gte=lo, placed_at__lt=hi))
        .exclude(status=Order.Status.CANCELLED)
        .annotate(day=TruncDate("placed_at", tzinfo=tz))
        .values("shop_id", "day", "traffic_source")
        .annotate(n=Count("id"), rev=Sum("total"))
        .order_by()
    ):
        key = (r["shop_id"], r["day"], r["traffic_source"] or "external")
        rows[key].update(orders=r["n"], revenue=r["rev"] or Decimal("0"))
    return rows
