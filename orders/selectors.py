"""Order reads. Lists are keyset-paginated on the (shop, status, placed_at, id) indexes and tab
counts are a shared per-shop figure, so the order list costs the same with 500,000 orders."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Exists, OuterRef, Q, Sum
from django.shortcuts import get_object_or_404
from django.utils import timezone

from catalog.shipping import TemplateChoice
from common.clock import day_bounds_of, day_start, local_date
from common.figures import Figure, count_by_status, shop_figure
from common.paging import keyset_page
from orders.models import (
    CancellationRequest,
    DailyOrderCount,
    Order,
    OrderLine,
    OrderStatusChange,
    Package,
    PackageLine,
    ShippingTemplate,
    ShippingZone,
)
from shops.models import Shop
from shops.order_caps import effective_daily_order_cap

# common.figures names, forgotten by order status changes (orders.analytics.receivers).
LATE_SHIPMENTS_FIGURE = "late_shipments"
ORDER_COUNTS_FIGURE = "order_status_counts"
# The order list's "To ship" tab: every status in Order.TO_SHIP at once.
TO_SHIP_TAB = "to_ship"
PERIODS = {"today": "Today", "this_month": "This month", "last_month": "Last month"}


# --- order list -------------------------------------------------------------------------------
@dataclass(frozen=True)
class OrderFilters:
    status: str = ""
    q: str = ""
    period: str = ""  # today | this_month | last_month | range
    date_from: date | None = None
    date_to: date | None = None
    late: bool = False
    # Placed or changed status at or after this instant (API clients syncing what changed).
    changed_since: datetime | None = None


def order_list(*, shop: Shop, filters: OrderFilters | None = None, status=None, q: str = ""):
    """The shop's orders, newest first, filtered; platform calendar days for the periods."""
    filters = filters or OrderFilters(status=status or "", q=q)
    qs = Order.objects.filter(shop=shop)
    if filters.status == TO_SHIP_TAB:
        qs = qs.filter(status__in=Order.TO_SHIP)
    elif filters.status:
        qs = qs.filter(status=filters.status)
    if filters.q:
        # Order numbers carry digits and names do not: a number is one index lookup, and only
        # a name search scans the shop's orders.
        if any(ch.isdigit() for ch in filters.q):
            qs = qs.filter(number=filters.q.upper())
        else:
            qs = qs.filter(buyer_name__icontains=filters.q)
    start, end = period_bounds(filters)
    if start:
        qs = qs.filter(placed_at__gte=start)
    if end:
        qs = qs.filter(placed_at__lt=end)
    if filters.late:
        qs = qs.filter(
            status__in=Order.TO_SHIP,
            ship_by__lt=timezone.now(),
        )
    if filters.changed_since:
        since = filters.changed_since
        qs = qs.filter(
            Q(placed_at__gte=since)
            | Exists(
                OrderStatusChange.objects.filter(
                    shop=shop, order=OuterRef("pk"), created_at__gte=since
                )
            )
        )
    return qs.order_by("-placed_at", "-id")


@dataclass
class OrderPage:
    orders: list[Order]
    next_cursor: str  # the page after (older orders); "" on the last page
    prev_cursor: str  # the page before (newer orders); "" on the first page
    is_first: bool


def order_page(qs, *, cursor: str = "", before: str = "", size: int = 50) -> OrderPage:
    """One keyset page of ``order_list`` either way (common.paging), with item counts and
    lateness: the page after ``cursor`` (older), or the page before ``before`` (newer)."""
    page = keyset_page(qs, field="placed_at", cursor=cursor, before=before, size=size)
    orders = page.rows
    counts = dict(
        OrderLine.objects.filter(order__in=[o.pk for o in orders])
        .values_list("order")
        .annotate(n=Sum("quantity"))
        .order_by()
    )
    now = timezone.now()
    for order in orders:
        order.item_count = counts.get(order.pk, 0)
        order.is_late = is_late(order, now)
    return OrderPage(
        orders=orders,
        next_cursor=page.next_cursor,
        prev_cursor=page.prev_cursor,
        is_first=page.is_first,
    )


def order_status_counts(*, shop: Shop) -> dict[str, int]:
    """Orders per status: one GROUP BY (an index-only scan of the shop's orders) shared by every
    request for a minute, or until an order of the shop changes status. New orders from the
    storefront are counted within the minute: forgetting the figure on every checkout would
    recount a busy shop's orders on almost every view."""
    rows = shop_figure(
        shop.pk, ORDER_COUNTS_FIGURE, lambda: count_by_status(Order.objects.filter(shop=shop))
    ).value
    counts = {status: rows.get(status, 0) for status in Order.Status.values}
    counts["all"] = sum(counts.values())
    return counts


def is_late(order: Order, now: datetime | None = None) -> bool:
    return (
        order.is_to_ship and order.ship_by is not None and order.ship_by < (now or timezone.now())
    )


def late_shipment_count(shop: Shop) -> int:
    """Orders past their ship-by deadline and not fully shipped (Home's to-do count)."""
    return Order.objects.filter(
        shop=shop,
        status__in=Order.TO_SHIP,
        ship_by__lt=timezone.now(),
    ).count()


def late_shipment_figure(shop: Shop) -> Figure:
    """``late_shipment_count`` as of at most a minute ago: a seller far behind has thousands."""
    return shop_figure(shop.pk, LATE_SHIPMENTS_FIGURE, lambda: late_shipment_count(shop))


