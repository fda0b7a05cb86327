"""Reads the Home dashboard needs from the orders app: rollups plus today's live figures.

Every function runs a fixed number of queries whatever the shop's size. Today's figures read
every order, line and visit of the day — thousands for a big shop — so they are a shared
per-shop figure (common.figures), at most a minute old.
"""

from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils import timezone

from common.clock import day_bounds
from common.figures import shop_figure
from common.policy import POLICY
from orders.analytics.models import DailyShopStats
from orders.inbox.models import Message
from orders.marketing.models import LiveSession
from orders.models import Order, OrderLine, Visit
from orders.returns.models import ReturnRequest
from shops.models import Shop

ZERO = Decimal("0")


def live_day_figure_name(day: date) -> str:
    return f"live_day:{day.isoformat()}"


def daily_stats(*, shop: Shop, start: date, end: date, today: date) -> dict[date, dict]:
    """Per-day figures start..end: rollups for past days, live figures for today.

    Today's row also says when it was computed (``as_of``): it may be up to a minute old.
    """
    days: dict[date, dict] = {}
    for row in DailyShopStats.objects.filter(
        shop=shop, day__gte=start, day__lte=min(end, today - timedelta(days=1))
    ).values():
        days[row["day"]] = row
    if start <= today <= end:
        figure = shop_figure(
            shop.pk, live_day_figure_name(today), lambda: live_day(shop=shop, day=today)
        )
        days[today] = {**figure.value, "as_of": figure.as_of}
    return days


def live_day(*, shop: Shop, day: date) -> dict:
    lo, hi = day_bounds(day)
    # The day's orders once, then their lines by id through the order_id index. As a
    # subquery, PostgreSQL overestimates the day's orders of a big shop (shop x day
    # selectivity) and hash-joins every line the shop ever sold: 380 ms on bench-big, growing
    # with its history; by ids it costs the day's lines (37 ms for its 2,795 orders).
    todays = list(
        Order.objects.filter(shop=shop, placed_at__gte=lo, placed_at__lt=hi)
        .exclude(status=Order.Status.CANCELLED)
        .values_list("pk", "total")
    )
    ids = [pk for pk, _ in todays] or [0]  # [0]: still one query on a day without orders
    items = OrderLine.objects.filter(shop=shop, order_id__in=ids).aggregate(n=Sum("quantity"))
    visits = Visit.objects.filter(shop=shop, occurred_at__gte=lo, occurred_at__lt=hi).aggregate(
        visitors=Count("visitor_key", distinct=True), page_views=Count("id")
    )
    returns = ReturnRequest.objects.filter(
        shop=shop, requested_at__gte=lo, requested_at__lt=hi
    ).count()
    return {
        "orders": len(todays),
        "revenue": sum((total for _, total in todays), ZERO),
        "items_sold": items["n"] or 0,
        "visitors": visits["visitors"],
        "page_views": visits["page_views"],
        "returns": returns,
    }


def todo_orders_to_ship(*, shop: Shop, limit: int = 5) -> list[Order]:
    return list(
        Order.objects.filter(shop=shop, status__in=Order.TO_SHIP).order_by("ship_by", "id")[:limit]
    )


def todo_returns_awaiting_answer(*, shop: Shop, limit: int = 5) -> list[ReturnRequest]:
    return list(
        ReturnRequest.objects.filter(shop=shop, status=ReturnRequest.Status.REQUESTED)
        .select_related("order")
        .order_by("requested_at")[:limit]
    )


def todo_messages_waiting(
    *,
    shop: Shop,
    older_than: timedelta | None = None,
    now: datetime | None = None,
    limit: int = 5,
) -> list[Message]:
    older_than = older_than or timedelta(hours=POLICY.todo_message_waiting_hours)
    cutoff = (now or timezone.now()) - older_than
    return list(
        Message.objects.filter(
            shop=shop,
            from_buyer=True,
            answered_at__isnull=True,
            sent_at__lte=cutoff,
            conversation__resolved=False,
        )
        .select_related("conversation")
        .order_by("sent_at")[:limit]
    )


def live_session_counts(
    *, shop: Shop, start: datetime, middle: datetime, end: datetime
) -> tuple[int, int]:
    """Live sessions started in [middle, end) and in the period before it [start, middle)."""
    agg = LiveSession.objects.filter(
        shop=shop, started_at__gte=start, started_at__lt=end
    ).aggregate(
        cur=Count("id", filter=Q(started_at__gte=middle)),
        prev=Count("id", filter=Q(started_at__lt=middle)),
    )
    return agg["cur"], agg["prev"]
