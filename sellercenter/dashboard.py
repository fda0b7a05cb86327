"""The Home dashboard: tiles and the to-do list, composed from each app's own selectors.

Tiles compare the last 30 days with the 30 before (orders also today / this month / last
month); numbers come from the daily rollups plus today's live figures, so Home costs the
same number of queries for 1,000 or 1,000,000 orders. Figures that read the shop's rows
(today's totals, late shipments, low stock, the response rate) are shared per-shop values at
most a minute old (common.figures); each tile says when its figure was taken.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from catalog.selectors import INVENTORY_FIGURE, inventory_summary_figure
from common.clock import day_bounds, day_end, local_date, month_start, previous_month_range
from common.figures import shop_figure_forget
from common.money import format_money
from common.policy import POLICY
from orders.analytics import selectors as od
from orders.inbox.selectors import RESPONSE_RATE_FIGURE, response_rate_figure
from orders.selectors import (
    LATE_SHIPMENTS_FIGURE,
    TO_SHIP_TAB,
    daily_cap_remaining,
    late_shipment_figure,
    open_cancel_requests,
)
from shops.models import Shop
from shops.selectors import documents_expiring
from shops.tenancy import member_may_open

PERIOD_DAYS = 30


@dataclass
class Tile:
    key: str
    label: str
    value: str
    change: Decimal | None = None  # percent against the previous period
    spark: list[float] = field(default_factory=list)
    hint: str = ""
    url: str = ""
    warn: bool = False
    as_of: datetime | None = None  # when a cached figure was computed; None = live
    # Colour by meaning, not by sign: more returns is bad news, more revenue good news.
    higher_is_bad: bool = False

    @property
    def trend(self) -> str:
        """The trend's meaning: good, bad, or empty (no figure, or no change: no arrow)."""
        if not self.change:
            return ""
        return "bad" if (self.change > 0) == self.higher_is_bad else "good"

    @property
    def spark_points(self) -> str:
        """SVG polyline points for a 100×28 sparkline."""
        if len(self.spark) < 2:
            return ""
        top = max(self.spark) or 1
        step = 100 / (len(self.spark) - 1)
        return " ".join(
            f"{i * step:.1f},{28 - (v / top) * 26:.1f}" for i, v in enumerate(self.spark)
        )


@dataclass
class Todo:
    due: datetime
    label: str
    detail: str
    url: str
    overdue: bool = False


# A seller's "Refresh" recomputes the shared figures at most this often per shop.
FORCED_REFRESH_SECONDS = 10


def home_figures_refresh(*, shop: Shop) -> bool:
    """The seller asked for fresh figures ("Refresh" on Home): forget the shop's shared Home
    figures so this request recomputes them — at most once per ``FORCED_REFRESH_SECONDS`` per
    shop, so a held-down button cannot turn into a scan per click. Returns whether it did."""
    if not cache.add(f"shopfig:{shop.pk}:forced-refresh", 1, timeout=FORCED_REFRESH_SECONDS):
        return False
    shop_figure_forget(
        shop.pk,
        INVENTORY_FIGURE,
        LATE_SHIPMENTS_FIGURE,
        RESPONSE_RATE_FIGURE,
        od.live_day_figure_name(local_date()),
        at_once=True,
    )
    return True


