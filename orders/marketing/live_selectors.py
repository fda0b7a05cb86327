"""Reads for LIVE sessions: the list, one session, and its dashboard figures (live and after)."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncMinute
from django.shortcuts import get_object_or_404
from django.utils import timezone

from orders.marketing.live_models import LivePin, LiveSale, LiveSession
from orders.models import Order, Visit
from shops.models import Shop


def live_session_list(*, shop: Shop) -> QuerySet[LiveSession]:
    return (
        LiveSession.objects.filter(shop=shop)
        .annotate(pinned=Count("pins", distinct=True))
        .order_by("-starts_at", "-id")
    )


def access_live_session(shop: Shop, session_id: int) -> LiveSession:
    return get_object_or_404(LiveSession.objects.filter(shop=shop), pk=session_id)


def access_live_pin(shop: Shop, session: LiveSession, pin_id: int) -> LivePin:
    return get_object_or_404(
        LivePin.objects.filter(shop=shop, session=session).select_related("product", "session"),
        pk=pin_id,
    )


@dataclass(kw_only=True)
class SalesFigures:
    """What LIVE sold, for one pinned product or the whole session, and the people who saw it."""

    units: int = 0
    orders: int = 0
    buyers: int = 0
    revenue: Decimal = Decimal("0.00")
    visitors: int = 0

    @property
    def conversion(self) -> Decimal | None:
        return conversion(buyers=self.buyers, viewers=self.visitors)


@dataclass(kw_only=True)
class PinFigures(SalesFigures):
    pin: LivePin


@dataclass(kw_only=True)
class LiveFigures(SalesFigures):
    pins: list[PinFigures] = field(default_factory=list)
    # (minute, orders, GMV) for every minute the session has run, oldest first (_every_minute)
    minutes: list[tuple[datetime, int, Decimal]] = field(default_factory=list)

    def chart(self) -> dict:
        """Chart.js data: orders and GMV per minute (platform wall-clock labels)."""
        from common.clock import local_time

        return {
            "labels": [f"{local_time(m):%H:%M}" for m, _, _ in self.minutes],
            "series": {
                "Orders": [n for _, n, _ in self.minutes],
                "GMV": [float(g) for _, _, g in self.minutes],
            },
        }


def live_session_figures(*, shop: Shop, session: LiveSession, now=None) -> LiveFigures:
    """What the session sold, per pinned product and per minute, and the conversion of its
    pinned products (``conversion``: buyers over the people who viewed their pages while it ran
    or bought). Five queries whatever the number of pins, sales or minutes; cancelled orders are
    left out."""
    now = now or timezone.now()
    pins = list(
        LivePin.objects.filter(shop=shop, session=session).select_related("product").order_by("id")
    )
    sales = LiveSale.objects.filter(shop=shop, session=session).exclude(
        order__status=Order.Status.CANCELLED
    )
    per_pin = {
        r["pin_id"]: r
        for r in sales.values("pin_id").annotate(
            units=Sum("quantity"),
            orders=Count("order_id", distinct=True),
            buyers=Count("buyer_email", distinct=True),
            revenue=Sum("amount"),
        )
    }
    sold_minutes = {
        r["minute"]: (r["orders"], _cents(r["gmv"]))
        for r in sales.annotate(minute=TruncMinute("created_at"))
        .values("minute")
        .annotate(orders=Count("order_id", distinct=True), gmv=Sum("amount"))
    }
    minutes = _every_minute(session, sold_minutes, now)
    totals = sales.aggregate(
        orders=Count("order_id", distinct=True),
        buyers=Count("buyer_email", distinct=True),
        units=Sum("quantity"),
    )
    visitors: dict[int | None, int] = {}
    if session.started_at is not None:
        start, end = session.window(now)
        visits = Visit.objects.filter(
            shop=shop,
            product_id__in=[p.product_id for p in pins],
            occurred_at__gte=start,
            occurred_at__lt=end,
        )
        for r in visits.values("product_id").annotate(n=Count("visitor_key", distinct=True)):
            visitors[r["product_id"]] = r["n"]
        visitors[None] = visits.aggregate(n=Count("visitor_key", distinct=True))["n"]
    rows = []
    for pin in pins:
        r = per_pin.get(pin.pk, {})
        rows.append(
            PinFigures(
                pin=pin,
                units=r.get("units") or 0,
                orders=r.get("orders") or 0,
                buyers=r.get("buyers") or 0,
                revenue=_cents(r.get("revenue")),
                visitors=visitors.get(pin.product_id, 0),
            )
        )
    return LiveFigures(
        pins=rows,
        minutes=minutes,
        orders=totals["orders"] or 0,
        buyers=totals["buyers"] or 0,
        units=totals["units"] or 0,
        revenue=sum((p.revenue for p in rows), Decimal("0.00")),
        visitors=visitors.get(None, 0),
    )


_CHART_MINUTES_MAX = 24 * 60


def _every_minute(
    session: LiveSession, sold: dict[datetime, tuple[int, Decimal]], now: datetime
) -> list[tuple[datetime, int, Decimal]]:
    """(minute, orders, GMV) for every minute the session has run so far, 0 where nothing sold,
    so the chart's gaps read as quiet minutes and not as a line drawn across them. Only the
    minutes that sold when the session ran longer than a day (a point a minute would be
    unreadable)."""
    if session.started_at is None:
        return sorted((m, *v) for m, v in sold.items())
    start, end = session.window(now)
    first = min([start.replace(second=0, microsecond=0), *sold])
    last = max([min(end, now).replace(second=0, microsecond=0), *sold])
    span = int((last - first).total_seconds() // 60) + 1
    if span > _CHART_MINUTES_MAX:
        return sorted((m, *v) for m, v in sold.items())
    zero = (0, Decimal("0.00"))
    return [(m, *sold.get(m, zero)) for m in (first + timedelta(minutes=i) for i in range(span))]


def live_sessions_held(*, shop: Shop, start: datetime, end: datetime) -> list[dict]:
    """Sessions started in [start, end), newest first, with their orders and revenue (for
    Analytics). Two queries."""
    sessions = list(
        LiveSession.objects.filter(shop=shop, started_at__gte=start, started_at__lt=end).order_by(
            "-started_at"
        )
    )
    sold = {
        r["session_id"]: r
        for r in LiveSale.objects.filter(shop=shop, session__in=sessions)
        .filter(~Q(order__status=Order.Status.CANCELLED))
        .values("session_id")
        .annotate(orders=Count("order_id", distinct=True), units=Sum("quantity"), gmv=Sum("amount"))
    }
    return [
        {
            "session": s,
            "orders": sold.get(s.pk, {}).get("orders") or 0,
            "units": sold.get(s.pk, {}).get("units") or 0,
            "revenue": _cents(sold.get(s.pk, {}).get("gmv")),
        }
        for s in sessions
    ]


def conversion(*, buyers: int, viewers: int) -> Decimal | None:
    """Buyers per 100 people who viewed the product's page or bought it; None (shown "—") when
    nobody did. A checkout counts as a view — a buyer of the JSON checkout never opens the page —
    and page viewers are counted by browser, buyers by mailbox, so the two cannot be matched one
    to one: the audience is the larger of the two counts (a buyer who came through the page is
    already one of its viewers). Never above 100 %. docs/rules.md, "LIVE selling"."""
    audience = max(viewers, buyers)
    if not audience:
        return None
    return (Decimal(buyers) * 100 / Decimal(audience)).quantize(Decimal("0.1"))


def _cents(value) -> Decimal:
    return Decimal(value or 0).quantize(Decimal("0.01"))