def open_cancel_requests(shop: Shop):
    """Buyer cancellation requests awaiting the seller, due first (Home's to-do list)."""
    return CancellationRequest.objects.filter(
        shop=shop, status=CancellationRequest.Status.REQUESTED
    ).order_by("respond_by")


# --- time -------------------------------------------------------------------------------------
def period_bounds(filters: OrderFilters, now: datetime | None = None):
    today = local_date(now)
    at = day_start

    if filters.period == "today":
        return at(today), at(today + timedelta(days=1))
    if filters.period == "this_month":
        first = today.replace(day=1)
        return at(first), at((first + timedelta(days=32)).replace(day=1))
    if filters.period == "last_month":
        first = today.replace(day=1)
        return at((first - timedelta(days=1)).replace(day=1)), at(first)
    if filters.period == "range":
        return (
            at(filters.date_from) if filters.date_from else None,
            at(filters.date_to + timedelta(days=1)) if filters.date_to else None,
        )
    return None, None


# --- caps -------------------------------------------------------------------------------------
def daily_cap_remaining(shop: Shop, now: datetime | None = None) -> int | None:
    """Orders the shop can still accept today, or None while no cap applies (Home tile)."""
    cap = effective_daily_order_cap(shop)
    if cap is None:
        return None
    now = now or timezone.now()
    day = local_date(now)
    row = DailyOrderCount.objects.filter(shop=shop, day=day).first()
    if row is not None:
        used = row.count
    else:
        start, end = day_bounds_of(now)
        used = Order.objects.filter(shop=shop, placed_at__gte=start, placed_at__lt=end).count()
    return max(cap - used, 0)


# --- one order --------------------------------------------------------------------------------
def orders_for_bulk(*, shop: Shop, ids: list[int]) -> list[Order]:
    """The shop's orders among ``ids`` (others' ids are simply not found), with their lines:
    two queries however many are ticked."""
    return list(
        Order.objects.filter(shop=shop, pk__in=ids)
        .prefetch_related("lines")
        .order_by("-placed_at", "-id")
    )


def access_order(shop: Shop, order_id: int) -> Order:
    """The shop's order, or 404 — the same for "missing" and "not yours"."""
    return get_object_or_404(Order.objects.filter(shop=shop), pk=order_id)


@dataclass
class OrderView:
    order: Order
    lines: list[OrderLine]
    packages: list[Package]
    history: list
    cancel_request: CancellationRequest | None
    is_late: bool

    @property
    def unshipped_lines(self) -> list[OrderLine]:
        return [line for line in self.lines if line.remaining > 0]


def order_view(order: Order) -> OrderView:
    """Everything the order page shows, in a fixed number of queries."""
    lines = list(order.lines.all())
    package_lines = list(
        PackageLine.objects.filter(shop_id=order.shop_id, package__order=order).select_related(
            "line"
        )
    )
    shipped: dict[int, int] = {}
    by_package: dict[int, list[PackageLine]] = {}
    for pl in package_lines:
        shipped[pl.line_id] = shipped.get(pl.line_id, 0) + pl.quantity
        by_package.setdefault(pl.package_id, []).append(pl)
    for line in lines:
        line.shipped = shipped.get(line.pk, 0)
        line.remaining = line.quantity - line.shipped
    packages = list(order.packages.all())
    for package in packages:
        package.contents = by_package.get(package.pk, [])
    history = list(order.history.select_related("actor"))
    labels = dict(Order.Status.choices)
    for h in history:
        h.from_label = labels.get(h.from_status, h.from_status)
        h.to_label = labels.get(h.to_status, h.to_status)
    return OrderView(
        order=order,
        lines=lines,
        packages=packages,
        history=history,
        cancel_request=order.cancel_requests.order_by("-requested_at").first(),
        is_late=is_late(order),
    )


def shipped_quantities(order: Order) -> dict[int, int]:
    rows = (
        PackageLine.objects.filter(shop_id=order.shop_id, line__order=order)
        .values_list("line_id")
        .annotate(n=Sum("quantity"))
        .order_by()
    )
    return dict(rows)


# --- shipping templates -----------------------------------------------------------------------
def shipping_template_list(*, shop: Shop) -> list[ShippingTemplate]:
    templates = list(ShippingTemplate.objects.filter(shop=shop))
    zones: dict[int, list[ShippingZone]] = {}
    for zone in ShippingZone.objects.filter(shop=shop):
        zones.setdefault(zone.template_id, []).append(zone)
    for t in templates:
        t.zone_list = zones.get(t.pk, [])
    return templates


def shipping_template_choices(*, shop: Shop) -> list[TemplateChoice]:
    """The shop's templates for the product form, the default first: one query."""
    rows = ShippingTemplate.objects.filter(shop=shop).order_by("-is_default", "name", "id")
    return [TemplateChoice(*row) for row in rows.values_list("pk", "name", "is_default")]


def access_shipping_template(shop: Shop, shipping_template_id: int) -> ShippingTemplate:
    return get_object_or_404(ShippingTemplate.objects.filter(shop=shop), pk=shipping_template_id)


def access_shipping_zone(shop: Shop, shipping_zone_id: int) -> ShippingZone:
    return get_object_or_404(ShippingZone.objects.filter(shop=shop), pk=shipping_zone_id)