def home_tiles(*, shop: Shop, today: date | None = None) -> list[Tile]:
    today = today or local_date()
    first = min(today - timedelta(days=2 * PERIOD_DAYS - 1), previous_month_range(today)[0])
    days = od.daily_stats(shop=shop, start=first, end=today, today=today)
    current = [days.get(today - timedelta(days=i), {}) for i in range(PERIOD_DAYS - 1, -1, -1)]
    previous = [
        days.get(today - timedelta(days=PERIOD_DAYS + i), {})
        for i in range(PERIOD_DAYS - 1, -1, -1)
    ]

    def total(rows, key):
        return sum((r.get(key) or 0 for r in rows), Decimal(0) if key == "revenue" else 0)

    def series(key):
        return [float(r.get(key) or 0) for r in current]

    cur = {k: total(current, k) for k in ("orders", "revenue", "items_sold", "visitors", "returns")}
    prev = {
        k: total(previous, k) for k in ("orders", "revenue", "items_sold", "visitors", "returns")
    }
    this_month = [v for d, v in days.items() if d >= month_start(today)]
    lm_first, lm_last = previous_month_range(today)
    last_month = [v for d, v in days.items() if lm_first <= d <= lm_last]
    today_orders = days.get(today, {}).get("orders", 0)
    live_as_of = days.get(today, {}).get("as_of")

    aov, aov_prev = _ratio(cur["revenue"], cur["orders"]), _ratio(prev["revenue"], prev["orders"])
    conv, conv_prev = (
        _ratio(cur["orders"], cur["visitors"]),
        _ratio(prev["orders"], prev["visitors"]),
    )
    rate_figure = response_rate_figure(shop)
    rate = rate_figure.value.rate
    guideline = POLICY.response_rate_guideline
    late_figure = late_shipment_figure(shop)
    late = late_figure.value
    cap_left = daily_cap_remaining(shop)
    stock_figure = inventory_summary_figure(shop)
    low, out = stock_figure.value["low_stock"], stock_figure.value["out_of_stock"]
    lo, hi = day_bounds(today - timedelta(days=2 * PERIOD_DAYS - 1), today)
    live_now, live_before = od.live_session_counts(
        shop=shop, start=lo, middle=day_bounds(today - timedelta(days=PERIOD_DAYS - 1))[0], end=hi
    )
    slug = shop.slug
    orders_url = reverse("orders:order_list", kwargs={"shop_slug": slug})

    def period_tile(key, label, shown, hint=f"last {PERIOD_DAYS} days", url="", **more) -> Tile:
        """A figure summed over the period: its change on the period before, its daily spark."""
        change = _change(cur[key], prev[key])
        return Tile(key, label, shown, change, series(key), hint, url, as_of=live_as_of, **more)

    cap_tiles = (
        [
            Tile(
                "cap",
                "Orders you can still accept today",
                f"{cap_left:,}",
                hint="a daily cap applies while on probation or under investigation",
                warn=cap_left == 0,
            )
        ]
        if cap_left is not None
        else []
    )
    return cap_tiles + [
        period_tile("visitors", "Visitors", f"{cur['visitors']:,}"),
        period_tile("items_sold", "Items sold", f"{cur['items_sold']:,}"),
        period_tile("revenue", "Revenue", _money(cur["revenue"])),
        period_tile(
            "orders",
            "Orders",
            f"{today_orders:,} today",
            f"{sum(r.get('orders', 0) for r in this_month):,} this month · {sum(r.get('orders', 0) for r in last_month):,} last month",
            orders_url,
        ),
        Tile(
            "aov",
            "Average order value",
            _money(aov) if aov is not None else "—",
            _change(aov, aov_prev),
            hint=f"last {PERIOD_DAYS} days",
            as_of=live_as_of,
        ),
        Tile(
            "conversion",
            "Conversion rate",
            _pct(conv),
            _change(conv, conv_prev),
            hint=f"orders ÷ visitors, {PERIOD_DAYS} days",
            as_of=live_as_of,
        ),
        period_tile(
            "returns",
            "Returns",
            f"{cur['returns']:,}",
            f"requested, {PERIOD_DAYS} days",
            reverse("orders:return_list", kwargs={"shop_slug": slug}),
            higher_is_bad=True,
        ),
        Tile(
            "response_rate",
            "Response rate",
            _pct(rate),
            hint=f"answered within {POLICY.response_rate_answer_hours} h · guideline above {guideline:.0%}",
            url=reverse("orders:inbox", kwargs={"shop_slug": slug}),
            warn=rate is not None and rate < guideline,
            as_of=rate_figure.as_of,
        ),
        Tile(
            "late",
            "Late shipments",
            f"{late:,}",
            hint="past their ship-by time",
            url=f"{orders_url}?status={TO_SHIP_TAB}&late=1",
            warn=late > 0,
            as_of=late_figure.as_of,
            higher_is_bad=True,
        ),
        Tile(
            "low_stock",
            "Low stock",
            f"{low:,}",
            hint=f"{out:,} out of stock",
            url=reverse("catalog:product_list", kwargs={"shop_slug": slug}),
            warn=out > 0,
            as_of=stock_figure.as_of,
        ),
        Tile(
            "live",
            "Live sessions",
            f"{live_now:,}",
            _change(live_now, live_before),
            hint=f"last {PERIOD_DAYS} days",
            url=reverse("marketing:live_list", kwargs={"shop_slug": slug}),
        ),
        Tile(
            "health",
            "Account health",
            f"SPS {shop.sps}",
            hint=f"last activity {timezone.localtime(shop.last_activity_at):%b %-d}",
        ),
    ]


