"""Analytics reports (SPEC §8). Each answers from the daily rollups for a date range and
returns a Report: columns, rows (also the CSV), a chart series, and totals compared with the
previous period of the same length.

Today's figures are Home's shared live figures (at most a minute old). The reports that read
every product-day or every order of the range (conversion, best sellers, customers) are
shared per shop and range the same way (common.figures), and say when they were computed.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db.models import Count, Sum

from catalog.models import Product
from common.clock import day_bounds, local_date, to_local_input
from common.figures import shop_figure
from common.money import format_money
from orders.analytics.models import DailyProductStats, DailySourceStats
from orders.analytics.selectors import daily_stats
from orders.marketing.live_selectors import live_sessions_held
from orders.models import Order, Visit
from shops.models import Shop

MAX_RANGE_DAYS = 731  # "over 2 years" is refused


@dataclass(frozen=True)
class DateRange:
    start: date
    end: date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> "DateRange":
        return DateRange(self.start - timedelta(days=self.days), self.start - timedelta(days=1))

    def each_day(self):
        for i in range(self.days):
            yield self.start + timedelta(days=i)


@dataclass
class Report:
    key: str
    title: str
    columns: list[str]
    rows: list[list]
    chart_labels: list[str] = field(default_factory=list)
    chart_series: dict[str, list[float]] = field(default_factory=dict)
    chart_type: str = "line"
    totals: list[tuple[str, str, Decimal | None]] = field(
        default_factory=list
    )  # (label, value, change %)
    as_of: datetime | None = None  # when a shared report was computed; None = just now

    @property
    def money_columns(self) -> set[int]:
        """Columns the page shows as currency; the CSV keeps their plain decimals."""
        return {i for i, name in enumerate(self.columns) if name in MONEY_COLUMNS}

    def chart(self, currency: str) -> dict:
        """What the page's chart draws: the series, and which of them are amounts of
        ``currency`` (their axis and tooltips read as money)."""
        return {
            "type": self.chart_type,
            "labels": self.chart_labels,
            "series": self.chart_series,
            "money": [name for name in self.chart_series if name in MONEY_COLUMNS],
            "currency": currency,
        }


MONEY_COLUMNS = {"Revenue"}

REPORTS = {
    "sales": "Sales over time",
    "traffic": "Traffic sources",
    "conversion": "Conversion",
    "best_sellers": "Best-selling products",
    "customers": "Customer behaviour",
    "live": "LIVE sessions",
}


# Reports that aggregate thousands of rows per request on a big shop (160,000 product-days
# for 30 days of bench-big, or every order of the range): computed once per TTL.
SHARED_REPORTS = {"conversion", "best_sellers", "customers"}


def build_report(key: str, *, shop: Shop, period: DateRange, grain: str = "day") -> Report:
    build = {
        "sales": sales_report,
        "traffic": traffic_report,
        "conversion": conversion_report,
        "best_sellers": best_sellers_report,
        "customers": customers_report,
        "live": live_report,
    }[key]
    if key not in SHARED_REPORTS:
        return build(shop=shop, period=period, grain=grain)
    figure = shop_figure(
        shop.pk,
        f"report:{key}:{period.start.isoformat()}:{period.end.isoformat()}:{grain}",
        lambda: build(shop=shop, period=period, grain=grain),
    )
    report = figure.value
    report.as_of = figure.as_of
    return report


def sales_report(*, shop: Shop, period: DateRange, grain: str = "day") -> Report:
    both = _shop_days(shop, DateRange(period.previous().start, period.end))
    buckets: dict[date, dict] = defaultdict(
        lambda: {"orders": 0, "items_sold": 0, "revenue": Decimal(0)}
    )
    for day in period.each_day():
        row = both.get(day, {})
        bucket = buckets[_bucket(day, grain)]
        for k in bucket:
            bucket[k] += row.get(k, 0) or 0
    keys = sorted(buckets)
    rows = [
        [
            k,  # a date: the page shows it as the app writes dates, the CSV as ISO
            buckets[k]["orders"],
            buckets[k]["items_sold"],
            _money(buckets[k]["revenue"]),
        ]
        for k in keys
    ]
    cur = _sum_days(both, period)
    prev = _sum_days(both, period.previous())
    return Report(
        "sales",
        REPORTS["sales"],
        [grain.title(), "Orders", "Items sold", "Revenue"],
        rows,
        chart_labels=[f"{k:%b %Y}" if grain == "month" else f"{k:%b} {k.day}" for k in keys],
        chart_series={
            "Revenue": [float(buckets[k]["revenue"]) for k in keys],
            "Orders": [buckets[k]["orders"] for k in keys],
        },
        totals=[
            ("Orders", f"{cur['orders']:,}", _change(cur["orders"], prev["orders"])),
            (
                "Items sold",
                f"{cur['items_sold']:,}",
                _change(cur["items_sold"], prev["items_sold"]),
            ),
            (
                "Revenue",
                f"{format_money(cur['revenue'])}",
                _change(cur["revenue"], prev["revenue"]),
            ),
        ],
        as_of=both.get(local_date(), {}).get("as_of"),  # today's shared live figures
    )


def traffic_report(*, shop: Shop, period: DateRange, grain: str = "day") -> Report:
    rows = (
        DailySourceStats.objects.filter(shop=shop, day__gte=period.start, day__lte=period.end)
        .values("source")
        .annotate(
            visits=Sum("visits"),
            visitors=Sum("visitors"),
            orders=Sum("orders"),
            revenue=Sum("revenue"),
        )
        .order_by("-visits")
    )
    labels = dict(Visit.Source.choices)
    data = [
        [
            labels.get(r["source"], r["source"]),
            r["visits"],
            r["visitors"],
            r["orders"],
            _money(r["revenue"] or 0),
            _pct(r["orders"], r["visitors"]),
        ]
        for r in rows
    ]
    return Report(
        "traffic",
        REPORTS["traffic"],
        ["Source", "Visits", "Visitors", "Orders", "Revenue", "Conversion"],
        data,
        chart_labels=[r[0] for r in data],
        chart_series={"Visits": [r[1] for r in data]},
        chart_type="bar",
    )


def conversion_report(*, shop: Shop, period: DateRange, grain: str = "day") -> Report:
    both = _shop_days(shop, DateRange(period.previous().start, period.end))
    cur, prev = _sum_days(both, period), _sum_days(both, period.previous())
    views = (
        DailyProductStats.objects.filter(
            shop=shop, day__gte=period.start, day__lte=period.end
        ).aggregate(v=Sum("views"))["v"]
        or 0
    )
    steps = [("Visitors", cur["visitors"]), ("Product views", views), ("Orders", cur["orders"])]
    data = [
        [label, value, _pct(value, steps[0][1]) if i else "100.0%"]
        for i, (label, value) in enumerate(steps)
    ]
    conv, conv_prev = (
        _ratio(cur["orders"], cur["visitors"]),
        _ratio(prev["orders"], prev["visitors"]),
    )
    return Report(
        "conversion",
        REPORTS["conversion"],
        ["Step", "Count", "Of visitors"],
        data,
        chart_labels=[s[0] for s in steps],
        chart_series={"Funnel": [s[1] for s in steps]},
        chart_type="bar",
        totals=[
            ("Conversion rate", _pct(cur["orders"], cur["visitors"]), _change(conv, conv_prev))
        ],
    )


def best_sellers_report(
    *, shop: Shop, period: DateRange, grain: str = "day", limit: int = 20
) -> Report:
    rows = list(
        DailyProductStats.objects.filter(shop=shop, day__gte=period.start, day__lte=period.end)
        .values("product_id")
        .annotate(
            units=Sum("units"), revenue=Sum("revenue"), orders=Sum("orders"), views=Sum("views")
        )
        .filter(units__gt=0)
        .order_by("-revenue", "product_id")[:limit]
    )
    titles = dict(
        Product.objects.filter(shop=shop, pk__in=[r["product_id"] for r in rows]).values_list(
            "pk", "title"
        )
    )
    data = [
        [
            titles.get(r["product_id"], "(deleted product)"),
            r["units"],
            r["orders"],
            _money(r["revenue"]),
            _pct(r["orders"], r["views"]),
        ]
        for r in rows
    ]
    return Report(
        "best_sellers",
        REPORTS["best_sellers"],
        ["Product", "Units", "Orders", "Revenue", "View-to-order"],
        data,
        chart_labels=[r[0][:24] for r in data[:10]],
        chart_series={"Revenue": [float(r["revenue"]) for r in rows[:10]]},
        chart_type="bar",
    )


def live_report(*, shop: Shop, period: DateRange, grain: str = "day") -> Report:
    """The sessions held in the period, each with what it sold (the LIVE dashboard's figures)."""
    lo, hi = day_bounds(period.start, period.end)
    held = live_sessions_held(shop=shop, start=lo, end=hi)
    data = [
        [
            h["session"].title,
            to_local_input(h["session"].started_at, " "),
            to_local_input(h["session"].ended_at, " ") if h["session"].ended_at else "live now",
            h["orders"],
            h["units"],
            _money(h["revenue"]),
        ]
        for h in held
    ]
    return Report(
        "live",
        REPORTS["live"],
        ["Session", "Started", "Ended", "Orders", "Items", "Revenue"],
        data,
        chart_labels=[r[0][:24] for r in data[:10]],
        chart_series={"Revenue": [float(h["revenue"]) for h in held[:10]]},
        chart_type="bar",
        totals=[
            ("Sessions", str(len(held)), None),
            ("Revenue", _money(sum((h["revenue"] for h in held), Decimal("0"))), None),
        ],
    )


def customers_report(*, shop: Shop, period: DateRange, grain: str = "day") -> Report:
    lo, hi = day_bounds(period.start, period.end)
    # Repeat buyers need the raw orders of the range (one grouped query); the rest is rollups.
    buyers = _buyer_counts(shop, lo, hi)
    both = _shop_days(shop, period)
    cur = _sum_days(both, period)
    views = (
        DailyProductStats.objects.filter(
            shop=shop, day__gte=period.start, day__lte=period.end
        ).aggregate(v=Sum("views"))["v"]
        or 0
    )
    data = [
        ["Click-through rate (product views ÷ page views)", _pct(views, cur["page_views"])],
        ["Buyers", f"{buyers['buyers']:,}"],
        ["Repeat buyers (2+ orders in the range)", f"{buyers['repeat']:,}"],
        ["Repeat-buyer share", _pct(buyers["repeat"], buyers["buyers"])],
    ]
    return Report("customers", REPORTS["customers"], ["Measure", "Value"], data)


def _buyer_counts(shop: Shop, lo, hi) -> dict:
    per_buyer = (
        Order.objects.filter(shop=shop, placed_at__gte=lo, placed_at__lt=hi)
        .exclude(status=Order.Status.CANCELLED)
        .values("buyer_email")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("n", flat=True)
    )
    counts = list(per_buyer)
    return {"buyers": len(counts), "repeat": sum(1 for n in counts if n > 1)}


def _shop_days(shop: Shop, period: DateRange) -> dict[date, dict]:
    """Rollups for past days plus today's live figures, so reports agree with Home's tiles."""
    return daily_stats(shop=shop, start=period.start, end=period.end, today=local_date())


def _sum_days(days: dict[date, dict], period: DateRange) -> dict:
    out = {"orders": 0, "items_sold": 0, "revenue": Decimal(0), "visitors": 0, "page_views": 0}
    for day in period.each_day():
        row = days.get(day)
        if row:
            for k in out:
                out[k] += row.get(k) or 0
    return out


def _bucket(day: date, grain: str) -> date:
    if grain == "week":
        return day - timedelta(days=day.weekday())
    if grain == "month":
        return day.replace(day=1)
    return day


def _ratio(num, den) -> Decimal | None:
    return Decimal(num) / Decimal(den) if den else None


def _pct(num, den) -> str:
    return f"{Decimal(num) * 100 / Decimal(den):.1f}%" if den else "—"


def _change(cur, prev) -> Decimal | None:
    if cur is None or not prev:
        return None
    return ((Decimal(cur) - Decimal(prev)) * 100 / Decimal(prev)).quantize(Decimal("1"))


def _money(value) -> str:
    return f"{Decimal(value).quantize(Decimal('0.01'))}"
