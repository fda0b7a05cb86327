"""The seller's order list and detail: tabs with counts, filters in platform days, search,
CSV export, keyset pages, and a fixed query count whatever the number of orders."""

import csv
import io
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope

from orders.models import Order
from orders.selectors import OrderFilters, order_status_counts, period_bounds
from orders.services.fulfillment.cancel import order_cancel
from orders.services.fulfillment.ship import order_ship
from tests.factories import OrderFactory, OrderLineFactory
from tests.orders.conftest import place
from tests.queries import page_queries

pytestmark = pytest.mark.django_db
LA = ZoneInfo("America/Los_Angeles")


def list_url(shop, **params):
    from urllib.parse import urlencode

    url = reverse("orders:order_list", kwargs={"shop_slug": shop.slug})
    return url + ("?" + urlencode(params) if params else "")


def test_tabs_show_counts_per_status(shop, owner, owner_client, sku, sku2):
    with scope(shop=shop):
        a, b, c = place(shop, (sku, 1)), place(shop, (sku, 1)), place(shop, (sku2, 1))
        order_ship(shop=shop, actor=owner, order=a, carrier="ups", service="UPS Ground",
                   tracking_number="1Z999AA10123456784")  # fmt: skip
        order_cancel(shop=shop, actor=owner, order=b, reason="Out of stock")
        counts = order_status_counts(shop=shop)
    assert (counts["all"], counts["awaiting_shipment"], counts["awaiting_collection"]) == (3, 1, 1)
    assert counts["cancelled"] == 1
    page = owner_client.get(list_url(shop, status="awaiting_shipment")).content.decode()
    assert c.number in page and a.number not in page
    assert 'Awaiting shipment <span class="count">1</span>' in page


def test_a_status_change_shows_in_the_tabs_on_the_next_view(
    shop, sku, owner, django_capture_on_commit_callbacks
):
    with scope(shop=shop):
        OrderFactory.create_batch(3, shop=shop)  # loaded in bulk, outside the services
        assert order_status_counts(shop=shop)["awaiting_shipment"] == 3
        order = place(shop, (sku, 1))
        with django_capture_on_commit_callbacks(execute=True):
            order_cancel(shop=shop, actor=owner, order=order, reason="Out of stock")
        counts = order_status_counts(shop=shop)
    assert (counts["awaiting_shipment"], counts["cancelled"], counts["all"]) == (3, 1, 4)


def test_periods_use_platform_calendar_days():
    now = datetime(2026, 3, 1, 1, 0, tzinfo=ZoneInfo("UTC"))  # still Feb 28th in Los Angeles
    start, end = period_bounds(OrderFilters(period="today"), now)
    assert (start, end) == (
        datetime(2026, 2, 28, tzinfo=LA),
        datetime(2026, 3, 1, tzinfo=LA),
    )
    assert period_bounds(OrderFilters(period="this_month"), now) == (
        datetime(2026, 2, 1, tzinfo=LA),
        datetime(2026, 3, 1, tzinfo=LA),
    )
    assert period_bounds(OrderFilters(period="last_month"), now) == (
        datetime(2026, 1, 1, tzinfo=LA),
        datetime(2026, 2, 1, tzinfo=LA),
    )
    start, end = period_bounds(
        OrderFilters(
            period="range",
            date_from=datetime(2026, 1, 5).date(),
            date_to=datetime(2026, 1, 5).date(),
        )
    )
    assert (start, end) == (datetime(2026, 1, 5, tzinfo=LA), datetime(2026, 1, 6, tzinfo=LA))


