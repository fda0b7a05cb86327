"""Daily per-shop rollups: rebuilt from raw rows, set-based, idempotent for any date range."""

from collections import defaultdict
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncDate
from django_scopes import scopes_disabled

from orders.models import DailyShopStats, Order, OrderLine, ReturnRequest, Visit
from shops.calendar import day_bounds, platform_tz

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

        with transaction.atomic():
            scoped(DailyShopStats.objects.filter(day__gte=start, day__lte=end)).delete()
            DailyShopStats.objects.bulk_create(
                (
                    DailyShopStats(shop_id=shop_id, day=day, **values)
                    for (shop_id, day), values in rows.items()
                ),
                batch_size=2000,
            )
    return len(rows)
