import csv
import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django_scopes import scope

from common.clock import day_start, local_date
from common.policy import POLICY
from orders.analytics.services import rollup_rebuild
from orders.models import Visit
from sellercenter.dashboard import home_tiles
from tests.factories import OrderFactory, OrderLineFactory, ProductFactory
from tests.queries import page_queries

pytestmark = pytest.mark.django_db


def url(shop, name="orders:analytics", **params):
    from urllib.parse import urlencode

    return reverse(name, kwargs={"shop_slug": shop.slug}) + (
        "?" + urlencode(params) if params else ""
    )


def place(shop, day, total="10.00", qty=1, product=None, source="video", email=None):
    order = OrderFactory(
        shop=shop,
        total=Decimal(total),
        placed_at=day_start(day) + timedelta(hours=12),
        traffic_source=source,
        **({"buyer_email": email} if email else {}),
    )
    OrderLineFactory(order=order, quantity=qty, line_total=Decimal(total), product=product)
    return order


def test_sales_csv_totals_match_the_home_tiles(owner_client, shop):
    today = local_date()
    with scope(shop=shop):
        for i in range(40):
            place(shop, today - timedelta(days=i), total=f"{10 + i}.50", qty=1 + i % 3)
    rollup_rebuild(start=today - timedelta(days=60), end=today)
    with scope(shop=shop):
        place(shop, today, total="99.99", qty=4)  # after the rollup: live figures must include it
    assert "Updated " in owner_client.get(url(shop)).content.decode()  # today is a shared figure
    response = owner_client.get(url(shop, format="csv"))
    assert response["Content-Type"].startswith("text/csv")
    with scope(shop=shop):
        rows = list(csv.DictReader(io.StringIO(response.content.decode())))
        assert len(rows) == 30
        tiles = {t.key: t for t in home_tiles(shop=shop)}
    assert tiles["revenue"].value == f"${sum(Decimal(r['Revenue']) for r in rows):,.2f}"
    assert tiles["items_sold"].value == f"{sum(int(r['Items sold']) for r in rows):,}"


def test_reversed_or_over_two_year_ranges_are_refused_with_a_message(owner_client, shop):
    today = local_date()
    reversed_ = owner_client.get(
        url(shop, start=today.isoformat(), end=(today - timedelta(days=1)).isoformat())
    )
    assert (
        reversed_.status_code == 400
        and "start date is after the end date" in reversed_.content.decode()
    )
    too_long = owner_client.get(
        url(shop, start=(today - timedelta(days=731)).isoformat(), end=today.isoformat())
    )
    assert too_long.status_code == 400 and "at most 2 years" in too_long.content.decode()
    ok = owner_client.get(
        url(shop, start=(today - timedelta(days=730)).isoformat(), end=today.isoformat())
    )
    assert ok.status_code == 200


def test_every_report_renders_and_downloads(owner_client, shop):
    today = local_date()
    product = ProductFactory(shop=shop, title="Cozy Hoodie")
    Visit.objects.create(
        shop=shop,
        product=product,
        visitor_key="a",
        source="live",
        occurred_at=day_start(today) + timedelta(hours=1),
    )
    place(shop, today - timedelta(days=1), product=product, source="live", email="r@example.com")
    place(shop, today - timedelta(days=2), product=product, source="live", email="r@example.com")
    rollup_rebuild(start=today - timedelta(days=5), end=today)
    for name in (
        "orders:analytics",
        "orders:analytics_traffic",
        "orders:analytics_conversion",
        "orders:analytics_best_sellers",
        "orders:analytics_customers",
    ):
        page = owner_client.get(url(shop, name))
        assert page.status_code == 200, name
        assert owner_client.get(url(shop, name, format="csv")).status_code == 200
    assert (
        "Cozy Hoodie"
        in owner_client.get(url(shop, "orders:analytics_best_sellers")).content.decode()
    )
    traffic = owner_client.get(url(shop, "orders:analytics_traffic", format="csv")).content.decode()
    assert traffic.splitlines()[1].startswith("Live,1,1,2,")
    customers = owner_client.get(url(shop, "orders:analytics_customers")).content.decode()
    assert "Repeat buyers" in customers


def test_report_pages_cost_the_same_queries_for_small_and_large_shops(owner_client, shop):
    today = local_date()
    place(shop, today - timedelta(days=3))
    rollup_rebuild(start=today - timedelta(days=60), end=today)
    small = page_queries(owner_client, url(shop))
    for i in range(120):
        place(shop, today - timedelta(days=i % 50))
    rollup_rebuild(start=today - timedelta(days=60), end=today)
    assert page_queries(owner_client, url(shop)) == small


def test_best_sellers_are_shared_for_a_minute_then_recomputed(owner_client, shop, monkeypatch):
    from django.utils import timezone

    today = local_date()
    hoodie = ProductFactory(shop=shop, title="Cozy Hoodie")
    scarf = ProductFactory(shop=shop, title="Wool Scarf")
    place(shop, today - timedelta(days=1), total="30.00", product=hoodie)
    rollup_rebuild(start=today - timedelta(days=5), end=today)
    page = owner_client.get(url(shop, "orders:analytics_best_sellers")).content.decode()
    assert "Cozy Hoodie" in page and "Wool Scarf" not in page and "Updated " in page
    place(shop, today - timedelta(days=1), total="90.00", product=scarf)
    rollup_rebuild(start=today - timedelta(days=5), end=today)
    page = owner_client.get(url(shop, "orders:analytics_best_sellers")).content.decode()
    assert "Wool Scarf" not in page  # the shared report, computed less than a minute ago
    ttl = POLICY.shop_figure_ttl_seconds
    moved = timezone.now() + timedelta(seconds=ttl + 1)
    monkeypatch.setattr(timezone, "now", lambda: moved)
    page = owner_client.get(url(shop, "orders:analytics_best_sellers")).content.decode()
    assert page.index("Wool Scarf") < page.index("Cozy Hoodie")  # by revenue, recomputed


def test_the_sales_chart_names_its_money_series_and_the_shops_currency():
    from orders.analytics.reports import Report

    report = Report(
        "sales",
        "Sales",
        ["Day", "Orders", "Revenue"],
        [],
        chart_series={"Revenue": [1.0], "Orders": [1]},
    )
    chart = report.chart("USD")
    assert chart["money"] == ["Revenue"] and chart["currency"] == "USD"


def test_sales_days_read_as_the_app_writes_dates_on_the_page_and_iso_in_the_csv(owner_client, shop):
    with scope(shop=shop):
        place(shop, date(2026, 11, 3), total="12.00")
    rollup_rebuild(start=date(2026, 11, 1), end=date(2026, 11, 30))
    page = owner_client.get(url(shop, start="2026-11-01", end="2026-11-30")).content.decode()
    assert "<td>Nov 3, 2026</td>" in page
    months = owner_client.get(url(shop, start="2026-11-01", end="2026-11-30", grain="month"))
    assert "<td>November 2026</td>" in months.content.decode()
    response = owner_client.get(url(shop, start="2026-11-01", end="2026-11-30", format="csv"))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:2] == ["Day", "Orders"] and rows[3][:2] == ["2026-11-03", "1"]