def test_filters_and_search(shop, owner_client):
    now = timezone.now()
    today = OrderFactory(shop=shop, buyer_name="Tara Today", placed_at=now)
    old = OrderFactory(shop=shop, buyer_name="Olga Old", placed_at=now - timedelta(days=70))
    page = owner_client.get(list_url(shop, period="today")).content.decode()
    assert today.number in page and old.number not in page
    day = timezone.localtime(old.placed_at, LA).date().isoformat()
    page = owner_client.get(list_url(shop, period="range", **{"from": day, "to": day}))
    assert old.number in page.content.decode() and today.number not in page.content.decode()
    page = owner_client.get(list_url(shop, q="olga")).content.decode()
    assert old.number in page and today.number not in page
    page = owner_client.get(list_url(shop, q=today.number)).content.decode()
    assert today.number in page and old.number not in page
    assert "No orders match" in owner_client.get(list_url(shop, q="nobody")).content.decode()
    # Nonsense filter values are ignored, not errors.
    assert (
        owner_client.get(list_url(shop, status="bogus", period="x", to="nope")).status_code == 200
    )


def test_keyset_pages_walk_every_order_once(shop, owner_client):
    base = timezone.now()
    made = [OrderFactory(shop=shop, placed_at=base - timedelta(minutes=i // 2)) for i in range(120)]
    seen, url, pages = [], list_url(shop), 0
    while url:
        response = owner_client.get(url)
        seen += [o.number for o in response.context["page"].orders]
        cursor = response.context["page"].next_cursor
        url = list_url(shop, after=cursor) if cursor else None
        pages += 1
    assert pages == 3
    assert sorted(seen) == sorted(o.number for o in made) and len(seen) == len(set(seen))


def test_csv_export_streams_the_filtered_list(shop, owner_client):
    keep = OrderFactory(shop=shop, buyer_name="Ada Export")
    OrderFactory(shop=shop, buyer_name="Someone Else")
    response = owner_client.get(
        reverse("orders:order_export", kwargs={"shop_slug": shop.slug}) + "?q=ada"
    )
    assert response.status_code == 200 and response.streaming
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0][0] == "order number"
    assert [r[0] for r in rows[1:]] == [keep.number]


def grow(shop, n):
    orders = Order.objects.bulk_create(
        OrderFactory.build(shop=shop, number=f"BULK{shop.pk}-{i:06d}-{Order.objects.count()}")
        for i in range(n)
    )
    for order in orders[:5]:
        OrderLineFactory(order=order)
    return orders


def test_order_list_and_detail_query_counts_do_not_grow(shop, owner_client, sku, owner):
    with scope(shop=shop):
        detail = place(shop, (sku, 1))
        order_ship(shop=shop, actor=owner, order=detail, carrier="ups", service="UPS Ground",
                   tracking_number="1Z999AA10123456784")  # fmt: skip
        detail_url = reverse(
            "orders:order_detail", kwargs={"shop_slug": shop.slug, "order_id": detail.pk}
        )
        grow(shop, 9)
    small = (page_queries(owner_client, list_url(shop)), page_queries(owner_client, detail_url))
    small_filtered = page_queries(
        owner_client, list_url(shop, status="awaiting_collection", q="Bea")
    )
    with scope(shop=shop):
        grow(shop, 990)
        assert Order.objects.filter(shop=shop).count() == 1000
    assert page_queries(owner_client, list_url(shop)) == small[0]
    assert page_queries(owner_client, detail_url) == small[1]
    assert (
        page_queries(owner_client, list_url(shop, status="awaiting_collection", q="Bea"))
        == small_filtered
    )


def test_order_detail_shows_lines_totals_buyer_and_masked_contact(shop, owner_client, sku):
    order = place(shop, (sku, 2))
    body = owner_client.get(
        reverse("orders:order_detail", kwargs={"shop_slug": shop.slug, "order_id": order.pk})
    ).content.decode()
    for text in ("Cozy Hoodie", "$40.00", "$5.00", "$45.00", "Bea Buyer", "1 Main St",
                 "b***@example.com", "***-***-4567", "Ship by", "Order placed and paid"):  # fmt: skip
        assert text in body, text
    assert "bea@example.com" not in body