def tiles_as_of(tiles: list[Tile]) -> datetime | None:
    """When the oldest cached figure on the tiles was computed (the page's "updated" note)."""
    return min((t.as_of for t in tiles if t.as_of is not None), default=None)


def home_todos(*, shop: Shop, now: datetime | None = None, documents: bool = True) -> list[Todo]:
    """Every deadline the seller faces, due first (SPEC §8). ``documents``: whether to list
    documents about to expire (only the owner uploads documents)."""
    now = now or timezone.now()
    slug = shop.slug
    items: list[Todo] = []
    today = local_date(now)
    for document in documents_expiring(shop, today=today) if documents else ():
        name = document.get_doc_type_display()
        items.append(
            Todo(
                day_end(document.expires_on),
                f"Upload a new {name}",
                f"the {name} on file expires on {document.expires_on:%b %-d, %Y}",
                reverse("onboarding:documents", kwargs={"shop_slug": slug}),
                document.expires_on < today,
            )
        )
    for order in od.todo_orders_to_ship(shop=shop):
        due = order.ship_by or order.placed_at
        items.append(
            Todo(
                due,
                f"Ship order {order.number}",
                f"to {order.buyer_name}",
                reverse("orders:order_detail", kwargs={"shop_slug": slug, "order_id": order.pk}),
                due < now,
            )
        )
    for request in open_cancel_requests(shop).select_related("order")[:5]:
        items.append(
            Todo(
                request.respond_by,
                f"Answer the cancellation request for order {request.order.number}",
                "accepted automatically if you do not answer",
                reverse(
                    "orders:order_detail", kwargs={"shop_slug": slug, "order_id": request.order_id}
                ),
                request.respond_by < now,
            )
        )
    for ret in od.todo_returns_awaiting_answer(shop=shop):
        due = ret.answer_by
        items.append(
            Todo(
                due,
                f"Answer the return request for order {ret.order.number}",
                ret.reason,
                reverse(
                    "orders:return_detail", kwargs={"shop_slug": slug, "return_request_id": ret.pk}
                ),
                due < now,
            )
        )
    for msg in od.todo_messages_waiting(shop=shop, now=now):
        due = msg.sent_at + timedelta(hours=POLICY.response_rate_answer_hours)
        items.append(
            Todo(
                due,
                f"Reply to {msg.conversation.buyer_name}",
                msg.body[:80],
                reverse(
                    "orders:inbox_conversation",
                    kwargs={"shop_slug": slug, "conversation_id": msg.conversation_id},
                ),
                due < now,
            )
        )
    return sorted(items, key=lambda t: t.due)


def home_for_member(
    tiles: list[Tile], todos: list[Todo], membership
) -> tuple[list[Tile], list[Todo]]:
    """What this member's role may act on: a tile whose page the role cannot open keeps its
    figure without the link; a to-do it cannot open is left out (someone else's job)."""
    for tile in tiles:
        if tile.url and not member_may_open(membership, tile.url):
            tile.url = ""
    return tiles, [todo for todo in todos if member_may_open(membership, todo.url)]


def _ratio(num, den) -> Decimal | None:
    return (Decimal(num) / Decimal(den)) if den else None


def _change(cur, prev) -> Decimal | None:
    if cur is None or not prev:
        return None
    return ((Decimal(cur) - Decimal(prev)) / Decimal(prev) * 100).quantize(
        Decimal("1"), rounding=ROUND_HALF_UP
    )


def _money(value) -> str:
    return format_money(value)


def _pct(value) -> str:
    return "—" if value is None else f"{(Decimal(value) * 100).quantize(Decimal('0.1'))}%"


# --- The campaigns panel -------------------------------------------------------------------------
@dataclass
class CampaignPanel:
    eligible: bool
    campaigns: list


def home_campaigns(*, shop: Shop, limit: int = 5) -> CampaignPanel:
    """Current and upcoming platform campaigns and whether this shop may register (2 queries)."""
    from lifecycle.eligibility import shop_is_eligible
    from orders.marketing.selectors import campaign_list_visible

    now = timezone.now()
    campaigns = list(campaign_list_visible(now=now)[:limit])
    for c in campaigns:
        c.is_open = c.registration_open(now)
        c.is_running = c.running(now)
        c.not_open_yet = now < c.registration_starts_at
    return CampaignPanel(eligible=shop_is_eligible(shop), campaigns=campaigns)
